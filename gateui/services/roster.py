"""Duty roster use cases: edit it, show it, merge other terminals' edits, list my shifts.

Every write is one transaction holding the roster events and their change-log rows; a
batch of commands is all or nothing. The roster shown is the fold of the stored events,
so two terminals that hold the same events show the same roster (DESIGN invariant 4).
Planning (copy a week, generate), attendance, handover and publishing live in the
roster_*.py modules beside this one and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from gateui.domain.errors import ValidationError
from gateui.domain.roster import CellKey, RosterState, event_from_payload
from gateui.services.context import GateContext
from gateui.services.roster_attendance import attendance, current_attendance
from gateui.services.roster_commands import (
    Assign,
    ClearUnavailable,
    Lock,
    Resolve,
    RosterCommand,
    RosterDraft,
    SetUnavailable,
    Unassign,
    Unlock,
    require_leader,
)
from gateui.services.roster_grid import roster_view
from gateui.services.roster_handover import (
    acknowledge_handover,
    handover_for,
    previous_handover,
    shift_summary,
    write_handover,
)
from gateui.services.roster_planning import copy_week, generate_and_apply, preview_generation
from gateui.services.roster_publish import publish_text
from gateui.services.roster_store import (
    calendar_for,
    guard_directory,
    known_event_ids,
    load_state,
    store_event,
    user_names,
)
from gateui.services.roster_views import GuardRef, NextShiftView

__all__ = [
    "Assign",
    "CellKey",
    "ClearUnavailable",
    "Lock",
    "Resolve",
    "RosterCommand",
    "RosterState",
    "SetUnavailable",
    "Unassign",
    "Unlock",
    "acknowledge_handover",
    "apply_remote_events",
    "attendance",
    "copy_week",
    "current_attendance",
    "generate_and_apply",
    "handover_for",
    "my_next_shifts",
    "preview_generation",
    "previous_handover",
    "publish_text",
    "record_event",
    "record_events",
    "roster_view",
    "shift_summary",
    "store_remote_events",
    "write_handover",
]


def _cell_days(commands: Sequence[RosterCommand]) -> tuple[date, date] | None:
    days = [
        c.cell.day for c in commands if isinstance(c, Assign | Unassign | Lock | Unlock | Resolve)
    ]
    return (min(days), max(days)) if days else None


def record_events(ctx: GateContext, author_id: str, commands: Sequence[RosterCommand]) -> list[str]:
    """Apply a leader's commands in order, all or nothing; returns the new events' ids.

    Refused (ValidationError, nothing saved): unknown checkpoint or shift, unknown, inactive
    or unavailable guard, assigning someone already in the cell or removing someone who is
    not. A rule the result breaks (rest, double-booking…) is not refused but shown in the
    roster view, because a leader may have to break one knowingly.
    """
    if not commands:
        return []
    span = _cell_days(commands)
    with ctx.db.write() as s:
        require_leader(s, author_id)
        first, last = span if span else (ctx.now().date(), ctx.now().date())
        state = load_state(s, first, last)
        draft = RosterDraft(ctx, s, state, calendar_for(ctx), guard_directory(s))
        for command in commands:
            draft.apply(command, author_id)
        return list(draft.written)


def record_event(ctx: GateContext, author_id: str, command: RosterCommand) -> str | None:
    """One command; None when it changed nothing (locking a locked cell)."""
    ids = record_events(ctx, author_id, [command])
    return ids[0] if ids else None


def apply_remote_events(ctx: GateContext, payloads: Iterable[Mapping[str, Any]]) -> int:
    """Store roster events made on other terminals of this site; returns how many were new.

    Idempotent by event id, so a page received twice changes nothing; all payloads are
    checked before anything is stored. Received events are not change-logged again.
    """
    payloads = list(payloads)
    if not payloads:
        return 0
    with ctx.db.write() as s:
        return store_remote_events(ctx, s, payloads)


def store_remote_events(ctx: GateContext, s: Session, payloads: Iterable[Mapping[str, Any]]) -> int:
    """`apply_remote_events` inside the caller's transaction (sync applies a pulled page in
    one). Raises ValidationError, having stored nothing, if any payload is refused."""
    events = []
    for payload in payloads:
        site = payload.get("site", ctx.site.code)
        if site != ctx.site.code:
            raise ValidationError("roster.wrong_site", site=str(site))
        events.append((event_from_payload(payload), payload))
    known = known_event_ids(s, [e.event_id for e, _ in events])
    added = 0
    for event, payload in events:
        if event.event_id in known:
            continue
        known.add(event.event_id)
        store_event(ctx, s, event, origin=payload)
        added += 1
    return added


def my_next_shifts(
    ctx: GateContext, user_id: str, limit: int = 5, horizon_days: int = 28
) -> list[NextShiftView]:
    """The guard's coming shifts (the current one included until it ends), soonest first."""
    calendar = calendar_for(ctx)
    now = ctx.now()
    today = calendar.local_day(now)
    with ctx.db.read() as s:
        state = load_state(s, today - timedelta(days=1), today + timedelta(days=horizon_days))
        names = user_names(s)
    cp_names = {cp.code: cp.name for cp in ctx.site.checkpoints}
    out = []
    for cell in state.cells_of(user_id):
        if cell.day < today - timedelta(days=1) or cell.shift not in calendar.shift_codes:
            continue
        inst = calendar.instance(cell.day, cell.shift)
        if inst.end <= now:
            continue
        start, end = calendar.shift_times(cell.shift)
        others = sorted(g for g in state.guards_of(cell) if g != user_id)
        out.append(
            NextShiftView(
                cell=cell,
                checkpoint_name=cp_names.get(cell.checkpoint, cell.checkpoint),
                starts_at=inst.start,
                ends_at=inst.end,
                start=start,
                end=end,
                night=inst.night,
                colleagues=tuple(GuardRef(g, names.get(g, g)) for g in others),
            )
        )
    out.sort(key=lambda v: (v.starts_at, v.cell.checkpoint))
    return out[:limit]
