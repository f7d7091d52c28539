"""Handover between shifts: the outgoing guard's note and shift summary, the incoming
guard's acknowledgement, both timestamped.

The summary counts what the gate recorded at the checkpoint during the shift: passages
in and out (people and vehicles, voided entries left out, amended directions applied),
refusals with their reasons, watch-list hits, leaders' overrides and corrections. It is
stored with the note, so the incoming guard sees what the outgoing guard saw.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from gateui.domain.errors import ValidationError
from gateui.domain.roster import CellKey
from gateui.errors import NotFoundError
from gateui.services.context import GateContext
from gateui.services.corrections import corrections_of, direction_after
from gateui.services.roster_store import calendar_for, checkpoint_codes
from gateui.services.roster_views import GuardRef, HandoverView, ShiftSummary
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Entry
from gateui.store.roster_models import Handover


def _summarize(s: Session, cell: CellKey, start: datetime, end: datetime) -> ShiftSummary:
    entries = list(
        s.exec(
            select(Entry)
            .where(Entry.checkpoint_code == cell.checkpoint)
            .where(Entry.at >= start, Entry.at < end)
        )
    )
    fixes = corrections_of(s, [e.id for e in entries])
    moves: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    for entry in entries:
        own = fixes.get(entry.id, [])
        counts["corrections"] += len(own)
        if any(f.action == "void" for f in own):
            counts["voided"] += 1
            continue
        direction = direction_after(entry, own)
        entry_reasons = json.loads(entry.reasons)
        if any(r.startswith("watch:") for r in entry_reasons):
            counts["watch_hits"] += 1
        if entry.override_by:
            counts["overrides"] += 1
        if entry.outcome == "admitted":
            moves[f"{entry.subject}_{direction}"] += 1
        else:
            counts[entry.outcome] += 1
            reasons.update(entry_reasons)
    return ShiftSummary(
        cell=cell,
        starts_at=start,
        ends_at=end,
        people_in=moves["person_in"],
        people_out=moves["person_out"],
        vehicles_in=moves["vehicle_in"],
        vehicles_out=moves["vehicle_out"],
        denied=counts["denied"],
        referred=counts["referred"],
        reasons=dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        watch_hits=counts["watch_hits"],
        overrides=counts["overrides"],
        corrections=counts["corrections"],
        voided=counts["voided"],
    )


def _cell(ctx: GateContext, day: date, shift: str, checkpoint: str | None) -> tuple[CellKey, Any]:
    cp = checkpoint_codes(ctx, checkpoint or ctx.checkpoint_code)[0]
    inst = calendar_for(ctx).instance(day, shift)
    return CellKey(day, shift, cp), inst


def shift_summary(
    ctx: GateContext, day: date, shift: str, checkpoint: str | None = None
) -> ShiftSummary:
    """What happened at the checkpoint during the shift (so far, if it is under way)."""
    cell, inst = _cell(ctx, day, shift, checkpoint)
    with ctx.db.read() as s:
        return _summarize(s, cell, inst.start, inst.end)


def _summary_json(summary: ShiftSummary) -> str:
    data = asdict(summary)
    data["cell"] = {
        "day": summary.cell.day.isoformat(),
        "shift": summary.cell.shift,
        "checkpoint": summary.cell.checkpoint,
    }
    data["starts_at"], data["ends_at"] = summary.starts_at.isoformat(), summary.ends_at.isoformat()
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _summary_from_json(text: str) -> ShiftSummary:
    data = json.loads(text)
    c = data.pop("cell")
    data["cell"] = CellKey(date.fromisoformat(c["day"]), c["shift"], c["checkpoint"])
    data["starts_at"] = datetime.fromisoformat(data["starts_at"])
    data["ends_at"] = datetime.fromisoformat(data["ends_at"])
    return ShiftSummary(**data)


def _active_user(s: Session, user_id: str) -> AppUser:
    user = s.get(AppUser, user_id)
    if user is None or not user.active:
        raise ValidationError("roster.unknown_guard", guard=user_id)
    return user


def _view(s: Session, row: Handover) -> HandoverView:
    def ref(uid: str) -> GuardRef:
        user = s.get(AppUser, uid)
        return GuardRef(uid, user.name if user else uid)

    return HandoverView(
        id=row.id,
        cell=CellKey(row.day, row.shift, row.checkpoint_code),
        outgoing=ref(row.outgoing_guard_id),
        note=row.note,
        written_at=row.written_at,
        summary=_summary_from_json(row.summary),
        incoming=ref(row.incoming_guard_id) if row.incoming_guard_id else None,
        acknowledged_at=row.acknowledged_at,
    )


def _payload(row: Handover) -> dict[str, Any]:
    return row.model_dump(mode="json") | {"summary": json.loads(row.summary)}


def write_handover(
    ctx: GateContext,
    outgoing_guard_id: str,
    day: date,
    shift: str,
    note: str,
    checkpoint: str | None = None,
) -> HandoverView:
    """The outgoing guard's note for the shift, stored with the shift summary as it stands."""
    cell, inst = _cell(ctx, day, shift, checkpoint)
    if not note.strip():
        raise ValidationError("handover.note_required")
    now = ctx.now()
    with ctx.db.write() as s:
        _active_user(s, outgoing_guard_id)
        if _stored(s, day, shift, cell.checkpoint) is not None:
            raise ValidationError(
                "handover.already_written", shift=inst.label, checkpoint=cell.checkpoint
            )
        row = Handover(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            device_id=ctx.device_id,
            day=day,
            shift=shift,
            checkpoint_code=cell.checkpoint,
            outgoing_guard_id=outgoing_guard_id,
            note=note.strip(),
            summary=_summary_json(_summarize(s, cell, inst.start, inst.end)),
            written_at=now,
        )
        s.add(row)
        s.flush()
        append_change(s, ctx.device_id, "handover.written", row.id, _payload(row), now)
        return _view(s, row)


