"""Texts of the pass work: key -> (Simplified Chinese, English)."""

PASS_MESSAGES: dict[str, tuple[str, str]] = {}
