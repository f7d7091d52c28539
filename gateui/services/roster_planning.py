"""Filling the roster in bulk: copy a week, generate a fair period. Locked cells are kept.

Both end as ordinary assign/unassign events written through `RosterDraft`, in one
transaction that also read the roster they change (BEGIN IMMEDIATE: nobody edits between).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from gateui.domain.errors import ValidationError
from gateui.domain.roster import CellKey, GenerationResult, RosterState, generate
from gateui.services.context import GateContext
from gateui.services.roster_commands import (
    Assign,
    RosterDraft,
    Unassign,
    reason_code,
    require_leader,
)
from gateui.services.roster_store import (
    RULE_MARGIN,
    calendar_for,
    check_period,
    checkpoint_codes,
    guard_directory,
    load_state,
    roster_config,
    rotation_guards,
    user_names,
)
from gateui.services.roster_views import CopyResult, GenerationReport, GuardRef

WEEK = timedelta(days=7)


def _rewrite_cell(draft: RosterDraft, cell: CellKey, wanted: set[str], author_id: str) -> None:
    current = set(draft.assigned.get(cell, set()))
    for gid in sorted(current - wanted):
        draft.apply(Unassign(cell, gid), author_id)
    for gid in sorted(wanted - current):
        draft.apply(Assign(cell, gid), author_id)


def _copyable(
    draft: RosterDraft,
    source_guards: frozenset[str],
    target: CellKey,
    skipped: list[tuple[CellKey, GuardRef, str]],
) -> set[str]:
    """The source cell's guards who can stand the target cell; the others go to `skipped`."""
    inst = draft.instance(target)
    wanted = set()
    for gid in sorted(source_guards):
        guard = draft.guards.get(gid)
        period = draft.unavailable(gid, inst)
        if guard is None or not guard.active:
            name = gid if guard is None else guard.name
            skipped.append((target, GuardRef(gid, name), "roster.copy.inactive"))
        elif period is not None:
            code = f"roster.copy.unavailable.{reason_code(period.reason)}"
            skipped.append((target, GuardRef(gid, guard.name), code))
        else:
            wanted.add(gid)
    return wanted


def copy_week(
    ctx: GateContext,
    author_id: str,
    source_first: date,
    target_first: date,
    checkpoint: str | None = None,
) -> CopyResult:
    """Make the 7 days from `target_first` look like the 7 days from `source_first`.

    Locked target cells stay as they are; a guard who is unavailable or inactive on the
    target day is left out and listed in `skipped`, so the leader sees the gap.
    """
    if source_first == target_first:
        raise ValidationError("roster.copy_same_week", first=source_first.isoformat())
    codes = checkpoint_codes(ctx, checkpoint)
    calendar = calendar_for(ctx)
    skipped: list[tuple[CellKey, GuardRef, str]] = []
    with ctx.db.write() as s:
        require_leader(s, author_id)
        lo, hi = min(source_first, target_first), max(source_first, target_first) + WEEK
        state = load_state(s, lo, hi)
        draft = RosterDraft(ctx, s, state, calendar, guard_directory(s))
        for offset in range(7):
            for shift in calendar.shift_codes:
                for cp in codes:
                    source = CellKey(source_first + timedelta(days=offset), shift, cp)
                    target = CellKey(target_first + timedelta(days=offset), shift, cp)
                    if target in state.locked:
                        continue
                    wanted = _copyable(draft, state.guards_of(source), target, skipped)
                    _rewrite_cell(draft, target, wanted, author_id)
        return CopyResult(len(draft.written), tuple(skipped))


def _generate(
    ctx: GateContext, s: Session, first: date, last: date, codes: list[str]
) -> tuple[GenerationResult, RosterState]:
    config = roster_config(ctx)
    state = load_state(s, first - RULE_MARGIN, last + RULE_MARGIN)
    result = generate(
        first=first,
        last=last,
        checkpoints=codes,
        guards=rotation_guards(s),
        config=config,
        calendar=calendar_for(ctx, config),
        state=state,
    )
    return result, state


def preview_generation(
    ctx: GateContext, first: date, last: date, checkpoint: str | None = None
) -> GenerationReport:
    """What `generate_and_apply` would write, without writing it."""
    check_period(first, last)
    codes = checkpoint_codes(ctx, checkpoint)
    with ctx.db.read() as s:
        result, _ = _generate(ctx, s, first, last, codes)
        return GenerationReport(result, user_names(s))


def generate_and_apply(
    ctx: GateContext,
    author_id: str,
    first: date,
    last: date,
    checkpoint: str | None = None,
) -> GenerationReport:
    """Generate a fair roster for the period and write it; locked cells are kept as they are.

    Unlocked cells of the period are replaced by the generated ones. Cells it could not
    fill are in `result.unfilled` with the reasons; nothing is written if no guard exists.
    """
    check_period(first, last)
    codes = checkpoint_codes(ctx, checkpoint)
    with ctx.db.write() as s:
        require_leader(s, author_id)
        result, state = _generate(ctx, s, first, last, codes)
        draft = RosterDraft(ctx, s, state, calendar_for(ctx), guard_directory(s))
        for cell, gids in sorted(result.assignments.items()):
            if cell not in state.locked:
                _rewrite_cell(draft, cell, set(gids), author_id)
        return GenerationReport(result, user_names(s), len(draft.written))
