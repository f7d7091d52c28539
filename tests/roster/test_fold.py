"""Folding roster events: order and duplicates never matter; concurrent edits are reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.domain.hlc import HLC
from gateui.domain.roster import (
    CellKey,
    EventKind,
    RosterEvent,
    Unavailability,
    event_from_payload,
    fold,
)
from tests.roster.events_helpers import CELLS, GUARDS, Terminal

EDIT_KINDS = [EventKind.ASSIGN, EventKind.UNASSIGN, EventKind.LOCK, EventKind.UNLOCK]


@dataclass(frozen=True)
class Edit:
    who: int
    kind: EventKind
    cell: CellKey
    guard: str


@dataclass(frozen=True)
class Sync:
    to: int
    source: int


@dataclass(frozen=True)
class Tick:
    who: int
    ms: int  # may be negative: device clocks are wrong and get corrected


# A site with three terminals: edits on one terminal, syncs between two, clocks moving.
who = st.integers(0, 2)
actions = st.lists(
    st.one_of(
        st.builds(
            Edit, who, st.sampled_from(EDIT_KINDS), st.sampled_from(CELLS), st.sampled_from(GUARDS)
        ),
        st.builds(Sync, who, who),
        st.builds(Tick, who, st.integers(-500, 2_000)),
    ),
    min_size=1,
    max_size=60,
)


def run(script: list[Edit | Sync | Tick]) -> list[Terminal]:
    terminals = [Terminal("A"), Terminal("B"), Terminal("C")]
    for action in script:
        match action:
            case Edit(who, kind, cell, guard):
                uses_guard = kind in (EventKind.ASSIGN, EventKind.UNASSIGN)
                terminals[who].edit(kind, cell, guard if uses_guard else None)
            case Sync(to, source):
                terminals[to].pull(terminals[source])
            case Tick(who, ms):
                terminals[who].wall = max(0, terminals[who].wall + ms)
    return terminals


@settings(max_examples=200)
@given(actions, st.data())
def test_any_permutation_and_duplication_of_the_events_gives_the_same_roster(
    script: list[Edit | Sync | Tick], data: st.DataObject
) -> None:
    terminals = run(script)
    events = [e for t in terminals for e in t.known.values()]  # holds copies made by syncs
    reference = fold(events)
    shuffled = data.draw(st.permutations(events))
    extra = data.draw(st.lists(st.sampled_from(events), max_size=10)) if events else []
    assert fold([*shuffled, *extra]) == reference
    assert fold(reversed(events)) == reference


@settings(max_examples=200)
@given(actions)
def test_terminals_that_exchanged_all_events_show_the_same_roster(
    script: list[Edit | Sync | Tick],
) -> None:
    terminals = run(script)
    for t in terminals:
        for other in terminals:
            t.pull(other)
    a, b, c = (t.state() for t in terminals)
    assert a == b == c


def test_assign_then_unassign_on_one_terminal_is_no_conflict() -> None:
    (a,) = [Terminal("A")]
    a.edit(EventKind.ASSIGN, CELLS[0], "g1")
    a.edit(EventKind.ASSIGN, CELLS[0], "g2")
    a.edit(EventKind.UNASSIGN, CELLS[0], "g1")
    state = a.state()
    assert state.guards_of(CELLS[0]) == {"g2"}
    assert state.conflicts == ()
    assert len(state.heads[CELLS[0]]) == 1


def test_offline_assign_and_unassign_of_one_guard_is_reported_with_the_loser() -> None:
    a, b = Terminal("A"), Terminal("B")
    a.edit(EventKind.ASSIGN, CELLS[0], "g1")
    b.pull(a)
    removed = a.edit(EventKind.UNASSIGN, CELLS[0], "g1")  # A removes g1 ...
    b.wall = 5_000
    kept = b.edit(EventKind.ASSIGN, CELLS[0], "g3")  # ... while B, offline, adds g3
    b.wall = 6_000
    again = b.edit(EventKind.LOCK, CELLS[0])
    a.pull(b)
    b.pull(a)
    state = a.state()
    assert state == b.state()
    assert state.guards_of(CELLS[0]) == {"g3"}  # both edits kept: no value was lost
    assert CELLS[0] in state.locked
    (conflict,) = state.conflicts
    assert {e.event_id for e in conflict.concurrent} == {removed.event_id, again.event_id}
    assert conflict.overridden == ()
    assert kept.event_id not in {e.event_id for e in conflict.concurrent}


def test_contradicting_offline_edits_keep_the_later_and_name_the_overridden() -> None:
    a, b = Terminal("A"), Terminal("B")
    a.edit(EventKind.ASSIGN, CELLS[1], "g1")
    b.pull(a)
    a.wall = 2_000
    lost = a.edit(EventKind.UNASSIGN, CELLS[1], "g1")
    b.wall = 3_000  # B's edit sorts later by HLC
    won = b.edit(EventKind.ASSIGN, CELLS[1], "g2")
    b.wall = 3_001
    b.edit(EventKind.UNASSIGN, CELLS[1], "g1")
    b.wall = 3_002
    b.edit(EventKind.ASSIGN, CELLS[1], "g1")  # B re-adds g1, never having seen A's removal
    a.pull(b)
    state = a.state()
    assert state.guards_of(CELLS[1]) == {"g1", "g2"}
    (conflict,) = state.conflicts
    assert [e.event_id for e in conflict.overridden] == [lost.event_id]
    assert won.hlc > lost.hlc


def test_a_leader_confirming_the_cell_clears_the_conflict() -> None:
    a, b = Terminal("A"), Terminal("B")
    a.edit(EventKind.ASSIGN, CELLS[2], "g1")
    b.edit(EventKind.ASSIGN, CELLS[2], "g2")
    a.pull(b)
    assert len(a.state().conflicts) == 1
    a.edit(EventKind.RESOLVE, CELLS[2])
    b.pull(a)
    assert a.state().conflicts == () == b.state().conflicts
    assert a.state().guards_of(CELLS[2]) == {"g1", "g2"}


def _period_event(eid: str, ms: int, kind: EventKind, uid: str) -> RosterEvent:
    period = None
    if kind is EventKind.UNAVAILABLE_SET:
        period = Unavailability(
            uid, "g1", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC), "sick"
        )
    return RosterEvent(
        eid, HLC(ms, 0, "A"), kind, guard_id="g1", unavailability_id=uid, period=period
    )


def test_unavailability_is_set_and_cleared_by_the_latest_event() -> None:
    set_ = _period_event("A-1", 1_000, EventKind.UNAVAILABLE_SET, "A-1")
    cleared = _period_event("A-2", 2_000, EventKind.UNAVAILABLE_CLEARED, "A-1")
    assert fold([set_]).unavailability["A-1"].reason == "sick"
    state = fold([cleared, set_])
    assert state.unavailability == {}
    inside = datetime(2026, 11, 2, tzinfo=UTC)
    assert fold([set_]).unavailable("g1", inside, inside.replace(hour=8)) is not None


def test_two_different_events_under_one_id_fold_the_same_in_any_order() -> None:
    one = RosterEvent("X-1", HLC(1, 0, "X"), EventKind.ASSIGN, CELLS[0], "g1")
    other = RosterEvent("X-1", HLC(1, 0, "X"), EventKind.ASSIGN, CELLS[0], "g2")
    assert fold([one, other]) == fold([other, one])


def test_payload_round_trip_and_refusals() -> None:
    a = Terminal("A")
    event = a.edit(EventKind.ASSIGN, CELLS[0], "g1")
    again = a.edit(EventKind.UNASSIGN, CELLS[0], "g1")
    assert event_from_payload(event.to_payload()) == event
    assert event_from_payload(again.to_payload()).base == (event.event_id,)
    period = _period_event("A-9", 5, EventKind.UNAVAILABLE_SET, "A-9")
    assert event_from_payload(period.to_payload()) == period
    for broken in (
        {**event.to_payload(), "kind": "explode"},
        {**event.to_payload(), "day": "2026-13-40"},
        {k: v for k, v in event.to_payload().items() if k != "guard_id"},
        {**event.to_payload(), "base": "A-1"},
        {**period.to_payload(), "starts_at": "2026-11-01T00:00:00"},  # naive time
    ):
        with pytest.raises(ValidationError) as caught:
            event_from_payload(broken)
        assert caught.value.code == "roster.bad_event"
