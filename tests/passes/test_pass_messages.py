"""Every code the pass, permit, report and privacy modules use has both texts."""

from __future__ import annotations

import re
import string
from pathlib import Path

import gateui
from gateui.i18n import CATALOG, Translator
from gateui.i18n.pass_messages import PASS_MESSAGES
from gateui.i18n.revocation_messages import REVOCATION_MESSAGES

ROOT = Path(gateui.__file__).parent
MODULES = [
    "domain/passes.py",
    "domain/permits.py",
    "domain/reports.py",
    "services/passes.py",
    "services/permits.py",
    "services/reports.py",
    "services/privacy.py",
]
# Change-log kinds, not texts.
KINDS = {
    "pass.issued",
    "pass.revoked",
    "permit.created",
    "permit.approved",
    "permit.cancelled",
    "report.daily",
    "privacy.purged",
}
CODE = re.compile(r'"((?:pass|permit|report|export|privacy|auth|person)\.[a-z_]+)"')


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_code_used_has_a_text() -> None:
    used = {c for m in MODULES for c in CODE.findall((ROOT / m).read_text(encoding="utf-8"))}
    assert {"pass.bad_signature", "permit.same_signer", "report.day_not_over"} <= used
    assert used - KINDS - set(CATALOG) == set()


def test_both_languages_have_the_same_placeholders() -> None:
    for key, (zh, en) in {**PASS_MESSAGES, **REVOCATION_MESSAGES}.items():
        assert zh and en and _placeholders(zh) == _placeholders(en), key


def test_refusals_read_as_words() -> None:
    t = Translator("en")
    assert t("pass.expired", valid_until="2026-11-21 09:30") == (
        "The pass expired at 2026-11-21 09:30."
    )
    assert "签字" in Translator("zh")("permit.one_signature")
    assert Translator("en")("pass.revoked", at="2026-11-21 09:30", reason="lost") == (
        "This pass was revoked at 2026-11-21 09:30 (lost). Do not admit."
    )
    assert "撤销" in Translator("zh")("permit.cancelled")
