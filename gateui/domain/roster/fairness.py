"""How evenly a roster spreads hours, nights and weekend shifts, and each guard's fair share.

A guard on leave for half the period has half a share: fairness is measured against what
each guard could have worked, not against a flat average.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from gateui.domain.roster.calendar import CellKey, ShiftInstance
from gateui.domain.roster.config import RosterConfig
from gateui.domain.roster.rules import Guard
from gateui.domain.roster.schedule import Slot
from gateui.domain.roster.state import RosterState

# Relative weight of each measure in the objective (hours are counted in shift units).
_WEIGHT_HOURS = 1.0
_WEIGHT_NIGHTS = 1.0
_WEIGHT_WEEKENDS = 1.0


@dataclass(frozen=True, slots=True)
class GuardLoad:
    guard_id: str
    name: str
    shifts: int
    nights: int
    weekends: int
    hours: float
    available: float
    """Share of the period's hours the guard was available for (1.0 = the whole period)."""


@dataclass(frozen=True, slots=True)
class FairnessFigures:
    loads: tuple[GuardLoad, ...]
    spread_shifts: int
    """Most minus fewest shifts, among guards available for the whole period."""
    spread_nights: int
    spread_weekends: int
    spread_hours: float


def _square_change(distance: float, change: float) -> float:
    """(distance + change)**2 - distance**2, without the cancellation."""
    return (2 * distance + change) * change


class Balance:
    """Each guard's load and fair share; prices a change as the change in squared distance."""

    def __init__(self, pool: Sequence[Guard], available: dict[str, float], unit_hours: float):
        self.pool = list(pool)
        self.available = available
        self.unit = unit_hours or 1.0
        self.hours = dict.fromkeys(available, 0.0)
        self.nights = dict.fromkeys(available, 0)
        self.weekends = dict.fromkeys(available, 0)
        self.shifts = dict.fromkeys(available, 0)
        self.target_hours = dict.fromkeys(available, 0.0)
        self.target_nights = dict.fromkeys(available, 0.0)
        self.target_weekends = dict.fromkeys(available, 0.0)

    @classmethod
    def for_period(
        cls,
        pool: Sequence[Guard],
        state: RosterState,
        instances: Sequence[ShiftInstance],
        checkpoints: Sequence[str],
        config: RosterConfig,
        fixed: Iterable[tuple[CellKey, str, ShiftInstance]],
        first: date,
        last: date,
    ) -> Balance:
        total = sum(i.hours for i in instances) or 1.0
        available = {}
        for g in pool:
            periods = [p for p in state.unavailability.values() if p.guard_id == g.id]
            free = sum(
                i.hours for i in instances if not any(p.overlaps(i.start, i.end) for p in periods)
            )
            available[g.id] = free / total
        unit = total / len(instances) if instances else 8.0
        bal = cls(pool, available, unit)
        hours = nights = weekends = 0.0
        for inst in instances:
            n = sum(config.required(cp, inst.shift) for cp in checkpoints)
            hours += n * inst.hours
            nights += n * inst.night
            weekends += n * inst.weekend
        scope = set(checkpoints)
        for cell, _gid, inst in fixed:
            if first <= cell.day <= last and cell.checkpoint not in scope:
                hours += inst.hours
                nights += inst.night
                weekends += inst.weekend
        shares = sum(available.values()) or 1.0
        for gid, share in available.items():
            bal.target_hours[gid] = hours * share / shares
            bal.target_nights[gid] = nights * share / shares
            bal.target_weekends[gid] = weekends * share / shares
        return bal

    def add(self, gid: str, slot: Slot, sign: int) -> None:
        self.hours[gid] += sign * slot.hours
        self.nights[gid] += sign * slot.night
        self.weekends[gid] += sign * slot.weekend
        self.shifts[gid] += sign

    def _price(self, gid: str, d_hours: float, d_nights: int, d_weekends: int) -> float:
        return (
            _WEIGHT_HOURS
            * _square_change(
                (self.hours[gid] - self.target_hours[gid]) / self.unit, d_hours / self.unit
            )
            + _WEIGHT_NIGHTS * _square_change(self.nights[gid] - self.target_nights[gid], d_nights)
            + _WEIGHT_WEEKENDS
            * _square_change(self.weekends[gid] - self.target_weekends[gid], d_weekends)
        )

    def delta(self, gid: str, slot: Slot, sign: int) -> float:
        """Change of the objective if the guard takes (sign 1) or leaves (-1) the slot."""
        return self._price(gid, sign * slot.hours, sign * slot.night, sign * slot.weekend)

    def swap_delta(self, gid: str, leaves: Slot, takes: Slot) -> float:
        return self._price(
            gid,
            takes.hours - leaves.hours,
            takes.night - leaves.night,
            takes.weekend - leaves.weekend,
        )


def figures(bal: Balance) -> FairnessFigures:
    loads = tuple(
        GuardLoad(
            g.id,
            g.name,
            bal.shifts[g.id],
            bal.nights[g.id],
            bal.weekends[g.id],
            round(bal.hours[g.id], 2),
            round(bal.available[g.id], 3),
        )
        for g in bal.pool
    )
    full = [load for load in loads if load.available >= 0.999] or list(loads)

    def spread(values: list[float]) -> float:
        return max(values) - min(values) if values else 0

    return FairnessFigures(
        loads,
        int(spread([x.shifts for x in full])),
        int(spread([x.nights for x in full])),
        int(spread([x.weekends for x in full])),
        round(spread([x.hours for x in full]), 2),
    )
