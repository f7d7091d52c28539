"""Read models of the gate: recent entries at a checkpoint, who is on site now (muster)."""

from __future__ import annotations

import json

from sqlmodel import col, func, select

from gateui.services.context import GateContext
from gateui.services.corrections import corrections_of, direction_after
from gateui.services.views import EntryView, OnSiteRow
from gateui.store.models import AppUser, Entry, Person, Presence, Vehicle


def recent_entries(
    ctx: GateContext,
    limit: int = 8,
    checkpoint: str | None = None,
    person_id: str | None = None,
) -> list[EntryView]:
    """The newest entries at this checkpoint (or all checkpoints with checkpoint="*"),
    optionally only one person's own passages (on foot or aboard a vehicle)."""
    cp = ctx.checkpoint_code if checkpoint is None else checkpoint
    with ctx.db.read() as s:
        stmt = select(Entry)
        if cp != "*":
            stmt = stmt.where(Entry.checkpoint_code == cp)
        if person_id is not None:
            stmt = stmt.where(Entry.person_id == person_id, Entry.subject == "person")
        rows = list(s.exec(stmt.order_by(col(Entry.at).desc(), col(Entry.id).desc()).limit(limit)))
        fixes = corrections_of(s, [e.id for e in rows])
        users = {u.id: u.name for u in s.exec(select(AppUser))}
        out = []
        for e in rows:
            direction = direction_after(e, fixes.get(e.id, []))
            out.append(
                EntryView(
                    id=e.id,
                    at=e.at,
                    checkpoint_code=e.checkpoint_code,
                    subject=e.subject,
                    name=e.name,
                    plate=e.plate,
                    direction=direction,
                    outcome=e.outcome,
                    reasons=tuple(json.loads(e.reasons)),
                    guard_name=users.get(e.guard_id),
                    override_by_name=users.get(e.override_by) if e.override_by else None,
                    voided=any(c.action == "void" for c in fixes.get(e.id, [])),
                    amended=any(c.action == "amend" for c in fixes.get(e.id, [])),
                    vehicle_entry_id=e.vehicle_entry_id,
                    passengers=e.passengers,
                    cargo=e.cargo,
                )
            )
        return out


def on_site_counts(ctx: GateContext) -> tuple[int, int]:
    """(people, vehicles) in without out."""
    with ctx.db.read() as s:
        people = s.exec(
            select(func.count()).where(col(Presence.subject_key).startswith("p:"))
        ).one()
        vehicles = s.exec(
            select(func.count()).where(col(Presence.subject_key).startswith("v:"))
        ).one()
        return int(people), int(vehicles)


def muster(ctx: GateContext) -> list[OnSiteRow]:
    """Everyone and every vehicle on site now, oldest arrival first."""
    with ctx.db.read() as s:
        rows = []
        stmt = select(Presence, Entry).join(Entry, col(Entry.id) == col(Presence.entry_id))
        for presence, entry in s.exec(stmt.order_by(col(Presence.since))):
            if entry.subject == "person" and entry.person_id:
                p = s.get(Person, entry.person_id)
                label, unit = (p.name, p.unit) if p else (entry.name or "?", None)
                subject_id = entry.person_id
            else:
                v = s.get(Vehicle, entry.vehicle_id) if entry.vehicle_id else None
                label, unit = (v.plate, v.unit) if v else (entry.plate or "?", None)
                subject_id = entry.vehicle_id or ""
            rows.append(
                OnSiteRow(
                    entry.subject, subject_id, label, unit, presence.since, entry.checkpoint_code
                )
            )
        return rows
