"""Exports of entries, people and vehicles as streams of plain rows (JSON-ready dicts).

Rows are read in keyset-paginated batches inside one read transaction (a consistent
snapshot that never holds the write lock), so exporting a million entries needs the memory
of one batch. Entries come with their effective state: corrections applied, void and
amended flags. ID numbers are masked unless the caller asks for them in full.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, col, or_, select

from gateui.domain.resident_id import mask_id
from gateui.services.context import GateContext
from gateui.services.corrections import corrections_of
from gateui.store.models import AppUser, Entry, EntryCorrection, Person, Vehicle

BATCH = 1000

ENTRY_FIELDS = (
    "id",
    "at_utc",
    "at_local",
    "checkpoint_code",
    "subject",
    "direction",
    "outcome",
    "name",
    "id_number",
    "plate",
    "reasons",
    "guard_id",
    "guard_name",
    "override_by",
    "override_by_name",
    "override_reason",
    "vehicle_entry_id",
    "matches_entry_id",
    "cargo",
    "passengers",
    "purpose",
    "note",
    "voided",
    "amended",
    "original_direction",
    "device_id",
    "site_code",
)
PEOPLE_FIELDS = (
    "id",
    "kind",
    "name",
    "id_number",
    "phone",
    "unit",
    "card_code",
    "responsible_id",
    "status",
    "status_note",
    "status_since",
    "origin",
    "created_at",
    "updated_at",
)
VEHICLE_FIELDS = (
    "id",
    "plate",
    "kind",
    "unit",
    "driver_id",
    "driver_name",
    "status",
    "created_at",
    "updated_at",
)
FIELDS = {"entries": ENTRY_FIELDS, "people": PEOPLE_FIELDS, "vehicles": VEHICLE_FIELDS}

Row = dict[str, Any]
M = TypeVar("M", bound=SQLModel)


def start_of_day(ctx: GateContext, day: date) -> datetime:
    """Midnight of `day` in the site's zone, as a UTC instant (what --since means)."""
    return datetime.combine(day, time(0), tzinfo=ctx.site.zone).astimezone(UTC)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _batches(
    s: Session, model: type[M], time_column: Any, since: datetime | None
) -> Iterator[list[M]]:
    """Rows of `model` ordered by (time, id), BATCH at a time (keyset pagination)."""
    id_column = col(model.id)  # type: ignore[attr-defined]
    last: tuple[datetime, str] | None = None
    while True:
        stmt = select(model)
        if since is not None:
            stmt = stmt.where(time_column >= since)
        if last is not None:
            stmt = stmt.where(
                or_(time_column > last[0], (time_column == last[0]) & (id_column > last[1]))
            )
        rows = list(s.exec(stmt.order_by(time_column, id_column).limit(BATCH)))
        if not rows:
            return
        yield rows
        last = (getattr(rows[-1], time_column.key), rows[-1].id)  # type: ignore[attr-defined]
        s.expunge_all()  # keep the identity map at one batch
        if len(rows) < BATCH:
            return


def iter_entries(
    ctx: GateContext, since: datetime | None = None, full_id: bool = False
) -> Iterator[Row]:
    """Every entry at or after `since` (UTC), oldest first, with corrections applied."""
    zone = ctx.site.zone
    with ctx.db.read() as s:
        users = {u.id: u.name for u in s.exec(select(AppUser))}
        for batch in _batches(s, Entry, col(Entry.at), since):
            fixes = corrections_of(s, [e.id for e in batch])
            for e in batch:
                yield _entry_row(e, fixes.get(e.id, []), users, zone, full_id)


def _entry_row(
    e: Entry, fixes: list[EntryCorrection], users: dict[str, str], zone: Any, full_id: bool
) -> Row:
    effective: dict[str, Any] = {
        "direction": e.direction,
        "cargo": e.cargo,
        "purpose": e.purpose,
        "note": None,
    }
    for c in fixes:
        if c.action == "amend":
            effective.update(json.loads(c.changes))
    number = e.id_number
    return {
        "id": e.id,
        "at_utc": _iso(e.at),
        "at_local": e.at.astimezone(zone).isoformat(),
        "checkpoint_code": e.checkpoint_code,
        "subject": e.subject,
        "direction": effective["direction"],
        "outcome": e.outcome,
        "name": e.name,
        "id_number": number if full_id or not number else mask_id(number),
        "plate": e.plate,
        "reasons": list(json.loads(e.reasons)),
        "guard_id": e.guard_id,
        "guard_name": users.get(e.guard_id),
        "override_by": e.override_by,
        "override_by_name": users.get(e.override_by) if e.override_by else None,
        "override_reason": e.override_reason,
        "vehicle_entry_id": e.vehicle_entry_id,
        "matches_entry_id": e.matches_entry_id,
        "cargo": effective["cargo"],
        "passengers": e.passengers,
        "purpose": effective["purpose"],
        "note": effective["note"],
        "voided": any(c.action == "void" for c in fixes),
        "amended": any(c.action == "amend" for c in fixes),
        "original_direction": e.direction,
        "device_id": e.device_id,
        "site_code": e.site_code,
    }


def iter_people(
    ctx: GateContext, since: datetime | None = None, full_id: bool = False
) -> Iterator[Row]:
    """Everyone in the registry, or those changed at or after `since` (UTC)."""
    with ctx.db.read() as s:
        for batch in _batches(s, Person, col(Person.updated_at), since):
            for p in batch:
                number = p.id_number
                yield {
                    "id": p.id,
                    "kind": p.kind,
                    "name": p.name,
                    "id_number": number if full_id or not number else mask_id(number),
                    "phone": p.phone,
                    "unit": p.unit,
                    "card_code": p.card_code,
                    "responsible_id": p.responsible_id,
                    "status": p.status,
                    "status_note": p.status_note,
                    "status_since": _iso(p.status_since),
                    "origin": p.origin,
                    "created_at": _iso(p.created_at),
                    "updated_at": _iso(p.updated_at),
                }


def iter_vehicles(ctx: GateContext, since: datetime | None = None) -> Iterator[Row]:
    """Every vehicle, or those changed at or after `since` (UTC), with the driver's name."""
    with ctx.db.read() as s:
        for batch in _batches(s, Vehicle, col(Vehicle.updated_at), since):
            driver_ids = list({v.driver_id for v in batch if v.driver_id})
            names = dict(
                s.exec(select(Person.id, Person.name).where(col(Person.id).in_(driver_ids))).all()
            )
            for v in batch:
                yield {
                    "id": v.id,
                    "plate": v.plate,
                    "kind": v.kind,
                    "unit": v.unit,
                    "driver_id": v.driver_id,
                    "driver_name": names.get(v.driver_id) if v.driver_id else None,
                    "status": v.status,
                    "created_at": _iso(v.created_at),
                    "updated_at": _iso(v.updated_at),
                }
