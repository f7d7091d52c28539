"""Texts of the roster work: key -> (Simplified Chinese, English)."""

ROSTER_MESSAGES: dict[str, tuple[str, str]] = {}
