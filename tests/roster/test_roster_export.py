"""Roster exports, QR pages, the guard picker and the shift change, below the screens."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.errors import GateUIError
from gateui.services import roster
from gateui.services.roster import Assign, SetUnavailable
from gateui.services.roster_choices import absences, choice_matches, guard_choices
from gateui.services.roster_export import (
    _byte_capacity,
    _safe,
    export_dir,
    export_roster,
    qr_pages,
    qr_version_for,
    roster_bytes,
)
from gateui.services.roster_shiftchange import handover_shift, pending_handover, shift_at
from tests.roster.conftest import RosterGate

FRIDAY = date(2026, 11, 20)
MONDAY = date(2026, 11, 23)


def cell(day: date, shift: str, cp: str = "N1") -> roster.CellKey:
    return roster.CellKey(day, shift, cp)


def local(rg: RosterGate, hour: int, minute: int = 0, day: int = 20) -> None:
    rg.gate.clock.now = datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_csv_has_a_row_per_shift_and_checkpoint_and_defuses_formulas(rgate: RosterGate) -> None:
    roster.record_events(
        rgate.ctx, rgate.leader, [Assign(cell(MONDAY, "day"), rgate.guards["王强"])]
    )
    data = roster_bytes(rgate.ctx, MONDAY, MONDAY, "csv", lang="en")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["date", "weekday", "shift", "start", "end", "checkpoint"]
    assert len(rows) == 1 + 3 * 2
    day_n1 = next(r for r in rows if r[2] == "Day" and r[5] == "N1")
    assert day_n1[7] == "王强" and day_n1[8:11] == ["2", "1", "1"]
    assert "short: 1 of 2 guards" in day_n1[12]
    assert [_safe(v) for v in ("=SUM(A1)", "-1", "@x", "王强", 3)] == [
        "'=SUM(A1)",
        "'-1",
        "'@x",
        "王强",
        3,
    ]


def test_unknown_format_and_unwritable_path_are_refused(rgate: RosterGate, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as bad:
        roster_bytes(rgate.ctx, MONDAY, MONDAY, "pdf")
    assert bad.value.code == "roster.export.bad_format"
    target = tmp_path / "nowhere" / "roster.xlsx"
    with pytest.raises(GateUIError) as err:
        export_roster(rgate.ctx, target, MONDAY, MONDAY, "xlsx")
    assert err.value.code == "export.cannot_write" and err.value.params["path"] == str(target)
    good = export_roster(rgate.ctx, tmp_path / "r.txt", MONDAY, MONDAY, "text")
    assert good.read_text(encoding="utf-8").startswith("【演示矿区值班表】")
    assert export_dir(rgate.ctx) == rgate.ctx.db.path.parent / "exports"


def test_qr_pages_fit_the_screen_and_keep_all_of_the_text() -> None:
    text = "\n".join(
        f"{i:02d} 夜班 00:00–08:00　北门：王强、李娜；南门：刘伟、陈芳" for i in range(30)
    )
    for side in (46, 78, 120):
        pages = qr_pages(text, side)
        assert all(len(p.modules) + 4 <= side for p in pages)
        body = "".join(p.text.split("\n", 1)[1] for p in pages) if len(pages) > 1 else pages[0].text
        assert body.replace("\n", "") == text.replace("\n", "")
        assert [p.text.split("\n")[0] for p in pages][:1] == [f"[1/{len(pages)}]"]
    assert len(qr_pages(text, 46)) > 3 * len(qr_pages(text, 120))
    assert qr_version_for(46) == 6 and _byte_capacity(6) == 134
    assert qr_pages("一页就够", 46)[0].text == "一页就够"
    with pytest.raises(ValidationError):
        qr_pages(text, 20)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="王强李娜abc 12:–\u3000；", max_size=90), max_size=12))
def test_qr_pages_never_lose_or_reorder_text(lines: list[str]) -> None:
    text = "\n".join(lines).strip("\n")
    pages = qr_pages(text, 46)
    if len(pages) == 1:
        assert pages[0].text == text
        return
    bodies = [p.text.split("\n", 1)[1] for p in pages]
    assert "".join(bodies).replace("\n", "") == text.replace("\n", "")


def test_the_picker_finds_guards_by_pinyin_and_badge_and_says_what_assigning_means(
    rgate: RosterGate,
) -> None:
    g = rgate.guards
    roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            Assign(cell(MONDAY, "evening"), g["刘伟"]),
            Assign(cell(MONDAY + timedelta(days=1), "night"), g["陈芳"]),
            SetUnavailable(g["杨敏"], MONDAY, MONDAY + timedelta(days=2), "quarantine"),
        ],
    )
    target = cell(MONDAY + timedelta(days=1), "night")
    choices = guard_choices(rgate.ctx, target, MONDAY, MONDAY + timedelta(days=6))
    by_name = {c.name: c for c in choices}
    assert by_name["陈芳"].assigned and choices[0].name == "陈芳"
    assert by_name["刘伟"].blocked == "roster.blocked.rest"
    assert by_name["杨敏"].unavailable == "quarantine" and choices[-1].name == "杨敏"
    assert by_name["刘伟"].shifts == 1 and by_name["黄静"].shifts == 0
    assert [c.name for c in choices if choice_matches(c, "lw")] == ["刘伟"]
    assert [c.name for c in choices if choice_matches(c, "liuw")] == ["刘伟"]
    assert [c.name for c in choices if choice_matches(c, "B1001")] == ["王强"]
    assert [c.name for c in choices if choice_matches(c, "芳")] == ["陈芳"]
    [period] = absences(rgate.ctx, MONDAY + timedelta(days=2), MONDAY + timedelta(days=9))
    assert period.guard.name == "杨敏" and period.reason == "quarantine"
    assert absences(rgate.ctx, MONDAY + timedelta(days=3), MONDAY + timedelta(days=9)) == []


def test_which_shift_is_handed_over_and_which_handover_waits(rgate: RosterGate) -> None:
    g = rgate.guards
    local(rgate, 15, 40)
    assert (shift_at(rgate.ctx).shift, handover_shift(rgate.ctx).shift) == ("day", "day")
    local(rgate, 16, 20)  # just after the change: the day shift is still to hand over
    assert handover_shift(rgate.ctx).shift == "day"
    roster.write_handover(rgate.ctx, g["王强"], FRIDAY, "day", "all quiet")
    assert handover_shift(rgate.ctx).shift == "evening"  # written: now it is this one
    assert pending_handover(rgate.ctx, g["王强"]) is None  # not for its writer
    waiting = pending_handover(rgate.ctx, g["刘伟"])
    assert waiting is not None and waiting.cell == cell(FRIDAY, "day")
    roster.acknowledge_handover(rgate.ctx, waiting.id, g["刘伟"])
    assert pending_handover(rgate.ctx, g["陈芳"]) is None
    local(rgate, 23, 50)  # the evening guard writes before midnight; the night guard is early
    roster.write_handover(rgate.ctx, g["刘伟"], FRIDAY, "evening", "ok")
    early = pending_handover(rgate.ctx, g["陈芳"])
    assert early is not None and early.cell == cell(FRIDAY, "evening")
