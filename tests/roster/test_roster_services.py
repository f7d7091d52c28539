"""Roster services on a real SQLite file: edits, refusals, the grid, remote events."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from gateui.config import SiteConfig
from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.domain.errors import ValidationError
from gateui.errors import PermissionDeniedError
from gateui.i18n import Translator
from gateui.services import auth, roster
from gateui.services.context import GateContext, open_gate
from gateui.services.roster import Assign, Lock, Resolve, SetUnavailable, Unassign
from gateui.services.roster_store import load_state
from gateui.store.models import ChangeLog
from gateui.store.roster_models import RosterEventRow
from tests.conftest import FakeClock
from tests.roster.conftest import RosterGate

MONDAY = date(2026, 11, 23)


def cell(n: int, shift: str, cp: str = "N1") -> roster.CellKey:
    return roster.CellKey(MONDAY + timedelta(days=n), shift, cp)


def roster_changes(ctx: GateContext) -> list[ChangeLog]:
    with ctx.db.read() as s:
        stmt = select(ChangeLog).where(col(ChangeLog.kind).startswith("roster."))
        return list(s.exec(stmt.order_by(col(ChangeLog.seq))))


def event_count(ctx: GateContext) -> int:
    with ctx.db.read() as s:
        return len(s.exec(select(RosterEventRow.id)).all())


def test_assignments_are_events_in_the_change_log_and_show_in_the_grid(rgate: RosterGate) -> None:
    g = rgate.guards
    ids = roster.record_events(
        rgate.ctx,
        rgate.leader,
        [Assign(cell(0, "day"), g["王强"]), Assign(cell(0, "day"), g["刘伟"])],
    )
    changes = roster_changes(rgate.ctx)
    assert [c.record_id for c in changes] == ids
    assert {c.kind for c in changes} == {"roster.assigned"}
    payload = json.loads(changes[0].payload)
    assert payload["guard_id"] == g["王强"] and payload["site"] == "SITE"
    assert json.loads(changes[1].payload)["base"] == [ids[0]]  # the second saw the first
    with rgate.ctx.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
        links = [
            ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows
        ]
    assert verify_chain(links) is None
    grid = roster.roster_view(rgate.ctx, MONDAY, MONDAY + timedelta(days=6))
    day = grid.cell(MONDAY, "day", "N1")
    assert [x.name for x in day.guards] == sorted(["王强", "刘伟"]) and not day.is_short
    night = grid.cell(MONDAY, "night", "S1")
    assert night.short_by == 2 and night.violations[0].code == "roster.rule.short"
    assert grid.short_cells == 7 * 3 * 2 - 1
    assert [h.code for h in grid.shifts] == ["night", "day", "evening"]
    assert grid.checkpoints == (("N1", "北门"), ("S1", "南门"))


def test_a_refused_command_leaves_nothing_of_its_batch(rgate: RosterGate) -> None:
    g = rgate.guards
    before = len(roster_changes(rgate.ctx))
    with pytest.raises(ValidationError) as caught:
        roster.record_events(
            rgate.ctx,
            rgate.leader,
            [Assign(cell(0, "day"), g["王强"]), Assign(cell(0, "day"), "nobody")],
        )
    assert caught.value.code == "roster.unknown_guard"
    assert caught.value.params == {"guard": "nobody"}
    assert event_count(rgate.ctx) == 0 and len(roster_changes(rgate.ctx)) == before


@pytest.mark.parametrize(
    ("commands", "code"),
    [
        (
            lambda g: [Assign(cell(0, "day"), g["王强"]), Assign(cell(0, "day"), g["王强"])],
            "roster.already_assigned",
        ),
        (lambda g: [Unassign(cell(0, "day"), g["王强"])], "roster.not_assigned"),
        (lambda g: [Assign(cell(0, "noon"), g["王强"])], "roster.unknown_shift"),
        (lambda g: [Assign(cell(0, "day", "X9"), g["王强"])], "roster.unknown_checkpoint"),
        (lambda g: [Resolve(cell(0, "day"))], "roster.nothing_to_resolve"),
        (lambda g: [SetUnavailable(g["王强"], MONDAY, MONDAY, "holiday")], "roster.bad_reason"),
        (
            lambda g: [SetUnavailable(g["王强"], MONDAY, MONDAY - timedelta(days=1), "leave")],
            "roster.bad_period",
        ),
        (lambda g: [roster.ClearUnavailable("nope")], "roster.unknown_unavailability"),
    ],
)
def test_bad_commands_are_refused_with_codes(rgate: RosterGate, commands, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        roster.record_events(rgate.ctx, rgate.leader, commands(rgate.guards))
    assert caught.value.code == code
    assert event_count(rgate.ctx) == 0
    t = Translator("en")
    assert "{" not in t(caught.value.code, **caught.value.params)


def test_an_unavailable_guard_cannot_be_assigned_until_cleared(rgate: RosterGate) -> None:
    wang = rgate.guards["王强"]
    (uid,) = roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            SetUnavailable(
                wang, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2), "sick", "发烧"
            )
        ],
    )
    with pytest.raises(ValidationError) as caught:
        roster.record_event(rgate.ctx, rgate.leader, Assign(cell(2, "evening"), wang))
    assert caught.value.code == "roster.unavailable.sick"
    assert caught.value.params == {
        "guard": "王强",
        "shift": "11-25 16:00–24:00",
        "first": "11-24",
        "last": "11-25",
    }
    zh = Translator("zh")(caught.value.code, **caught.value.params)
    assert "王强" in zh and "病假" in zh
    # The evening before the sick days and the night after them are fine.
    roster.record_event(rgate.ctx, rgate.leader, Assign(cell(0, "evening"), wang))
    roster.record_event(rgate.ctx, rgate.leader, Assign(cell(3, "night"), wang))
    grid = roster.roster_view(rgate.ctx, MONDAY, MONDAY + timedelta(days=6))
    assert [u.reason for u in grid.unavailable] == ["sick"] and grid.unavailable[0].note == "发烧"
    roster.record_event(rgate.ctx, rgate.leader, roster.ClearUnavailable(uid))
    roster.record_event(rgate.ctx, rgate.leader, Assign(cell(2, "evening"), wang))
    kinds = [c.kind for c in roster_changes(rgate.ctx)]
    assert kinds[0] == "roster.unavailable_set" and "roster.unavailable_cleared" in kinds


def test_sick_leave_set_after_rostering_is_flagged_in_the_cell(rgate: RosterGate) -> None:
    wang = rgate.guards["王强"]
    roster.record_event(rgate.ctx, rgate.leader, Assign(cell(1, "day"), wang))
    roster.record_event(
        rgate.ctx,
        rgate.leader,
        SetUnavailable(wang, MONDAY + timedelta(days=1), MONDAY + timedelta(days=1), "quarantine"),
    )
    day = roster.roster_view(rgate.ctx, MONDAY, MONDAY + timedelta(days=6)).cell(
        MONDAY + timedelta(days=1), "day", "N1"
    )
    assert "roster.rule.unavailable.quarantine" in [v.code for v in day.violations]


def test_only_leaders_edit_the_roster(rgate: RosterGate) -> None:
    with pytest.raises(PermissionDeniedError):
        roster.record_event(
            rgate.ctx, rgate.guards["王强"], Assign(cell(0, "day"), rgate.guards["王强"])
        )


def test_violations_are_explained_in_both_languages(rgate: RosterGate) -> None:
    g = rgate.guards
    roster.record_events(
        rgate.ctx,
        rgate.leader,
        [
            Assign(cell(0, "day", "N1"), g["王强"]),
            Assign(cell(0, "day", "S1"), g["王强"]),  # double-booked
            Assign(cell(0, "evening", "N1"), g["刘伟"]),
            Assign(cell(1, "night", "N1"), g["刘伟"]),  # no rest
        ],
    )
    grid = roster.roster_view(rgate.ctx, MONDAY, MONDAY + timedelta(days=6))
    double = [
        v
        for v in grid.cell(MONDAY, "day", "S1").violations
        if v.code == "roster.rule.double_booked"
    ]
    assert double and double[0] in grid.cell(MONDAY, "day", "N1").violations
    rest = [v for v in grid.violations if v.code == "roster.rule.rest_too_short"]
    assert rest and rest[0].params["guard"] == "刘伟"
    for lang in ("zh", "en"):
        t = Translator(lang)  # type: ignore[arg-type]
        for v in grid.violations:
            text = t(v.code, **v.params)
            assert text != v.code and "{" not in text
    assert "只休息 0 小时" in Translator("zh")(rest[0].code, **rest[0].params)
    # Viewing one checkpoint still sees the double-booking with the other.
    n1 = roster.roster_view(rgate.ctx, MONDAY, MONDAY, checkpoint="N1")
    assert "roster.rule.double_booked" in [v.code for v in n1.cell(MONDAY, "day", "N1").violations]


def test_period_too_long_or_backwards_is_refused(rgate: RosterGate) -> None:
    for first, last in (
        (MONDAY, MONDAY - timedelta(days=1)),
        (MONDAY, MONDAY + timedelta(days=400)),
    ):
        with pytest.raises(ValidationError) as caught:
            roster.roster_view(rgate.ctx, first, last)
        assert caught.value.code == "roster.bad_period"


def _second_terminal(tmp_path: Path, clock: FakeClock) -> tuple[GateContext, str]:
    ctx = open_gate(tmp_path / "b" / "gate.db", SiteConfig(), checkpoint_code="S1", clock=clock)
    leader = auth.create_user(ctx, "赵刚", "leader", "L9", "1234")
    return ctx, leader


def _exchange(a: GateContext, b: GateContext) -> None:
    """What sync does for the roster: each terminal's roster changes reach the other."""
    a_out = [json.loads(c.payload) for c in roster_changes(a)]
    b_out = [json.loads(c.payload) for c in roster_changes(b)]
    roster.apply_remote_events(b, a_out)
    roster.apply_remote_events(a, b_out)


