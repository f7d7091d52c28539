"""Purging personal data from old entries once HQ holds them (the one in-place entry change).

An entry keeps its passage (who by registry id and name, where, when, which way, outcome,
reasons) for good; its health answers and full ID number are replaced by markers when both
(1) the entry is older than the configured number of days and (2) HQ has acknowledged the
change that recorded it (SyncState.acked_seq >= the entry's change sequence), so nothing is
purged that HQ does not have. The ID number keeps its masked form (last four characters,
as every screen shows it), the answers become {"_purged": true}.

The purge is not silent: each batch of entries is one transaction that also appends a
"privacy.purged" change naming the entry ids and the rule applied.

Not covered here: the "entry.recorded" change-log rows keep their original payloads (the
hash chain covers them), see the report of issue 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col, or_, select

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import mask_id
from gateui.services.context import GateContext
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import ChangeLog, Entry, SyncState

PURGED_ANSWERS = canonical_json({"_purged": True}).decode("utf-8")
BATCH = 500  # entries per transaction (and per "privacy.purged" change)


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    entry_ids: tuple[str, ...]
    changes: tuple[str, ...]  # record ids of the "privacy.purged" changes written


def _has_personal_data() -> ColumnElement[bool]:
    """Answers not yet purged (and not empty), or an ID number not yet masked."""
    answers = col(Entry.answers).not_in([PURGED_ANSWERS, "{}"])
    full_id = col(Entry.id_number).is_not(None) & ~col(Entry.id_number).contains("*")
    return or_(answers, full_id)


def purge(ctx: GateContext, older_than_days: int) -> PurgeResult:
    """Purge health answers and full ID numbers of old, acknowledged entries of this device."""
    if older_than_days < 1:
        raise ValidationError("privacy.bad_days", days=older_than_days)
    now = ctx.now()
    cutoff = now - timedelta(days=older_than_days)
    ids: list[str] = []
    changes: list[str] = []
    while True:
        with ctx.db.write() as s:
            state = s.get(SyncState, ctx.device_id)
            acked = state.acked_seq if state else 0
            stmt = (
                select(Entry)
                .join(
                    ChangeLog,
                    (col(ChangeLog.device_id) == col(Entry.device_id))
                    & (col(ChangeLog.record_id) == col(Entry.id))
                    & (col(ChangeLog.kind) == "entry.recorded"),
                )
                .where(Entry.device_id == ctx.device_id, col(Entry.at) < cutoff)
                .where(col(ChangeLog.seq) <= acked, _has_personal_data())
                .order_by(col(Entry.at), col(Entry.id))
                .limit(BATCH)
            )
            batch = list(s.exec(stmt))
            if not batch:
                break
            for entry in batch:
                entry.answers = PURGED_ANSWERS
                if entry.id_number:
                    entry.id_number = mask_id(entry.id_number)
            record_id = f"{ctx.device_id}-{next_seq(s, ctx.device_id)}"
            batch_ids = [e.id for e in batch]
            payload = {
                "entry_ids": batch_ids,
                "fields": ["answers", "id_number"],
                "rule": {
                    "older_than_days": older_than_days,
                    "cutoff": cutoff.isoformat(),
                    "acked_seq": acked,
                },
            }
            s.flush()
            append_change(s, ctx.device_id, "privacy.purged", record_id, payload, now)
            ids += batch_ids
            changes.append(record_id)
    return PurgeResult(len(ids), tuple(ids), tuple(changes))
