"""Shift instances: the daily pattern laid on real dates in the site's zone, as UTC intervals.

A shift instance is named by the local date on which it starts and the shift's code; a
night shift 22:00-06:00 of 3 March ends on 4 March. Boundaries are cut in the site's zone
whatever the terminal's clock says (DESIGN invariant 5) and stored as UTC, so on a DST day
a shift lasts 7 or 9 hours. A wall time that the clocks skip (02:30 on a spring-forward
night) is taken as the instant the clocks jump, so consecutive shifts still meet exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from gateui.domain.errors import ValidationError
from gateui.domain.roster.config import MINUTES_PER_DAY, RosterConfig, ShiftPattern, format_clock


@dataclass(frozen=True, order=True, slots=True)
class CellKey:
    """One cell of the roster grid: a shift instance at a checkpoint."""

    day: date
    shift: str
    checkpoint: str


@dataclass(frozen=True, slots=True)
class ShiftInstance:
    day: date
    shift: str
    index: int
    """Position of the shift in the daily pattern, ordered by start time."""
    start: datetime
    end: datetime
    night: bool
    weekend: bool
    label: str
    """Language-neutral name for messages, e.g. "11-23 00:00–08:00"."""

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def cell(self, checkpoint: str) -> CellKey:
        return CellKey(self.day, self.shift, checkpoint)


def wall_to_utc(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the site's clocks show `minutes` after midnight of `day`.

    An ambiguous wall time (clocks set back) is its first occurrence; a skipped one (clocks
    set forward) is the instant of the jump. Both keep the mapping monotonic.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # Skipped wall time: fold=1 reads it with the later offset, which lands before the jump;
    # search between the two readings for the first instant whose wall time reaches it.
    lo = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    hi = first
    while (hi - lo) > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0)


def _end_text(minute: int) -> str:
    """Midnight at the end of a shift reads "24:00", as people write it; past it, "06:00"."""
    return format_clock(minute if minute == MINUTES_PER_DAY else minute % MINUTES_PER_DAY)


@dataclass(frozen=True, slots=True)
class _Spec:
    code: str
    index: int
    start_minute: int
    duration_minutes: int
    night: bool
    start_text: str
    end_text: str


class ShiftCalendar:
    """Shift instances of a pattern in a zone; instances are cached, they never change."""

    def __init__(
        self,
        shifts: Sequence[ShiftPattern],
        zone: ZoneInfo | str,
        weekend_days: Sequence[int] = (5, 6),
    ) -> None:
        self.zone = zone if isinstance(zone, ZoneInfo) else ZoneInfo(zone)
        ordered = sorted(shifts, key=lambda s: s.start_minute)
        self._specs = tuple(
            _Spec(
                s.code,
                i,
                s.start_minute,
                s.duration_minutes,
                s.is_night,
                format_clock(s.start_minute),
                _end_text(s.start_minute + s.duration_minutes),
            )
            for i, s in enumerate(ordered)
        )
        self._by_code = {s.code: s for s in self._specs}
        self._weekend = frozenset(weekend_days)
        self._cache: dict[tuple[date, str], ShiftInstance] = {}

    @classmethod
    def for_config(cls, config: RosterConfig, zone: ZoneInfo | str) -> ShiftCalendar:
        return cls(config.shifts, zone, config.weekend_days)

    @property
    def shift_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self._specs)

    def shift_times(self, code: str) -> tuple[str, str]:
        """("HH:MM", "HH:MM") local start and end, for headings."""
        spec = self._spec(code)
        return spec.start_text, spec.end_text

    def is_night(self, code: str) -> bool:
        return self._spec(code).night

    def _spec(self, code: str) -> _Spec:
        spec = self._by_code.get(code)
        if spec is None:
            raise ValidationError("roster.unknown_shift", shift=code)
        return spec

    def instance(self, day: date, code: str) -> ShiftInstance:
        key = (day, code)
        found = self._cache.get(key)
        if found is None:
            spec = self._spec(code)
            start = wall_to_utc(day, spec.start_minute, self.zone)
            end = wall_to_utc(day, spec.start_minute + spec.duration_minutes, self.zone)
            found = ShiftInstance(
                day=day,
                shift=code,
                index=spec.index,
                start=start,
                end=end,
                night=spec.night,
                weekend=day.weekday() in self._weekend,
                label=f"{day:%m-%d} {spec.start_text}–{spec.end_text}",
            )
            self._cache[key] = found
        return found

    def instances(self, first: date, last: date) -> list[ShiftInstance]:
        """Every instance starting on the local dates first..last, in time order."""
        out: list[ShiftInstance] = []
        day = first
        while day <= last:
            out.extend(self.instance(day, s.code) for s in self._specs)
            day += timedelta(days=1)
        return out

    def instance_at(self, moment: datetime) -> ShiftInstance:
        """The instance during which `moment` (aware) falls."""
        local_day = moment.astimezone(self.zone).date()
        # A shift that crossed midnight started the day before.
        for day in (local_day - timedelta(days=1), local_day, local_day + timedelta(days=1)):
            for spec in self._specs:
                inst = self.instance(day, spec.code)
                if inst.contains(moment):
                    return inst
        raise ValidationError("roster.no_shift_at", at=moment.isoformat())

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()
