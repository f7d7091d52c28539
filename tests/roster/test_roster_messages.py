"""Every roster message code has Chinese and English texts that format with its params."""

from __future__ import annotations

import re
import string
from datetime import date, timedelta
from pathlib import Path

import pytest

from gateui.domain.hlc import HLC
from gateui.domain.roster import (
    CellKey,
    EventKind,
    Guard,
    RosterConfig,
    RosterEvent,
    ShiftCalendar,
    Unavailability,
    check,
    fold,
)
from gateui.domain.roster.events import UNAVAILABILITY_REASONS
from gateui.domain.roster.schedule import BLOCK_REASONS
from gateui.i18n import CATALOG, Translator
from gateui.i18n.roster_messages import ROSTER_MESSAGES
from gateui.services.roster_store import CHANGE_KINDS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *sorted((ROOT / "gateui/domain/roster").glob("*.py")),
    ROOT / "gateui/domain/hlc.py",
    *sorted((ROOT / "gateui/services").glob("roster*.py")),
]
CODE = re.compile(r'"((?:roster|roster_config|handover|hlc)\.[a-z_.]*[a-z_])"')
NOT_MESSAGES = set(CHANGE_KINDS.values()) | {"handover.written", "handover.acknowledged"}


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_both_languages_have_text_and_the_same_placeholders() -> None:
    for key, (zh, en) in ROSTER_MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert _placeholders(zh) == _placeholders(en), key


def test_roster_keys_do_not_shadow_other_catalogs() -> None:
    for key in ROSTER_MESSAGES:
        assert CATALOG[key] == ROSTER_MESSAGES[key], key


def test_every_code_written_in_the_roster_sources_has_a_text() -> None:
    found = {m for path in SOURCES for m in CODE.findall(path.read_text(encoding="utf-8"))}
    assert "roster.unknown_guard" in found and "roster_config.shifts_gap" in found  # scan works
    missing = sorted(found - NOT_MESSAGES - set(ROSTER_MESSAGES))
    assert missing == []


@pytest.mark.parametrize("reason", UNAVAILABILITY_REASONS)
def test_every_absence_reason_has_its_texts(reason: str) -> None:
    for prefix in (
        "roster.reason",
        "roster.unavailable",
        "roster.rule.unavailable",
        "roster.copy.unavailable",
    ):
        assert f"{prefix}.{reason}" in ROSTER_MESSAGES


def test_labels_exist_for_default_shifts_weekdays_statuses_and_blocks() -> None:
    keys = [f"roster.shift.{s.code}" for s in RosterConfig().shifts]
    keys += [f"roster.weekday.{d}" for d in range(7)]
    keys += [
        f"roster.attendance.{s}"
        for s in ("present", "late", "no_show", "expected", "elsewhere", "unrostered")
    ]
    keys += [
        f"roster.edit.{k.value}"
        for k in EventKind
        if k.value in ("assign", "unassign", "lock", "unlock", "resolve")
    ]
    keys += list(BLOCK_REASONS)
    assert [k for k in keys if k not in ROSTER_MESSAGES] == []
    assert "{" not in Translator("zh")("roster.blocked.rest", count=3)


def test_every_rule_violation_reads_as_a_sentence() -> None:
    config = RosterConfig(required_guards=1)
    cal = ShiftCalendar.for_config(config, "Asia/Shanghai")
    d0 = date(2026, 11, 23)

    def c(n: int, shift: str, cp: str = "N1") -> CellKey:
        return CellKey(d0 + timedelta(days=n), shift, cp)

    duties = [(c(0, "day"), "a"), (c(0, "day", "S1"), "a"), (c(0, "day"), "b")]  # double, over
    duties += [(c(1, "evening"), "b"), (c(2, "night"), "b")]  # rest
    duties += [(c(n, "night"), "n") for n in range(7)]  # nights, 7 in 7 days
    duties += [(c(3, "day"), "gone"), (c(4, "day"), "ghost")]
    duties += [(c(5, "evening", "S1"), r) for r in UNAVAILABILITY_REASONS]
    events = [
        RosterEvent(
            f"X-{i}", HLC(i, 0, "X"), EventKind.ASSIGN, cell, g, (f"X-{i - 1}",) if i else ()
        )
        for i, (cell, g) in enumerate(duties)
    ]
    events.append(RosterEvent("Y-1", HLC(1, 0, "Y"), EventKind.LOCK, c(6, "day")))
    events.append(RosterEvent("Z-1", HLC(1, 0, "Z"), EventKind.LOCK, c(6, "day")))
    start, end = (
        cal.instance(d0, "night").start,
        cal.instance(d0 + timedelta(days=7), "night").start,
    )
    events += [
        RosterEvent(
            f"U-{r}",
            HLC(1, 0, "U"),
            EventKind.UNAVAILABLE_SET,
            guard_id=r,
            unavailability_id=f"U-{r}",
            period=Unavailability(f"U-{r}", r, start, end, r),
        )
        for r in UNAVAILABILITY_REASONS
    ]
    guards = {g: Guard(g, g.upper()) for g in ("a", "b", "n", *UNAVAILABILITY_REASONS)}
    guards["gone"] = Guard("gone", "GONE", active=False)
    found = check(
        fold(events),
        cal,
        config,
        guards,
        first=d0,
        last=d0 + timedelta(days=6),
        checkpoints=["N1", "S1"],
    )
    codes = {v.code for v in found}
    expected = {
        "roster.rule.short",
        "roster.rule.over_staffed",
        "roster.rule.double_booked",
        "roster.rule.rest_too_short",
        "roster.rule.too_many_shifts",
        "roster.rule.too_many_nights",
        "roster.rule.unknown_guard",
        "roster.rule.guard_inactive",
        "roster.rule.concurrent_edit",
    } | {f"roster.rule.unavailable.{r}" for r in UNAVAILABILITY_REASONS}
    assert expected <= codes
    for lang in ("zh", "en"):
        t = Translator(lang)  # type: ignore[arg-type]
        for v in found:
            text = t(v.code, **v.params)
            assert text != v.code and "{" not in text, (v.code, text)
