"""Roster events: the only way the roster changes, on any terminal.

Each event carries an id (unique across devices), a hybrid logical clock timestamp and,
for events on a cell, `base`: the ids of the cell's latest events as its author saw them.
`base` is what lets `fold` tell an edit made after seeing another (a correction) from an
edit made without seeing it (a concurrent, offline edit - a conflict to report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from gateui.domain.errors import ValidationError
from gateui.domain.hlc import HLC
from gateui.domain.roster.calendar import CellKey


class EventKind(StrEnum):
    ASSIGN = "assign"
    UNASSIGN = "unassign"
    LOCK = "lock"
    UNLOCK = "unlock"
    RESOLVE = "resolve"
    """A leader has seen the cell's concurrent edits and accepts the merged result."""
    UNAVAILABLE_SET = "unavailable_set"
    UNAVAILABLE_CLEARED = "unavailable_cleared"


CELL_KINDS = frozenset(
    {EventKind.ASSIGN, EventKind.UNASSIGN, EventKind.LOCK, EventKind.UNLOCK, EventKind.RESOLVE}
)
GUARD_KINDS = frozenset({EventKind.ASSIGN, EventKind.UNASSIGN})
UNAVAILABILITY_KINDS = frozenset({EventKind.UNAVAILABLE_SET, EventKind.UNAVAILABLE_CLEARED})
UNAVAILABILITY_REASONS = ("leave", "sick", "quarantine", "training", "other")


@dataclass(frozen=True, slots=True)
class Unavailability:
    """A guard cannot work from `starts_at` to `ends_at` (UTC, end excluded)."""

    id: str
    guard_id: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    note: str = ""

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.starts_at < end and start < self.ends_at


@dataclass(frozen=True, slots=True)
class RosterEvent:
    event_id: str
    hlc: HLC
    kind: EventKind
    cell: CellKey | None = None
    guard_id: str | None = None
    base: tuple[str, ...] = ()
    unavailability_id: str | None = None
    """Which unavailability an UNAVAILABLE_SET / _CLEARED event is about."""
    period: Unavailability | None = None
    """The period an UNAVAILABLE_SET event sets (None for every other kind)."""
    author_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind in CELL_KINDS and self.cell is None:
            raise ValidationError("roster.bad_event", detail=f"{self.kind} needs a cell")
        needs_guard = self.kind in GUARD_KINDS or self.kind in UNAVAILABILITY_KINDS
        if needs_guard and not self.guard_id:
            raise ValidationError("roster.bad_event", detail=f"{self.kind} needs a guard")
        if self.kind in UNAVAILABILITY_KINDS and not self.unavailability_id:
            raise ValidationError("roster.bad_event", detail=f"{self.kind} needs an id")
        if (self.kind is EventKind.UNAVAILABLE_SET) != (self.period is not None):
            raise ValidationError("roster.bad_event", detail=f"{self.kind}: period")

    @property
    def order_key(self) -> tuple[HLC, str]:
        """The total order in which edits win: HLC first, the id only breaks exact ties."""
        return (self.hlc, self.event_id)

    def to_payload(self) -> dict[str, Any]:
        """Plain JSON-able dict: the change-log payload and what sync carries."""
        out: dict[str, Any] = {
            "id": self.event_id,
            "kind": self.kind.value,
            "hlc_ms": self.hlc.physical_ms,
            "hlc_counter": self.hlc.counter,
            "hlc_node": self.hlc.node,
            "author_id": self.author_id,
        }
        if self.cell is not None:
            out |= {
                "day": self.cell.day.isoformat(),
                "shift": self.cell.shift,
                "checkpoint": self.cell.checkpoint,
                "base": sorted(self.base),
            }
        if self.guard_id is not None:
            out["guard_id"] = self.guard_id
        if self.unavailability_id is not None:
            out["unavailability_id"] = self.unavailability_id
        if self.period is not None:
            out |= {
                "starts_at": self.period.starts_at.isoformat(),
                "ends_at": self.period.ends_at.isoformat(),
                "reason": self.period.reason,
                "note": self.period.note,
            }
        return out


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValidationError("roster.bad_event", detail=f"{key} missing")
    return value


def _moment(data: Mapping[str, Any], key: str) -> datetime:
    moment = datetime.fromisoformat(_text(data, key))
    if moment.tzinfo is None:
        raise ValidationError("roster.bad_event", detail=f"{key} has no time zone")
    return moment


def event_from_payload(data: Mapping[str, Any]) -> RosterEvent:
    """Parse a payload written by `to_payload` on any device; refuses what is malformed."""
    try:
        kind = EventKind(_text(data, "kind"))
        hlc = HLC(int(data["hlc_ms"]), int(data["hlc_counter"]), _text(data, "hlc_node"))
        cell = None
        if kind in CELL_KINDS:
            day = date.fromisoformat(_text(data, "day"))
            cell = CellKey(day, _text(data, "shift"), _text(data, "checkpoint"))
        guard = _text(data, "guard_id") if kind not in CELL_KINDS - GUARD_KINDS else None
        uid = _text(data, "unavailability_id") if kind in UNAVAILABILITY_KINDS else None
        period = None
        if kind is EventKind.UNAVAILABLE_SET:
            assert guard is not None and uid is not None
            start, end = _moment(data, "starts_at"), _moment(data, "ends_at")
            note = data.get("note") or ""
            period = Unavailability(uid, guard, start, end, _text(data, "reason"), str(note))
        base = data.get("base") or []
        if not isinstance(base, list) or not all(isinstance(b, str) for b in base):
            raise ValidationError("roster.bad_event", detail="base must be a list of ids")
        author = data.get("author_id")
        return RosterEvent(
            event_id=_text(data, "id"),
            hlc=hlc,
            kind=kind,
            cell=cell,
            guard_id=guard,
            base=tuple(sorted(base)) if cell is not None else (),
            unavailability_id=uid,
            period=period,
            author_id=author if isinstance(author, str) else None,
        )
    except ValidationError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError("roster.bad_event", detail=str(exc)) from exc
