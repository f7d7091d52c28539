"""One guard's duties as the generator sees them: sorted, with the hard rules as quick checks.

The checks here must agree exactly with `rules.check` (rest, double-booking, 7-day count,
nights in a row, unavailability): the generator's promise "never breaks a hard rule" rests
on it, and a property test holds the two together.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from gateui.domain.roster.calendar import ShiftInstance
from gateui.domain.roster.config import RosterConfig

# Why a guard could not take a shift, in the order they are tested; message codes.
UNAVAILABLE = "roster.blocked.unavailable"
ON_DUTY = "roster.blocked.on_duty"
REST = "roster.blocked.rest"
MAX_SHIFTS = "roster.blocked.max_shifts"
NIGHTS = "roster.blocked.nights"
BLOCK_REASONS = (UNAVAILABLE, ON_DUTY, REST, MAX_SHIFTS, NIGHTS)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAY_SECONDS = 86_400


def _seconds(moment: datetime) -> int:
    return int((moment - _EPOCH).total_seconds())


@dataclass(frozen=True, slots=True)
class Slot:
    """A shift instance reduced to integers (seconds, day ordinal) for fast comparisons."""

    start: int
    end: int
    day: int
    night: bool
    weekend: bool
    hours: float

    @classmethod
    def of(cls, inst: ShiftInstance) -> Slot:
        return cls(
            _seconds(inst.start),
            _seconds(inst.end),
            inst.day.toordinal(),
            inst.night,
            inst.weekend,
            inst.hours,
        )


class GuardSchedule:
    def __init__(
        self, config: RosterConfig, unavailable: Sequence[tuple[datetime, datetime]] = ()
    ) -> None:
        self.rest = config.min_rest_hours * 3600
        self.max_in_7 = config.max_shifts_per_7_days
        self.max_nights = config.max_nights_in_a_row
        self.unavailable = [(_seconds(a), _seconds(b)) for a, b in unavailable]
        self.duties: list[tuple[int, int]] = []  # (start, end), sorted
        self.days: list[int] = []  # day ordinals of the duties, sorted (with repeats)
        self.nights: dict[int, int] = {}  # day ordinal -> night duties that day

    def add(self, slot: Slot) -> None:
        insort(self.duties, (slot.start, slot.end))
        insort(self.days, slot.day)
        if slot.night:
            self.nights[slot.day] = self.nights.get(slot.day, 0) + 1

    def remove(self, slot: Slot) -> None:
        self.duties.pop(bisect_left(self.duties, (slot.start, slot.end)))
        self.days.pop(bisect_left(self.days, slot.day))
        if slot.night:
            left = self.nights[slot.day] - 1
            if left:
                self.nights[slot.day] = left
            else:
                del self.nights[slot.day]

    def blocker(self, slot: Slot) -> str | None:
        """The first hard rule that taking `slot` would break, or None."""
        if any(a < slot.end and slot.start < b for a, b in self.unavailable):
            return UNAVAILABLE
        rest_problem = False
        lo = bisect_left(self.duties, (slot.start - self.rest - 2 * _DAY_SECONDS, 0))
        for start, end in self.duties[lo:]:
            if start >= slot.end + self.rest:
                break
            if start < slot.end and slot.start < end:
                return ON_DUTY
            gap = slot.start - end if end <= slot.start else start - slot.end
            rest_problem = rest_problem or gap < self.rest
        if rest_problem:
            return REST
        if self._window_too_full(slot.day):
            return MAX_SHIFTS
        if slot.night and self._night_run(slot.day) > self.max_nights:
            return NIGHTS
        return None

    def _window_too_full(self, day: int) -> bool:
        lo, hi = bisect_left(self.days, day - 6), bisect_right(self.days, day + 6)
        near = self.days[lo:hi]
        if len(near) < self.max_in_7:
            return False
        for window_start in range(day - 6, day + 1):
            inside = bisect_right(near, window_start + 6) - bisect_left(near, window_start)
            if inside + 1 > self.max_in_7:
                return True
        return False

    def _night_run(self, day: int) -> int:
        run = 1
        d = day - 1
        while d in self.nights:
            run, d = run + 1, d - 1
        d = day + 1
        while d in self.nights:
            run, d = run + 1, d + 1
        return run
