"""Every visible string in Simplified Chinese and English.

Catalogs are plain dicts of key -> (zh, en), merged here. Errors carry a key and
parameters (GateUIError, domain ValidationError); `Translator.error` turns them into a
title and a message in the user's language. A test checks every key has both texts with
the same placeholders, and that every code the domain can raise has a text.
"""

from __future__ import annotations

from typing import Any, Literal

from gateui.i18n.cli_messages import CLI_MESSAGES
from gateui.i18n.domain_messages import DOMAIN_MESSAGES
from gateui.i18n.pass_messages import PASS_MESSAGES
from gateui.i18n.revocation_messages import REVOCATION_MESSAGES
from gateui.i18n.roster_messages import ROSTER_MESSAGES
from gateui.i18n.service_messages import SERVICE_MESSAGES
from gateui.i18n.ui_messages import UI_MESSAGES

Language = Literal["zh", "en"]
_PARTS = (
    DOMAIN_MESSAGES,
    SERVICE_MESSAGES,
    UI_MESSAGES,
    CLI_MESSAGES,
    ROSTER_MESSAGES,
    PASS_MESSAGES,
    REVOCATION_MESSAGES,
)
CATALOG: dict[str, tuple[str, str]] = {k: v for part in _PARTS for k, v in part.items()}


class Translator:
    def __init__(self, lang: Language = "zh") -> None:
        self.lang: Language = lang

    def __call__(self, key: str, /, **params: Any) -> str:
        texts = CATALOG.get(key)
        if texts is None:
            return key.format(**params) if params and "{" in key else key
        text = texts[0] if self.lang == "zh" else texts[1]
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text

    def has(self, key: str) -> bool:
        return key in CATALOG

    def error(self, exc: BaseException) -> tuple[str, str]:
        """(title, message) for any error GateUI raises on purpose."""
        code = getattr(exc, "code", None)
        params = getattr(exc, "params", {}) or {}
        title_key = getattr(exc, "title_key", "error.title")
        if code is None:
            return self("error.title"), self("error.unexpected", detail=str(exc))
        return self(title_key), self(code, **params)
