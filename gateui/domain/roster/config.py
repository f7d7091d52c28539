"""The roster settings of a site: the shift pattern and the rules a roster must keep.

`RosterConfig` will hang under `SiteConfig.roster`; every field has a default, so a site
file without a roster section gets three 8-hour shifts and the usual labour rules.
A pattern must tile the day exactly: an overlap or a gap is refused with a message code,
because a gap means hours nobody guards and an overlap means hours counted twice.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from gateui.domain.errors import ValidationError

MINUTES_PER_DAY = 24 * 60
# Night work in Chinese labour practice is roughly 22:00-06:00; a shift most of whose
# minutes fall in that window counts as a night shift (for "nights in a row" and fairness).
_NIGHT_WINDOW = ((0, 6 * 60), (22 * 60, MINUTES_PER_DAY))


def parse_clock(text: str) -> int:
    """Minutes after midnight of "HH:MM" ("24:00" allowed: the end of the day)."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValidationError("roster_config.bad_time", value=text)
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > MINUTES_PER_DAY:
        raise ValidationError("roster_config.bad_time", value=text)
    return value


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class ShiftPattern(BaseModel):
    """One shift of the daily pattern, in the site's local time; end <= start crosses midnight."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_]+$")
    start: str
    end: str
    night: bool | None = None
    """None: decided from the hours (most of the shift between 22:00 and 06:00)."""

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value.strip()

    @property
    def start_minute(self) -> int:
        return parse_clock(self.start) % MINUTES_PER_DAY

    @property
    def duration_minutes(self) -> int:
        """Length on an ordinary day (a DST day makes the real shift an hour longer or shorter)."""
        return (parse_clock(self.end) - parse_clock(self.start)) % MINUTES_PER_DAY

    @property
    def is_night(self) -> bool:
        if self.night is not None:
            return self.night
        start = self.start_minute
        covered = 0
        for minute in range(start, start + self.duration_minutes):
            m = minute % MINUTES_PER_DAY
            covered += any(lo <= m < hi for lo, hi in _NIGHT_WINDOW)
        return covered * 2 > self.duration_minutes


class CoverRule(BaseModel):
    """Guards needed for a checkpoint and/or a shift; the most specific rule wins."""

    model_config = ConfigDict(frozen=True)

    checkpoint: str | None = None
    shift: str | None = None
    guards: int = Field(ge=0, le=50)


def _default_shifts() -> list[ShiftPattern]:
    return [
        ShiftPattern(code="night", start="00:00", end="08:00"),
        ShiftPattern(code="day", start="08:00", end="16:00"),
        ShiftPattern(code="evening", start="16:00", end="24:00"),
    ]


def check_shift_pattern(shifts: list[ShiftPattern]) -> None:
    """Refuse a pattern that does not cover each day exactly once."""
    if not shifts:
        raise ValidationError("roster_config.no_shifts")
    codes = [s.code for s in shifts]
    for code in codes:
        if codes.count(code) > 1:
            raise ValidationError("roster_config.duplicate_shift", shift=code)
    for s in shifts:
        if s.duration_minutes == 0:
            raise ValidationError("roster_config.empty_shift", shift=s.code)
    ordered = sorted(shifts, key=lambda s: s.start_minute)
    # Walk the day from the earliest start: each shift must end where the next one starts.
    for here, after in zip(ordered, ordered[1:] + ordered[:1], strict=True):
        end = (here.start_minute + here.duration_minutes) % MINUTES_PER_DAY
        if end == after.start_minute:
            continue
        # Distance from here's start to the next start vs here's length tells which it is.
        to_next = (after.start_minute - here.start_minute) % MINUTES_PER_DAY
        if len(ordered) == 1:
            to_next = MINUTES_PER_DAY
        params = {"first": here.code, "second": after.code}
        if to_next == 0 or here.duration_minutes > to_next:
            raise ValidationError("roster_config.shifts_overlap", **params)
        raise ValidationError(
            "roster_config.shifts_gap", **params, start=format_clock(end), end=after.start
        )
    total = sum(s.duration_minutes for s in shifts)
    if total != MINUTES_PER_DAY:
        raise ValidationError("roster_config.shifts_overlap", first=codes[0], second=codes[-1])


class RosterConfig(BaseModel):
    """Shift pattern and hard rules of the roster of one site."""

    model_config = ConfigDict(frozen=True)

    shifts: list[ShiftPattern] = Field(default_factory=_default_shifts)
    """The daily pattern, in the site's time zone; must cover 24 hours without overlap."""
    required_guards: int = Field(default=2, ge=0, le=50)
    """Guards needed at each checkpoint in each shift, unless a cover rule says otherwise."""
    cover: list[CoverRule] = Field(default_factory=list)
    """Exceptions to required_guards, e.g. {checkpoint="S1", shift="night", guards=1}."""
    min_rest_hours: float = Field(default=16, ge=0, le=72)
    """Least rest between the end of one shift and the start of the guard's next one."""
    max_shifts_per_7_days: int = Field(default=6, ge=1, le=21)
    """Most shifts a guard may work in any 7 consecutive days."""
    max_nights_in_a_row: int = Field(default=3, ge=1, le=14)
    """Most night shifts a guard may work on consecutive days."""
    weekend_days: list[int] = Field(default_factory=lambda: [5, 6])
    """Weekdays (Monday = 0) that count as weekend for fairness."""
    late_grace_minutes: int = Field(default=10, ge=0, le=240)
    """A check-in this long after the shift's start is still on time; later is late."""
    checkin_early_minutes: int = Field(default=60, ge=0, le=240)
    """A login this long before the shift's start already counts as its check-in."""

    @model_validator(mode="after")
    def _pattern_tiles_the_day(self) -> RosterConfig:
        check_shift_pattern(self.shifts)
        return self

    @field_validator("weekend_days")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if any(not 0 <= d <= 6 for d in value):
            raise ValidationError("roster_config.bad_weekday", days=str(value))
        return sorted(set(value))

    def required(self, checkpoint: str, shift: str) -> int:
        best: tuple[int, int] | None = None
        for rule in self.cover:
            if rule.checkpoint not in (None, checkpoint) or rule.shift not in (None, shift):
                continue
            specificity = (rule.checkpoint is not None) * 2 + (rule.shift is not None)
            if best is None or specificity >= best[0]:
                best = (specificity, rule.guards)
        return self.required_guards if best is None else best[1]

    def shift(self, code: str) -> ShiftPattern:
        for s in self.shifts:
            if s.code == code:
                return s
        raise ValidationError("roster.unknown_shift", shift=code)


def load_roster_config(data: dict[str, Any] | None) -> RosterConfig:
    """Build the settings from a site file's [roster] table, reporting our own error code.

    Pydantic wraps a ValueError raised in a validator; unwrap ours so the user sees
    "shifts night and day overlap" rather than a pydantic dump.
    """
    try:
        return RosterConfig.model_validate(data or {})
    except PydanticValidationError as exc:
        for error in exc.errors():
            inner = (error.get("ctx") or {}).get("error")
            if isinstance(inner, ValidationError):
                raise inner from exc
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError("roster_config.invalid", field=where, detail=first["msg"]) from exc
