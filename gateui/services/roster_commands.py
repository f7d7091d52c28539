"""Leaders' roster commands and how they become events, checked against the current roster.

A command says what the leader wants ("assign 王强 to N1, night of 11-23"); the draft
checks it against the roster as it stands - including the commands before it in the same
batch - and writes the matching event. Everything happens in the caller's transaction, so
a refused command leaves nothing of the batch behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from gateui.domain.errors import ValidationError
from gateui.domain.hlc import send
from gateui.domain.roster import (
    CellKey,
    EventKind,
    Guard,
    RosterEvent,
    RosterState,
    ShiftCalendar,
    ShiftInstance,
    Unavailability,
    wall_to_utc,
)
from gateui.domain.roster.events import UNAVAILABILITY_REASONS
from gateui.errors import PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.roster_store import last_hlc, store_event
from gateui.store.changelog import next_seq
from gateui.store.models import AppUser


@dataclass(frozen=True)
class Assign:
    cell: CellKey
    guard_id: str


@dataclass(frozen=True)
class Unassign:
    cell: CellKey
    guard_id: str


@dataclass(frozen=True)
class Lock:
    """Keep the cell as it is when generating or copying a week."""

    cell: CellKey


@dataclass(frozen=True)
class Unlock:
    cell: CellKey


@dataclass(frozen=True)
class Resolve:
    """Accept the merged result of concurrent edits of a cell (clears the conflict)."""

    cell: CellKey


@dataclass(frozen=True)
class SetUnavailable:
    """The guard cannot work on the site-local dates first..last (whole days)."""

    guard_id: str
    first: date
    last: date
    reason: str  # leave, sick, quarantine, training, other
    note: str = ""


@dataclass(frozen=True)
class ClearUnavailable:
    unavailability_id: str


RosterCommand = Assign | Unassign | Lock | Unlock | Resolve | SetUnavailable | ClearUnavailable


def reason_code(reason: str) -> str:
    return reason if reason in UNAVAILABILITY_REASONS else "other"


def require_leader(s: Session, user_id: str) -> AppUser:
    user = s.get(AppUser, user_id)
    if user is None or not user.active or user.role not in ("leader", "admin"):
        raise PermissionDeniedError("auth.not_leader")
    return user


class RosterDraft:
    """The roster during one transaction's batch of commands."""

    def __init__(
        self,
        ctx: GateContext,
        s: Session,
        state: RosterState,
        calendar: ShiftCalendar,
        guards: dict[str, Guard],
    ) -> None:
        self.ctx, self.s, self.calendar, self.guards = ctx, s, calendar, guards
        self.assigned = {cell: set(gids) for cell, gids in state.assignments.items()}
        self.locked = set(state.locked)
        self.heads = dict(state.heads)
        self.conflicts = {c.cell for c in state.conflicts}
        self.unavailability = dict(state.unavailability)
        # New events must sort after every event this database holds, not only those loaded.
        stored = last_hlc(s)
        self.clock = max(stored, state.last_hlc) if state.last_hlc else stored
        self.checkpoints = {cp.code for cp in ctx.site.checkpoints}
        self.written: list[str] = []

    def instance(self, cell: CellKey) -> ShiftInstance:
        if cell.checkpoint not in self.checkpoints:
            raise ValidationError("roster.unknown_checkpoint", checkpoint=cell.checkpoint)
        return self.calendar.instance(cell.day, cell.shift)

    def guard(self, guard_id: str) -> Guard:
        guard = self.guards.get(guard_id)
        if guard is None:
            raise ValidationError("roster.unknown_guard", guard=guard_id)
        if not guard.active:
            raise ValidationError("roster.guard_inactive", guard=guard.name)
        return guard

    def unavailable(self, guard_id: str, inst: ShiftInstance) -> Unavailability | None:
        for period in self.unavailability.values():
            if period.guard_id == guard_id and period.overlaps(inst.start, inst.end):
                return period
        return None

    def apply(self, command: RosterCommand, author_id: str) -> str | None:
        """Write the event for one command; None when it changes nothing (lock a locked cell)."""
        match command:
            case Assign(cell, guard_id):
                return self._assign(cell, guard_id, author_id)
            case Unassign(cell, guard_id):
                inst = self.instance(cell)
                if guard_id not in self.assigned.get(cell, set()):
                    name = self.guards[guard_id].name if guard_id in self.guards else guard_id
                    raise ValidationError(
                        "roster.not_assigned",
                        guard=name,
                        shift=inst.label,
                        checkpoint=cell.checkpoint,
                    )
                self.assigned[cell].discard(guard_id)
                return self._emit(EventKind.UNASSIGN, author_id, cell=cell, guard_id=guard_id)
            case Lock(cell) | Unlock(cell):
                self.instance(cell)
                want = isinstance(command, Lock)
                if (cell in self.locked) == want:
                    return None
                if want:
                    self.locked.add(cell)
                    return self._emit(EventKind.LOCK, author_id, cell=cell)
                self.locked.discard(cell)
                return self._emit(EventKind.UNLOCK, author_id, cell=cell)
            case Resolve(cell):
                inst = self.instance(cell)
                if cell not in self.conflicts:
                    raise ValidationError(
                        "roster.nothing_to_resolve", shift=inst.label, checkpoint=cell.checkpoint
                    )
                return self._emit(EventKind.RESOLVE, author_id, cell=cell)
            case SetUnavailable():
                return self._set_unavailable(command, author_id)
            case ClearUnavailable(uid):
                period = self.unavailability.pop(uid, None)
                if period is None:
                    raise ValidationError("roster.unknown_unavailability", id=uid)
                return self._emit(
                    EventKind.UNAVAILABLE_CLEARED, author_id, guard_id=period.guard_id, uid=uid
                )
        raise ValidationError("roster.bad_event", detail=type(command).__name__)

    def _assign(self, cell: CellKey, guard_id: str, author_id: str) -> str:
        inst = self.instance(cell)
        guard = self.guard(guard_id)
        if guard_id in self.assigned.get(cell, set()):
            raise ValidationError(
                "roster.already_assigned",
                guard=guard.name,
                shift=inst.label,
                checkpoint=cell.checkpoint,
            )
        period = self.unavailable(guard_id, inst)
        if period is not None:
            raise ValidationError(
                f"roster.unavailable.{reason_code(period.reason)}",
                guard=guard.name,
                shift=inst.label,
                first=f"{self.calendar.local_day(period.starts_at):%m-%d}",
                last=f"{self.calendar.local_day(period.ends_at - timedelta(seconds=1)):%m-%d}",
            )
        self.assigned.setdefault(cell, set()).add(guard_id)
        return self._emit(EventKind.ASSIGN, author_id, cell=cell, guard_id=guard_id)

    def _set_unavailable(self, command: SetUnavailable, author_id: str) -> str:
        guard = self.guard(command.guard_id)
        if command.last < command.first:
            raise ValidationError(
                "roster.bad_period", first=command.first.isoformat(), last=command.last.isoformat()
            )
        if command.reason not in UNAVAILABILITY_REASONS:
            raise ValidationError("roster.bad_reason", reason=command.reason)
        zone = self.calendar.zone
        uid = self._next_id()  # the period is named after the event that sets it
        period = Unavailability(
            uid,
            guard.id,
            wall_to_utc(command.first, 0, zone),
            wall_to_utc(command.last + timedelta(days=1), 0, zone),
            command.reason,
            command.note.strip(),
        )
        self.unavailability[uid] = period
        return self._emit(
            EventKind.UNAVAILABLE_SET, author_id, guard_id=guard.id, uid=uid, period=period
        )

    def _next_id(self) -> str:
        return f"{self.ctx.device_id}-{next_seq(self.s, self.ctx.device_id)}"

    def _emit(
        self,
        kind: EventKind,
        author_id: str,
        *,
        cell: CellKey | None = None,
        guard_id: str | None = None,
        uid: str | None = None,
        period: Unavailability | None = None,
    ) -> str:
        wall_ms = int(self.ctx.now().timestamp() * 1000)
        self.clock = send(self.clock, wall_ms, self.ctx.device_id)
        event = RosterEvent(
            event_id=self._next_id(),
            hlc=self.clock,
            kind=kind,
            cell=cell,
            guard_id=guard_id,
            base=tuple(sorted(self.heads.get(cell, ()))) if cell else (),
            unavailability_id=uid,
            period=period,
            author_id=author_id,
        )
        store_event(self.ctx, self.s, event)
        if cell is not None:
            # The new event saw the cell's heads: it is now the only one, conflict settled.
            self.heads[cell] = (event.event_id,)
            self.conflicts.discard(cell)
        self.written.append(event.event_id)
        return event.event_id
