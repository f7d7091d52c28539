"""What the roster services hand to the TUI and the CLI: plain frozen values, no ORM rows.

Times are UTC-aware datetimes plus the site-local "HH:MM" texts a grid needs; every
violation is a message code with its params, ready for `Translator(code, **params)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from gateui.domain.roster import CellKey, GenerationResult


@dataclass(frozen=True)
class GuardRef:
    id: str
    name: str


@dataclass(frozen=True)
class ViolationView:
    code: str
    params: Mapping[str, str | int | float]
    severity: str  # error, warning
    cells: tuple[CellKey, ...]


@dataclass(frozen=True)
class ShiftHeading:
    code: str  # night, day, evening (label key: "roster.shift.<code>")
    start: str  # "00:00", site-local
    end: str  # "08:00"
    night: bool


@dataclass(frozen=True)
class RosterCellView:
    cell: CellKey
    starts_at: datetime
    ends_at: datetime
    guards: tuple[GuardRef, ...]
    required: int
    locked: bool
    conflict: bool
    violations: tuple[ViolationView, ...]

    @property
    def short_by(self) -> int:
        return max(0, self.required - len(self.guards))

    @property
    def is_short(self) -> bool:
        return self.short_by > 0

    @property
    def has_errors(self) -> bool:
        return any(v.severity == "error" for v in self.violations)


@dataclass(frozen=True)
class ConflictEdit:
    kind: str  # assign, unassign, lock, unlock ("roster.edit.<kind>")
    guard: GuardRef | None
    device: str
    author: str | None  # the leader's name


@dataclass(frozen=True)
class ConflictView:
    """Edits of one cell made on different terminals without seeing each other."""

    cell: CellKey
    devices: tuple[str, ...]
    edits: tuple[ConflictEdit, ...]  # the concurrent latest edits
    overridden: tuple[ConflictEdit, ...]  # edits whose effect a concurrent edit undid


@dataclass(frozen=True)
class RosterGridView:
    first: date
    last: date
    days: tuple[date, ...]
    checkpoints: tuple[tuple[str, str], ...]  # (code, name)
    shifts: tuple[ShiftHeading, ...]
    cells: Mapping[CellKey, RosterCellView]
    violations: tuple[ViolationView, ...]
    conflicts: tuple[ConflictView, ...]
    unavailable: tuple[UnavailabilityView, ...] = ()

    def cell(self, day: date, shift: str, checkpoint: str) -> RosterCellView:
        return self.cells[CellKey(day, shift, checkpoint)]

    @property
    def short_cells(self) -> int:
        return sum(1 for c in self.cells.values() if c.is_short)


@dataclass(frozen=True)
class UnavailabilityView:
    id: str
    guard: GuardRef
    starts_at: datetime
    ends_at: datetime
    reason: str  # leave, sick, quarantine, training, other ("roster.reason.<code>")
    note: str


@dataclass(frozen=True)
class CopyResult:
    events: int
    skipped: tuple[tuple[CellKey, GuardRef, str], ...] = ()
    """(target cell, guard, message code) of guards not copied (unavailable, inactive)."""


@dataclass(frozen=True)
class GenerationReport:
    result: GenerationResult
    names: Mapping[str, str]  # guard id -> name, for the assignments
    events: int = 0  # roster events written (0 for a preview)


@dataclass(frozen=True)
class NextShiftView:
    cell: CellKey
    checkpoint_name: str
    starts_at: datetime
    ends_at: datetime
    start: str  # site-local "HH:MM"
    end: str
    night: bool
    colleagues: tuple[GuardRef, ...]


@dataclass(frozen=True)
class AttendanceRow:
    guard: GuardRef
    status: str  # present, late, no_show, expected, elsewhere ("roster.attendance.<status>")
    checked_in_at: datetime | None
    late_minutes: int = 0
    checkpoint: str | None = None  # where they logged in, if elsewhere


@dataclass(frozen=True)
class AttendanceView:
    cell: CellKey
    starts_at: datetime
    ends_at: datetime
    grace_ends_at: datetime
    rostered: tuple[AttendanceRow, ...]
    unrostered: tuple[AttendanceRow, ...]  # guards who logged in here but are not rostered
    required: int

    @property
    def present(self) -> int:
        return sum(1 for r in self.rostered if r.status in ("present", "late"))

    @property
    def missing(self) -> tuple[AttendanceRow, ...]:
        return tuple(r for r in self.rostered if r.status in ("no_show", "elsewhere"))


@dataclass(frozen=True)
class ShiftSummary:
    cell: CellKey
    starts_at: datetime
    ends_at: datetime
    people_in: int = 0
    people_out: int = 0
    vehicles_in: int = 0
    vehicles_out: int = 0
    denied: int = 0
    referred: int = 0
    reasons: Mapping[str, int] = field(default_factory=dict)  # refusal reason code -> count
    watch_hits: int = 0
    overrides: int = 0
    corrections: int = 0
    voided: int = 0


@dataclass(frozen=True)
class HandoverView:
    id: str
    cell: CellKey
    outgoing: GuardRef
    note: str
    written_at: datetime
    summary: ShiftSummary
    incoming: GuardRef | None
    acknowledged_at: datetime | None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None
