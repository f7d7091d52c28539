"""Leaders' corrections: an amendment or a void is a new record; the entry never changes.

The effective entry is the original with its amendments applied in order; a voided entry
counts for nothing. Presence (who is on site) is recomputed for the subject in the same
transaction, because a voided "in" can change whether someone is still inside.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from sqlmodel import Session, col, select

from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.errors import NotFoundError, PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.views import CorrectionView
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Entry, EntryCorrection, Presence

AMENDABLE = ("direction", "cargo", "purpose", "note")


_IDS_PER_QUERY = 500  # well below SQLite's limit on the variables of one statement


def _corrections(s: Session, entry_id: str) -> list[EntryCorrection]:
    return corrections_of(s, [entry_id]).get(entry_id, [])


def corrections_of(s: Session, entry_ids: Sequence[str]) -> dict[str, list[EntryCorrection]]:
    """entry id -> its corrections in the order they were made; entries without any are
    left out."""
    fixes: dict[str, list[EntryCorrection]] = {}
    for i in range(0, len(entry_ids), _IDS_PER_QUERY):
        chunk = entry_ids[i : i + _IDS_PER_QUERY]
        stmt = select(EntryCorrection).where(col(EntryCorrection.entry_id).in_(chunk))
        for c in s.exec(stmt.order_by(col(EntryCorrection.at), col(EntryCorrection.id))):
            fixes.setdefault(c.entry_id, []).append(c)
    return fixes


def direction_after(entry: Entry, fixes: Iterable[EntryCorrection]) -> str:
    """The entry's direction with its corrections (in the order made) applied."""
    direction = entry.direction
    for c in fixes:
        direction = json.loads(c.changes).get("direction", direction)
    return direction


def effective_direction(s: Session, entry: Entry) -> str:
    return direction_after(entry, _corrections(s, entry.id))


def is_voided(s: Session, entry_id: str) -> bool:
    return any(c.action == "void" for c in _corrections(s, entry_id))


def _recompute_presence(s: Session, entry: Entry) -> None:
    subject_id = entry.person_id if entry.subject == "person" else entry.vehicle_id
    column = Entry.person_id if entry.subject == "person" else Entry.vehicle_id
    key = f"{entry.subject[0]}:{subject_id}"
    stmt = (
        select(Entry)
        .where(column == subject_id, Entry.subject == entry.subject)
        .where(Entry.site_code == entry.site_code, Entry.outcome == "admitted")
        .order_by(col(Entry.at).desc())
    )
    presence = s.get(Presence, key)
    for candidate in s.exec(stmt):
        if is_voided(s, candidate.id):
            continue
        if effective_direction(s, candidate) == Direction.IN.value:
            if presence is None:
                s.add(Presence(subject_key=key, entry_id=candidate.id, since=candidate.at))
            else:
                presence.entry_id, presence.since = candidate.id, candidate.at
            return
        break
    if presence is not None:
        s.delete(presence)


def correct_entry(
    ctx: GateContext,
    entry_id: str,
    leader_id: str,
    action: str,
    reason: str,
    changes: dict[str, str] | None = None,
) -> str:
    """Amend or void an entry as a leader; returns the correction's id."""
    if action not in ("amend", "void"):
        raise ValidationError("correction.bad_action", action=action)
    if not reason.strip():
        raise ValidationError("correction.reason_required")
    changes = dict(changes or {})
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise ValidationError("correction.bad_field", field=", ".join(sorted(unknown)))
    if "direction" in changes and changes["direction"] not in ("in", "out"):
        raise ValidationError("correction.bad_direction")
    if action == "amend" and not changes:
        raise ValidationError("correction.nothing_changed")
    with ctx.db.write() as s:
        leader = s.get(AppUser, leader_id)
        if leader is None or leader.role not in ("leader", "admin"):
            raise PermissionDeniedError("auth.not_leader")
        entry = s.get(Entry, entry_id)
        if entry is None:
            raise NotFoundError("entry.not_found", id=entry_id)
        if is_voided(s, entry_id):
            raise ValidationError("correction.already_void")
        now = ctx.now()
        correction = EntryCorrection(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            entry_id=entry_id,
            action=action,
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
            reason=reason.strip(),
            by_user=leader_id,
            at=now,
        )
        s.add(correction)
        s.flush()
        _recompute_presence(s, entry)
        kind = "entry.voided" if action == "void" else "entry.amended"
        append_change(
            s, ctx.device_id, kind, correction.id, correction.model_dump(mode="json"), now
        )
        return correction.id


def entry_history(ctx: GateContext, entry_id: str) -> list[CorrectionView]:
    with ctx.db.read() as s:
        if s.get(Entry, entry_id) is None:
            raise NotFoundError("entry.not_found", id=entry_id)
        out = []
        for c in _corrections(s, entry_id):
            user = s.get(AppUser, c.by_user)
            out.append(
                CorrectionView(
                    c.id,
                    c.action,
                    json.loads(c.changes),
                    c.reason,
                    user.name if user else "?",
                    c.at,
                )
            )
        return out