def state_of(ctx: GateContext) -> roster.RosterState:
    with ctx.db.read() as s:
        return load_state(s, MONDAY - timedelta(days=7), MONDAY + timedelta(days=14))


def test_two_terminals_editing_offline_converge_and_see_the_conflict(
    rgate: RosterGate, tmp_path: Path
) -> None:
    a = rgate.ctx
    b, b_leader = _second_terminal(tmp_path, rgate.gate.clock)
    b_guard = auth.create_user(b, "钱进", "guard", "B9", "1234")
    g = rgate.guards
    roster.record_event(a, rgate.leader, Assign(cell(0, "night"), g["王强"]))
    _exchange(a, b)
    # Offline: A removes 王强 and locks; B adds its own guard to the same cell.
    rgate.gate.clock.advance(60)
    roster.record_events(
        a, rgate.leader, [Unassign(cell(0, "night"), g["王强"]), Lock(cell(0, "night"))]
    )
    roster.record_event(b, b_leader, Assign(cell(0, "night"), b_guard))
    _exchange(a, b)
    _exchange(a, b)  # a second delivery changes nothing
    assert state_of(a) == state_of(b)
    assert state_of(a).guards_of(cell(0, "night")) == {b_guard}
    grid_a = roster.roster_view(a, MONDAY, MONDAY)
    night = grid_a.cell(MONDAY, "night", "N1")
    assert night.conflict and night.locked
    assert "roster.rule.concurrent_edit" in [v.code for v in night.violations]
    (conflict,) = grid_a.conflicts
    assert set(conflict.devices) == {a.device_id, b.device_id}
    assert {e.kind for e in conflict.edits} == {"lock", "assign"}
    # Received events are stored, not logged again: each change has one owner.
    assert all(c.device_id == a.device_id for c in roster_changes(a))
    roster.record_event(a, rgate.leader, Resolve(cell(0, "night")))
    _exchange(a, b)
    assert state_of(a) == state_of(b) and state_of(b).conflicts == ()
    b.db.dispose()


def test_remote_events_are_checked_before_any_is_stored(rgate: RosterGate, tmp_path: Path) -> None:
    b, b_leader = _second_terminal(tmp_path, rgate.gate.clock)
    roster.record_event(b, b_leader, Lock(cell(0, "day")))
    good = [json.loads(c.payload) for c in roster_changes(b)]
    with pytest.raises(ValidationError) as caught:
        roster.apply_remote_events(rgate.ctx, [*good, {"kind": "assign"}])
    assert caught.value.code == "roster.bad_event"
    with pytest.raises(ValidationError) as caught:
        roster.apply_remote_events(rgate.ctx, [{**good[0], "site": "OTHER"}])
    assert caught.value.code == "roster.wrong_site"
    assert event_count(rgate.ctx) == 0
    assert roster.apply_remote_events(rgate.ctx, good) == 1
    assert roster.apply_remote_events(rgate.ctx, good) == 0
    # The next local edit sorts after the remote one, even with a clock running behind.
    rgate.gate.clock.advance(-3600)
    roster.record_event(rgate.ctx, rgate.leader, roster.Unlock(cell(0, "day")))
    assert cell(0, "day") not in state_of(rgate.ctx).locked
    b.db.dispose()
