"""Checking a roster against the site's rules; every finding says what, where and who.

A violation is a message code ("roster.rule.*") and the params its text needs, all plain
strings and numbers (guard names, "11-23 00:00–08:00" shift labels), so the grid, the CLI
and the published text explain it in Chinese or English alike. Rules that look at a
guard's whole schedule (rest, 7-day count, nights in a row) also read assignments just
outside the period checked, so a violation across its edge is not missed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Literal

from gateui.domain.roster.calendar import CellKey, ShiftCalendar, ShiftInstance
from gateui.domain.roster.config import RosterConfig
from gateui.domain.roster.events import UNAVAILABILITY_REASONS, Unavailability
from gateui.domain.roster.state import RosterState

Severity = Literal["error", "warning"]
Params = dict[str, str | int | float]
# Rules reach this far from a shift (7-day window, rest, a run of nights).
_MARGIN_DAYS = 14


@dataclass(frozen=True, slots=True)
class Guard:
    id: str
    name: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    cells: tuple[CellKey, ...]
    """The cells to flag on the grid."""
    guard_id: str | None = None
    params: Mapping[str, str | int | float] = field(default_factory=dict)
    severity: Severity = "error"


@dataclass(frozen=True, slots=True)
class _Duty:
    inst: ShiftInstance
    cell: CellKey


def _hours(value: float) -> int | float:
    """8 rather than 8.0 in a message; 7.5 stays 7.5."""
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def _day(duty: _Duty) -> str:
    return f"{duty.inst.day:%m-%d}"


def _name(guards: Mapping[str, Guard], guard_id: str) -> str:
    guard = guards.get(guard_id)
    return guard.name if guard else guard_id


def _cover_violations(
    state: RosterState,
    config: RosterConfig,
    instances: Sequence[ShiftInstance],
    checkpoints: Sequence[str],
) -> list[Violation]:
    out = []
    for inst in instances:
        for cp in checkpoints:
            cell = inst.cell(cp)
            have, need = len(state.guards_of(cell)), config.required(cp, inst.shift)
            if have == need:
                continue
            params: Params = {
                "shift": inst.label,
                "checkpoint": cp,
                "assigned": have,
                "required": need,
            }
            if have < need:
                out.append(Violation("roster.rule.short", (cell,), None, params))
            else:
                out.append(Violation("roster.rule.over_staffed", (cell,), None, params, "warning"))
    return out


def _guard_duties(
    state: RosterState, calendar: ShiftCalendar, first: date, last: date
) -> dict[str, list[_Duty]]:
    lo, hi = first - timedelta(days=_MARGIN_DAYS), last + timedelta(days=_MARGIN_DAYS)
    duties: dict[str, list[_Duty]] = {}
    codes = set(calendar.shift_codes)
    for cell, guard_ids in state.assignments.items():
        if not lo <= cell.day <= hi or cell.shift not in codes:
            continue
        inst = calendar.instance(cell.day, cell.shift)
        for gid in guard_ids:
            duties.setdefault(gid, []).append(_Duty(inst, cell))
    for items in duties.values():
        items.sort(key=lambda d: (d.inst.start, d.cell.checkpoint))
    return duties


def _sequence_violations(
    gid: str, name: str, duties: list[_Duty], config: RosterConfig, first: date, last: date
) -> list[Violation]:
    """Double-booking and rest, between each duty and the next."""
    out = []
    min_rest = config.min_rest_hours * 3600
    for a, b in pairwise(duties):
        if a.inst.day > last or b.inst.day < first:
            continue
        if b.inst.start < a.inst.end:
            params: Params = {"guard": name, "shift": b.inst.label}
            params |= {"first": a.cell.checkpoint, "second": b.cell.checkpoint}
            out.append(Violation("roster.rule.double_booked", (a.cell, b.cell), gid, params))
            continue
        rest = (b.inst.start - a.inst.end).total_seconds()
        if rest < min_rest:
            params = {"guard": name, "first": a.inst.label, "second": b.inst.label}
            params |= {"hours": _hours(rest / 3600), "min_hours": _hours(config.min_rest_hours)}
            out.append(Violation("roster.rule.rest_too_short", (a.cell, b.cell), gid, params))
    return out


def _window_violations(
    gid: str, name: str, duties: list[_Duty], config: RosterConfig, first: date, last: date
) -> list[Violation]:
    """More than the allowed shifts in some 7 consecutive days: reported once per excess run."""
    out = []
    days = [d.inst.day.toordinal() for d in duties]
    limit = config.max_shifts_per_7_days
    reported_until = -1
    for i, start in enumerate(days):
        if i and days[i - 1] == start:
            continue
        j = bisect_right(days, start + 6)
        count = j - i
        in_period = start + 6 >= first.toordinal() and start <= last.toordinal()
        if count > limit and in_period and days[j - 1] > reported_until:
            window = duties[i:j]
            params: Params = {"guard": name, "count": count, "max": limit}
            params |= {"first_day": _day(window[0]), "last_day": _day(window[-1])}
            cells = tuple(d.cell for d in window)
            out.append(Violation("roster.rule.too_many_shifts", cells, gid, params))
            reported_until = days[j - 1]
    return out


def _night_violations(
    gid: str, name: str, duties: list[_Duty], config: RosterConfig, first: date, last: date
) -> list[Violation]:
    by_day = {d.inst.day: d for d in duties if d.inst.night}
    nights = [by_day[day] for day in sorted(by_day)]
    out = []
    run: list[_Duty] = []
    for duty in [*nights, None]:
        if duty is not None and run and duty.inst.day - run[-1].inst.day == timedelta(days=1):
            run.append(duty)
            continue
        overlaps = run and run[0].inst.day <= last and run[-1].inst.day >= first
        if len(run) > config.max_nights_in_a_row and overlaps:
            params: Params = {"guard": name, "count": len(run), "max": config.max_nights_in_a_row}
            params |= {"first_day": _day(run[0]), "last_day": _day(run[-1])}
            cells = tuple(d.cell for d in run)
            out.append(Violation("roster.rule.too_many_nights", cells, gid, params))
        run = [duty] if duty is not None else []
    return out


def _person_violations(
    periods: Sequence[Unavailability],
    gid: str,
    duties: list[_Duty],
    guards: Mapping[str, Guard],
    first: date,
    last: date,
) -> list[Violation]:
    out = []
    guard = guards.get(gid)
    for duty in duties:
        if not first <= duty.inst.day <= last:
            continue
        params: Params = {"guard": _name(guards, gid), "shift": duty.inst.label}
        if guard is None or not guard.active:
            code = "roster.rule.unknown_guard" if guard is None else "roster.rule.guard_inactive"
            out.append(Violation(code, (duty.cell,), gid, params))
        for period in periods:
            if not period.overlaps(duty.inst.start, duty.inst.end):
                continue
            reason = period.reason if period.reason in UNAVAILABILITY_REASONS else "other"
            code = f"roster.rule.unavailable.{reason}"
            out.append(Violation(code, (duty.cell,), gid, params))
    return out


def _conflict_violations(
    state: RosterState, calendar: ShiftCalendar, first: date, last: date
) -> list[Violation]:
    out = []
    codes = set(calendar.shift_codes)
    for conflict in state.conflicts:
        cell = conflict.cell
        if first <= cell.day <= last and cell.shift in codes:
            devices = sorted({e.hlc.node for e in conflict.concurrent})
            params: Params = {
                "shift": calendar.instance(cell.day, cell.shift).label,
                "checkpoint": cell.checkpoint,
                "devices": ", ".join(devices),
                "overridden": len(conflict.overridden),
            }
            out.append(Violation("roster.rule.concurrent_edit", (conflict.cell,), None, params))
    return out


def check(
    state: RosterState,
    calendar: ShiftCalendar,
    config: RosterConfig,
    guards: Mapping[str, Guard],
    *,
    first: date,
    last: date,
    checkpoints: Sequence[str],
) -> list[Violation]:
    """Every rule broken by the roster in the local dates first..last at these checkpoints."""
    instances = calendar.instances(first, last)
    out = _cover_violations(state, config, instances, checkpoints)
    periods: dict[str, list[Unavailability]] = {}
    for period in state.unavailability.values():
        periods.setdefault(period.guard_id, []).append(period)
    for gid, duties in sorted(_guard_duties(state, calendar, first, last).items()):
        name = _name(guards, gid)
        out += _sequence_violations(gid, name, duties, config, first, last)
        out += _window_violations(gid, name, duties, config, first, last)
        out += _night_violations(gid, name, duties, config, first, last)
        out += _person_violations(periods.get(gid, []), gid, duties, guards, first, last)
    out += _conflict_violations(state, calendar, first, last)
    return out


def violations_by_cell(violations: Sequence[Violation]) -> dict[CellKey, list[Violation]]:
    index: dict[CellKey, list[Violation]] = {}
    for violation in violations:
        for cell in violation.cells:
            index.setdefault(cell, []).append(violation)
    return index