def _stored(s: Session, day: date, shift: str, checkpoint: str) -> Handover | None:
    """The handover written for one shift at one checkpoint, if any."""
    stmt = select(Handover).where(
        Handover.day == day, Handover.shift == shift, Handover.checkpoint_code == checkpoint
    )
    return s.exec(stmt).first()


def acknowledge_handover(
    ctx: GateContext, handover_id: str, incoming_guard_id: str
) -> HandoverView:
    """The incoming guard confirms having read the handover; once, and not by its writer."""
    now = ctx.now()
    with ctx.db.write() as s:
        row = s.get(Handover, handover_id)
        if row is None:
            raise NotFoundError("handover.not_found", id=handover_id)
        incoming = _active_user(s, incoming_guard_id)
        if row.acknowledged_at is not None:
            by = s.get(AppUser, row.incoming_guard_id) if row.incoming_guard_id else None
            raise ValidationError("handover.already_acknowledged", guard=by.name if by else "?")
        if incoming.id == row.outgoing_guard_id:
            raise ValidationError("handover.same_guard")
        row.incoming_guard_id, row.acknowledged_at = incoming.id, now
        s.add(row)
        s.flush()
        payload = {
            "id": row.id,
            "incoming_guard_id": incoming.id,
            "acknowledged_at": now.isoformat(),
        }
        append_change(s, ctx.device_id, "handover.acknowledged", row.id, payload, now)
        return _view(s, row)


def handover_for(
    ctx: GateContext, day: date, shift: str, checkpoint: str | None = None
) -> HandoverView | None:
    cell, _ = _cell(ctx, day, shift, checkpoint)
    with ctx.db.read() as s:
        row = _stored(s, day, shift, cell.checkpoint)
        return _view(s, row) if row else None


def previous_handover(ctx: GateContext, checkpoint: str | None = None) -> HandoverView | None:
    """The handover of the shift before the current one: what the incoming guard acknowledges."""
    calendar = calendar_for(ctx)
    current = calendar.instance_at(ctx.now())
    before = calendar.instance_at(current.start - timedelta(seconds=1))
    return handover_for(ctx, before.day, before.shift, checkpoint)
