"""The roster grid: days x shifts x checkpoints, each cell with its guards and problems.

Built from the fold of the stored events and `rules.check`; the TUI pages it by week or
by checkpoint, the CLI prints it, `publish_text` writes it out for the work group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from gateui.domain.roster import (
    CellKey,
    RosterEvent,
    RosterState,
    Unavailability,
    Violation,
    check,
    violations_by_cell,
)
from gateui.services.context import GateContext
from gateui.services.roster_store import (
    RULE_MARGIN,
    calendar_for,
    check_period,
    checkpoint_codes,
    guard_directory,
    load_state,
    roster_config,
    user_names,
)
from gateui.services.roster_views import (
    ConflictEdit,
    ConflictView,
    GuardRef,
    RosterCellView,
    RosterGridView,
    ShiftHeading,
    UnavailabilityView,
    ViolationView,
)


def _violation_view(v: Violation) -> ViolationView:
    return ViolationView(v.code, dict(v.params), v.severity, v.cells)


def unavailability_views(
    periods: Iterable[Unavailability], names: Mapping[str, str], start: datetime, end: datetime
) -> tuple[UnavailabilityView, ...]:
    """The periods (leave, sickness…) overlapping start..end, earliest first, with the
    guards' names."""
    return tuple(
        UnavailabilityView(
            p.id,
            GuardRef(p.guard_id, names.get(p.guard_id, p.guard_id)),
            p.starts_at,
            p.ends_at,
            p.reason,
            p.note,
        )
        for p in sorted(periods, key=lambda p: (p.starts_at, p.id))
        if p.overlaps(start, end)
    )


def _conflict_views(
    state: RosterState, names: Mapping[str, str], cells: set[CellKey]
) -> tuple[ConflictView, ...]:
    def edit(e: RosterEvent) -> ConflictEdit:
        guard = GuardRef(e.guard_id, names.get(e.guard_id, e.guard_id)) if e.guard_id else None
        author = names.get(e.author_id, e.author_id) if e.author_id else None
        return ConflictEdit(e.kind.value, guard, e.hlc.node, author)

    return tuple(
        ConflictView(
            c.cell,
            tuple(sorted({e.hlc.node for e in c.concurrent})),
            tuple(edit(e) for e in c.concurrent),
            tuple(edit(e) for e in c.overridden),
        )
        for c in state.conflicts
        if c.cell in cells
    )


def roster_view(
    ctx: GateContext, first: date, last: date, checkpoint: str | None = None
) -> RosterGridView:
    """The grid of days x shifts x checkpoints, each cell with its guards and problems."""
    check_period(first, last)
    config = roster_config(ctx)
    calendar = calendar_for(ctx, config)
    codes = checkpoint_codes(ctx, checkpoint)
    with ctx.db.read() as s:
        state = load_state(s, first - RULE_MARGIN, last + RULE_MARGIN)
        guards = guard_directory(s)
        names = user_names(s)
    found = check(state, calendar, config, guards, first=first, last=last, checkpoints=codes)
    index = violations_by_cell(found)
    cells: dict[CellKey, RosterCellView] = {}
    conflicted = {c.cell for c in state.conflicts}
    instances = calendar.instances(first, last)
    period_start, period_end = instances[0].start, instances[-1].end
    for inst in instances:
        for cp in codes:
            key = inst.cell(cp)
            people = sorted(
                (GuardRef(g, names.get(g, g)) for g in state.guards_of(key)),
                key=lambda ref: (ref.name, ref.id),
            )
            cells[key] = RosterCellView(
                cell=key,
                starts_at=inst.start,
                ends_at=inst.end,
                guards=tuple(people),
                required=config.required(cp, inst.shift),
                locked=key in state.locked,
                conflict=key in conflicted,
                violations=tuple(_violation_view(v) for v in index.get(key, [])),
            )
    in_view = [v for v in found if any(c in cells for c in v.cells)]
    shifts = tuple(
        ShiftHeading(code, *calendar.shift_times(code), calendar.is_night(code))
        for code in calendar.shift_codes
    )
    names_by_cp = {cp.code: cp.name for cp in ctx.site.checkpoints}
    return RosterGridView(
        first=first,
        last=last,
        days=tuple(first + timedelta(days=i) for i in range((last - first).days + 1)),
        checkpoints=tuple((cp, names_by_cp[cp]) for cp in codes),
        shifts=shifts,
        cells=cells,
        violations=tuple(_violation_view(v) for v in in_view),
        conflicts=_conflict_views(state, names, set(cells)),
        unavailable=unavailability_views(
            state.unavailability.values(), names, period_start, period_end
        ),
    )
