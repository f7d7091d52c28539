"""Reading and writing roster events inside a service's transaction (no transaction here).

The roster is recomputed from events whenever it is shown: a month is a few hundred rows,
and folding them takes milliseconds, so there is no cached roster table to keep right.
Only the events of the cells in view (plus a margin the rules look across) are read,
together with every unavailability event (few, and not tied to a cell).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, or_, select

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.hlc import HLC, ZERO
from gateui.domain.roster import (
    EventKind,
    Guard,
    RosterConfig,
    RosterEvent,
    RosterState,
    ShiftCalendar,
    event_from_payload,
    fold,
)
from gateui.services.context import GateContext
from gateui.store.changelog import append_change
from gateui.store.models import AppUser
from gateui.store.roster_models import RosterEventRow

MAX_PERIOD_DAYS = 366
RULE_MARGIN = timedelta(days=14)  # rules look this far beyond the period shown
ROSTER_ROLES = ("guard", "leader")  # who may stand a shift

CHANGE_KINDS = {
    EventKind.ASSIGN: "roster.assigned",
    EventKind.UNASSIGN: "roster.unassigned",
    EventKind.LOCK: "roster.locked",
    EventKind.UNLOCK: "roster.unlocked",
    EventKind.RESOLVE: "roster.resolved",
    EventKind.UNAVAILABLE_SET: "roster.unavailable_set",
    EventKind.UNAVAILABLE_CLEARED: "roster.unavailable_cleared",
}


def roster_config(ctx: GateContext) -> RosterConfig:
    """The site's roster settings (the [site.roster] table of the site file)."""
    return ctx.site.roster


def calendar_for(ctx: GateContext, config: RosterConfig | None = None) -> ShiftCalendar:
    return ShiftCalendar.for_config(config or roster_config(ctx), ctx.site.zone)


def checkpoint_codes(ctx: GateContext, checkpoint: str | None = None) -> list[str]:
    codes = [cp.code for cp in ctx.site.checkpoints]
    if checkpoint is None:
        return codes
    if checkpoint not in codes:
        raise ValidationError("roster.unknown_checkpoint", checkpoint=checkpoint)
    return [checkpoint]


def check_period(first: date, last: date) -> None:
    if last < first or (last - first).days >= MAX_PERIOD_DAYS:
        raise ValidationError("roster.bad_period", first=first.isoformat(), last=last.isoformat())


def event_of(row: RosterEventRow) -> RosterEvent:
    return event_from_payload(json.loads(row.payload))


def load_events(s: Session, first: date, last: date) -> list[RosterEvent]:
    stmt = select(RosterEventRow).where(
        or_(
            col(RosterEventRow.day).between(first, last),
            col(RosterEventRow.unavailability_id).is_not(None),
        )
    )
    return [event_of(row) for row in s.exec(stmt)]


def load_state(s: Session, first: date, last: date) -> RosterState:
    """The folded roster, exact for every cell from `first` to `last`."""
    return fold(load_events(s, first, last))


def last_hlc(s: Session) -> HLC:
    """The greatest timestamp of any event this database holds: local and received."""
    row = s.exec(
        select(RosterEventRow.hlc_ms, RosterEventRow.hlc_counter, RosterEventRow.hlc_node)
        .order_by(col(RosterEventRow.hlc_ms).desc(), col(RosterEventRow.hlc_counter).desc())
        .order_by(col(RosterEventRow.hlc_node).desc())
        .limit(1)
    ).first()
    return ZERO if row is None else HLC(row[0], row[1], row[2])


def guard_directory(s: Session) -> dict[str, Guard]:
    """Everyone who may stand a shift; deactivated users stay, marked inactive."""
    users = s.exec(select(AppUser).where(col(AppUser.role).in_(ROSTER_ROLES)))
    return {u.id: Guard(u.id, u.name, u.active) for u in users}


def user_names(s: Session) -> dict[str, str]:
    return {uid: name for uid, name in s.exec(select(AppUser.id, AppUser.name))}


def rotation_guards(s: Session) -> list[Guard]:
    """The guards the generator shares shifts among: active users with the guard role."""
    stmt = select(AppUser).where(AppUser.role == "guard", col(AppUser.active).is_(True))
    return [Guard(u.id, u.name) for u in s.exec(stmt.order_by(col(AppUser.id)))]


def store_event(
    ctx: GateContext,
    s: Session,
    event: RosterEvent,
    origin: Mapping[str, Any] | None = None,
) -> RosterEventRow:
    """Insert one event. A local one also goes into the change log; a received one (with the
    `origin` payload it came in) does not: it is already in its own device's change log and
    at HQ, and logging it again would make HQ count it twice (one owner, DESIGN invariant 4).
    """
    now = ctx.now()
    payload = event.to_payload()
    payload["site"] = origin.get("site", ctx.site.code) if origin else ctx.site.code
    recorded = origin.get("recorded_at") if origin else None
    payload["recorded_at"] = recorded if isinstance(recorded, str) else now.isoformat()
    period = event.period
    row = RosterEventRow(
        id=event.event_id,
        site_code=str(payload["site"]),
        device_id=event.hlc.node,
        kind=event.kind.value,
        hlc_ms=event.hlc.physical_ms,
        hlc_counter=event.hlc.counter,
        hlc_node=event.hlc.node,
        day=event.cell.day if event.cell else None,
        shift=event.cell.shift if event.cell else None,
        checkpoint_code=event.cell.checkpoint if event.cell else None,
        guard_id=event.guard_id,
        unavailability_id=event.unavailability_id,
        starts_at=period.starts_at if period else None,
        ends_at=period.ends_at if period else None,
        author_id=event.author_id,
        payload=canonical_json(payload).decode(),
        recorded_at=_recorded_at(payload, now),
        received_at=now if origin is not None else None,
    )
    s.add(row)
    s.flush()
    if origin is None:
        append_change(s, ctx.device_id, CHANGE_KINDS[event.kind], event.event_id, payload, now)
    return row


def _recorded_at(payload: Mapping[str, Any], fallback: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(str(payload.get("recorded_at")))
    except ValueError:
        return fallback
    return moment if moment.tzinfo is not None else fallback


def known_event_ids(s: Session, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):  # SQLite limits the parameters of one statement
        chunk = ids[start : start + 500]
        found.update(s.exec(select(RosterEventRow.id).where(col(RosterEventRow.id).in_(chunk))))
    return found
