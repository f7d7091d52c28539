"""Building roster events in tests: a tiny terminal that edits, folds and syncs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from gateui.domain.hlc import HLC, ZERO, send
from gateui.domain.roster import CellKey, EventKind, RosterEvent, RosterState, fold

DAY = date(2026, 11, 23)
CELLS = [CellKey(DAY, s, cp) for s in ("night", "day") for cp in ("N1", "S1")]
GUARDS = ["g1", "g2", "g3"]


@dataclass
class Terminal:
    """One device: its known events, a wall clock the test moves, and a counter for ids."""

    node: str
    known: dict[str, RosterEvent] = field(default_factory=dict)
    wall: int = 1_000
    seq: int = 0

    def state(self) -> RosterState:
        return fold(self.known.values())

    def clock(self) -> HLC:
        return max((e.hlc for e in self.known.values()), default=ZERO)

    def edit(self, kind: EventKind, cell: CellKey, guard: str | None = None) -> RosterEvent:
        self.seq += 1
        event = RosterEvent(
            event_id=f"{self.node}-{self.seq}",
            hlc=send(self.clock(), self.wall, self.node),
            kind=kind,
            cell=cell,
            guard_id=guard,
            base=self.state().heads.get(cell, ()),
        )
        self.known[event.event_id] = event
        return event

    def pull(self, other: Terminal) -> None:
        self.known.update(other.known)
