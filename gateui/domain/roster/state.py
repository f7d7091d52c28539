"""Folding roster events into the roster: the same set of events gives the same roster.

`fold` depends only on the *set* of events (by id), never on the order in which they
arrived or how often: two terminals that have exchanged their events show the same roster.
Each (cell, guard) pair and each cell's lock is a register whose value is set by its
latest event in HLC order. Edits of one cell made without seeing each other (two leaders
offline) are not merged silently: the cell is reported as a conflict, naming the edits and
those whose effect lost, until a leader edits the cell again or confirms it (RESOLVE).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from gateui.domain.hlc import HLC
from gateui.domain.roster.calendar import CellKey
from gateui.domain.roster.events import EventKind, RosterEvent, Unavailability


@dataclass(frozen=True, slots=True)
class CellConflict:
    """Concurrent edits of one cell; the roster shows the HLC-ordered result meanwhile."""

    cell: CellKey
    concurrent: tuple[RosterEvent, ...]
    """The cell's latest edits, none of which saw the others (sorted by HLC)."""
    overridden: tuple[RosterEvent, ...]
    """Edits whose effect was undone by a concurrent edit that sorts later."""


@dataclass(frozen=True)
class RosterState:
    assignments: Mapping[CellKey, frozenset[str]] = field(default_factory=dict)
    """Guards of each cell that has any (cells without guards are absent)."""
    locked: frozenset[CellKey] = frozenset()
    unavailability: Mapping[str, Unavailability] = field(default_factory=dict)
    """Current unavailability periods by id (cleared ones are gone)."""
    conflicts: tuple[CellConflict, ...] = ()
    heads: Mapping[CellKey, tuple[str, ...]] = field(default_factory=dict)
    """Ids of each cell's latest events: the `base` of the next edit of that cell."""
    last_hlc: HLC | None = None

    def guards_of(self, cell: CellKey) -> frozenset[str]:
        return self.assignments.get(cell, frozenset())

    def conflict_at(self, cell: CellKey) -> CellConflict | None:
        for conflict in self.conflicts:
            if conflict.cell == cell:
                return conflict
        return None

    def unavailable(self, guard_id: str, start: datetime, end: datetime) -> Unavailability | None:
        for period in self.unavailability.values():
            if period.guard_id == guard_id and period.overlaps(start, end):
                return period
        return None

    def cells_of(self, guard_id: str) -> list[CellKey]:
        return sorted(c for c, guards in self.assignments.items() if guard_id in guards)


def _unique(events: Iterable[RosterEvent]) -> dict[str, RosterEvent]:
    """One event per id. Two different events under one id cannot come from a sane device;
    keep the one that sorts last by content so the choice does not depend on arrival order."""
    by_id: dict[str, RosterEvent] = {}
    for event in events:
        known = by_id.get(event.event_id)
        if known is None or (known != event and repr(event) > repr(known)):
            by_id[event.event_id] = event
    return by_id


def _ancestors(event: RosterEvent, by_id: Mapping[str, RosterEvent]) -> set[str]:
    seen: set[str] = set()
    stack = list(event.base)
    while stack:
        eid = stack.pop()
        if eid in seen:
            continue
        seen.add(eid)
        parent = by_id.get(eid)
        if parent is not None:
            stack.extend(parent.base)
    return seen


def _register(event: RosterEvent) -> str:
    """Which value of the cell the event sets: a guard's presence, or the lock."""
    if event.guard_id is not None:
        return "guard:" + event.guard_id
    return "lock" if event.kind in (EventKind.LOCK, EventKind.UNLOCK) else "none"


def _fold_cell(
    cell: CellKey, events: list[RosterEvent]
) -> tuple[frozenset[str], bool, tuple[str, ...], CellConflict | None]:
    winners: dict[str, RosterEvent] = {}
    referenced: set[str] = set()
    for event in events:
        referenced.update(event.base)
        if event.kind is EventKind.RESOLVE:
            continue
        reg = _register(event)
        best = winners.get(reg)
        if best is None or event.order_key > best.order_key:
            winners[reg] = event
    guards = frozenset(
        w.guard_id for w in winners.values() if w.kind is EventKind.ASSIGN and w.guard_id
    )
    lock = winners.get("lock")
    locked = lock is not None and lock.kind is EventKind.LOCK
    heads = sorted((e for e in events if e.event_id not in referenced), key=lambda e: e.order_key)
    conflict = None
    if len(heads) > 1:
        by_id = {e.event_id: e for e in events}
        lost = []
        for event in events:
            if event.kind is EventKind.RESOLVE:
                continue
            winner = winners[_register(event)]
            # Lost concurrently: beaten by an edit whose author had not seen this one.
            if winner is not event and event.event_id not in _ancestors(winner, by_id):
                lost.append(event)
        conflict = CellConflict(cell, tuple(heads), tuple(sorted(lost, key=lambda e: e.order_key)))
    return guards, locked, tuple(e.event_id for e in heads), conflict


def fold(events: Iterable[RosterEvent]) -> RosterState:
    """The roster that a set of events describes (order and duplicates do not matter)."""
    by_id = _unique(events)
    by_cell: dict[CellKey, list[RosterEvent]] = {}
    periods: dict[str, RosterEvent] = {}
    last: HLC | None = None
    for event in by_id.values():
        last = event.hlc if last is None or event.hlc > last else last
        if event.cell is not None:
            by_cell.setdefault(event.cell, []).append(event)
        elif event.unavailability_id is not None:
            known = periods.get(event.unavailability_id)
            if known is None or event.order_key > known.order_key:
                periods[event.unavailability_id] = event
    assignments: dict[CellKey, frozenset[str]] = {}
    locked: set[CellKey] = set()
    heads: dict[CellKey, tuple[str, ...]] = {}
    conflicts: list[CellConflict] = []
    for cell, cell_events in by_cell.items():
        guards, is_locked, cell_heads, conflict = _fold_cell(cell, cell_events)
        if guards:
            assignments[cell] = guards
        if is_locked:
            locked.add(cell)
        heads[cell] = cell_heads
        if conflict is not None:
            conflicts.append(conflict)
    current = {
        uid: e.period
        for uid, e in periods.items()
        if e.kind is EventKind.UNAVAILABLE_SET and e.period is not None
    }
    return RosterState(
        assignments=assignments,
        locked=frozenset(locked),
        unavailability=current,
        conflicts=tuple(sorted(conflicts, key=lambda c: c.cell)),
        heads=heads,
        last_hlc=last,
    )
