"""Every text the TUI shows exists in both languages, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import gateui.tui
from gateui.i18n import Translator
from gateui.i18n.ui_messages import UI_MESSAGES

TUI_DIR = Path(gateui.tui.__file__).parent
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
BINDING_KEY = re.compile(r"""Binding\([^)]*?["'](key\.[a-z_]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_ui_messages_have_both_languages_with_the_same_placeholders() -> None:
    for key, (zh, en) in UI_MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert placeholders(zh) == placeholders(en), key


def test_every_literal_key_in_the_tui_has_a_text() -> None:
    t = Translator("zh")
    used: set[str] = set()
    for path in TUI_DIR.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(source)) | set(BINDING_KEY.findall(source))
    assert len(used) > 50
    missing = sorted(k for k in used if not t.has(k))
    assert missing == []


def test_labels_built_from_values_have_texts() -> None:
    from gateui.services.registry import PERSON_KINDS, PERSON_STATUSES, VEHICLE_KINDS

    t = Translator("en")
    keys = [f"kind.{k}" for k in PERSON_KINDS] + [f"vehicle_kind.{k}" for k in VEHICLE_KINDS]
    keys += [f"status.{s}" for s in PERSON_STATUSES]
    keys += [f"outcome.{o}" for o in ("admitted", "referred", "denied")]
    keys += [f"direction.{d}" for d in ("in", "out")] + ["subject.person", "subject.vehicle"]
    keys += [f"matched_by.{m}" for m in ("id_number", "id_suffix", "name", "pinyin", "plate")]
    keys += ["matched_by.card", "correction.action.amend", "correction.action.void"]
    keys += ["correction.done.amend", "correction.done.void"]
    assert [k for k in keys if not t.has(k)] == []
