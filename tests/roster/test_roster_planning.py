"""Copying a week and generating a fair period through services; locks are respected."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from gateui.config import SiteConfig
from gateui.domain.errors import ValidationError
from gateui.services import auth, roster
from gateui.services.context import open_gate
from gateui.services.roster import Assign, Lock, SetUnavailable
from gateui.store.models import ChangeLog
from gateui.store.roster_models import RosterEventRow
from tests.conftest import FakeClock
from tests.roster.conftest import RosterGate

MONDAY = date(2026, 11, 23)
NEXT = MONDAY + timedelta(days=7)


def cell(d: date, shift: str, cp: str = "N1") -> roster.CellKey:
    return roster.CellKey(d, shift, cp)


def test_copy_week_repeats_the_week_keeps_locks_and_lists_who_could_not_come(
    rgate: RosterGate,
) -> None:
    g = rgate.guards
    roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            Assign(cell(MONDAY, "day"), g["王强"]),
            Assign(cell(MONDAY, "day"), g["刘伟"]),
            Assign(cell(MONDAY + timedelta(days=2), "night", "S1"), g["陈芳"]),
            Assign(cell(NEXT, "evening"), g["杨敏"]),  # will be removed by the copy
            Assign(cell(NEXT + timedelta(days=1), "day"), g["黄静"]),
            Lock(cell(NEXT + timedelta(days=1), "day")),  # locked: stays as it is
            SetUnavailable(g["刘伟"], NEXT, NEXT, "leave"),
        ],
    )
    result = roster.copy_week(rgate.ctx, rgate.leader, MONDAY, NEXT)
    grid = roster.roster_view(rgate.ctx, NEXT, NEXT + timedelta(days=6))
    assert [x.name for x in grid.cell(NEXT, "day", "N1").guards] == ["王强"]
    assert [x.name for x in grid.cell(NEXT + timedelta(days=2), "night", "S1").guards] == ["陈芳"]
    assert grid.cell(NEXT, "evening", "N1").guards == ()
    assert [x.name for x in grid.cell(NEXT + timedelta(days=1), "day", "N1").guards] == ["黄静"]
    ((target, who, why),) = result.skipped
    assert (target, who.name, why) == (cell(NEXT, "day"), "刘伟", "roster.copy.unavailable.leave")
    assert result.events == 3  # assign 王强, assign 陈芳, unassign 杨敏
    with pytest.raises(ValidationError) as caught:
        roster.copy_week(rgate.ctx, rgate.leader, MONDAY, MONDAY)
    assert caught.value.code == "roster.copy_same_week"


def test_generate_and_apply_fills_the_week_without_errors_and_keeps_locked_cells(
    rgate: RosterGate,
) -> None:
    g = rgate.guards
    locked = cell(MONDAY, "night")
    roster.record_events(rgate.ctx, rgate.leader, [Assign(locked, g["王强"]), Lock(locked)])
    preview = roster.preview_generation(
        rgate.ctx, MONDAY, MONDAY + timedelta(days=6), checkpoint="N1"
    )
    with rgate.ctx.db.read() as s:
        before = len(s.exec(select(RosterEventRow.id)).all())
    assert preview.events == 0 and before == 2  # a preview writes nothing
    report = roster.generate_and_apply(
        rgate.ctx, rgate.leader, MONDAY, MONDAY + timedelta(days=6), checkpoint="N1"
    )
    assert report.result.assignments[locked] == (g["王强"],)  # kept as the leader left it
    assert report.events == sum(len(v) for k, v in report.result.assignments.items() if k != locked)
    grid = roster.roster_view(rgate.ctx, MONDAY, MONDAY + timedelta(days=6), checkpoint="N1")
    # 8 guards for 21 shifts of 2: every cell but the locked one is full, no rule broken.
    errors = [v for v in grid.violations if v.severity == "error"]
    assert [(v.code, v.cells) for v in errors] == [("roster.rule.short", (locked,))]
    assert set(report.names) >= set(g.values())
    loads = {x.name: x.shifts for x in report.result.fairness.loads}
    assert max(loads.values()) - min(loads.values()) <= 2
    with rgate.ctx.db.read() as s:
        kinds = {c.kind for c in s.exec(select(ChangeLog))}
    assert "roster.assigned" in kinds


def test_generating_with_no_guards_is_refused(tmp_path: Path, clock: FakeClock) -> None:
    ctx = open_gate(tmp_path / "gate.db", SiteConfig(), clock=clock)
    leader = auth.create_user(ctx, "李娜", "leader", "L1", "1234")
    with pytest.raises(ValidationError) as caught:
        roster.generate_and_apply(ctx, leader, MONDAY, MONDAY + timedelta(days=6))
    assert caught.value.code == "roster.no_guards"
    ctx.db.dispose()
