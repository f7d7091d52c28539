"""Whom a leader can put in a roster cell: every guard, with what assigning them would mean.

The roster screen's picker shows each guard once, assigned guards first, then the free
ones (fewest shifts in the period first), then those a rule would flag (rest, double
booking, 7-day count, nights in a row: allowed, but shown), then those on leave (refused).
Type-ahead matches the name, the badge or pinyin initials / full pinyin (张露: "zl",
"zhanglu"), computed here so the screen needs no database and no pypinyin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from gateui.domain.names import full_pinyin_keys, pinyin_initial_keys
from gateui.domain.roster import CellKey, RosterState, ShiftCalendar
from gateui.domain.roster.schedule import GuardSchedule, Slot
from gateui.services.context import GateContext
from gateui.services.roster_commands import reason_code
from gateui.services.roster_grid import unavailability_views
from gateui.services.roster_store import (
    ROSTER_ROLES,
    RULE_MARGIN,
    calendar_for,
    checkpoint_codes,
    load_state,
    roster_config,
    user_names,
)
from gateui.services.roster_views import UnavailabilityView
from gateui.store.models import AppUser


@dataclass(frozen=True)
class GuardChoice:
    id: str
    name: str
    badge: str
    role: str
    keys: tuple[str, ...]
    """Lower-case pinyin initials and full pinyin of the name, for type-ahead."""
    assigned: bool = False
    unavailable: str | None = None
    """Absence reason (leave, sick, quarantine, training, other): the service refuses."""
    blocked: str | None = None
    """The "roster.blocked.*" rule assigning would break: allowed, flagged in the grid."""
    shifts: int = 0
    """The guard's shifts in the period on screen."""

    @property
    def rank(self) -> int:
        if self.assigned:
            return 0
        if self.unavailable:
            return 3
        return 2 if self.blocked else 1


def choice_matches(choice: GuardChoice, query: str) -> bool:
    """Name or badge containing the query, or pinyin (initials or full) starting with it."""
    q = query.strip().lower()
    if not q:
        return True
    if q in choice.name.lower() or choice.badge.lower().startswith(q):
        return True
    return any(key.startswith(q) for key in choice.keys)


def _schedule(
    state: RosterState,
    calendar: ShiftCalendar,
    guard_id: str,
    skip: CellKey,
    schedule: GuardSchedule,
) -> None:
    codes = set(calendar.shift_codes)
    for cell in state.cells_of(guard_id):
        if cell != skip and cell.shift in codes and abs((cell.day - skip.day).days) <= 14:
            schedule.add(Slot.of(calendar.instance(cell.day, cell.shift)))


def guard_choices(ctx: GateContext, cell: CellKey, first: date, last: date) -> list[GuardChoice]:
    """Every active guard (and leader) for `cell`, best candidates first.

    `first`..`last` is the period on screen: the shift counts that help share the load.
    """
    checkpoint_codes(ctx, cell.checkpoint)
    config = roster_config(ctx)
    calendar = calendar_for(ctx, config)
    inst = calendar.instance(cell.day, cell.shift)
    lo, hi = min(first, cell.day) - RULE_MARGIN, max(last, cell.day) + RULE_MARGIN
    with ctx.db.read() as s:
        state = load_state(s, lo, hi)
        users = list(
            s.exec(
                select(AppUser)
                .where(col(AppUser.role).in_(ROSTER_ROLES), col(AppUser.active).is_(True))
                .order_by(col(AppUser.name), col(AppUser.id))
            )
        )
    slot = Slot.of(inst)
    in_cell = state.guards_of(cell)
    out = []
    for user in users:
        period = state.unavailable(user.id, inst.start, inst.end)
        blocked = None
        if user.id not in in_cell and period is None:
            schedule = GuardSchedule(config)
            _schedule(state, calendar, user.id, cell, schedule)
            blocked = schedule.blocker(slot)
        shifts = sum(1 for c in state.cells_of(user.id) if first <= c.day <= last)
        keys = {k.lower() for k in pinyin_initial_keys(user.name) + full_pinyin_keys(user.name)}
        out.append(
            GuardChoice(
                id=user.id,
                name=user.name,
                badge=user.badge_code,
                role=user.role,
                keys=tuple(sorted(keys)),
                assigned=user.id in in_cell,
                unavailable=reason_code(period.reason) if period else None,
                blocked=blocked,
                shifts=shifts,
            )
        )
    out.sort(key=lambda c: (c.rank, c.role != "guard", c.shifts, c.name, c.id))
    return out


def absences(ctx: GateContext, first: date, last: date) -> list[UnavailabilityView]:
    """Leave, sickness… recorded for any part of the local dates first..last, earliest first."""
    calendar = calendar_for(ctx)
    start = calendar.instance(first, calendar.shift_codes[0]).start
    end = calendar.instance(last, calendar.shift_codes[-1]).end
    with ctx.db.read() as s:
        periods = load_state(s, first, first).unavailability.values()
        names = user_names(s)
    return list(unavailability_views(periods, names, start, end))
