"""Purging personal data from old entries once HQ holds them (the one in-place rewrite).

An entry keeps its passage (who by registry id and name, where, when, which way, outcome,
reasons) for good; its health answers and full ID number are replaced by markers when both
(1) the entry is older than the configured number of days and (2) HQ has acknowledged the
change that recorded it (SyncState.acked_seq >= the entry's change sequence), so nothing is
purged that HQ does not have. The ID number keeps its masked form (last four characters,
as every screen shows it), the answers become {"_purged": true}.

The same is done to the change log's copy: the "entry.recorded" change's payload is
rewritten with the same markers and flagged `purged`. Its `payload_sha256` (the digest the
chain covers) is kept, so the chain still verifies (services.chain_check) and a resend
after HQ lost data carries the digest instead of the personal data (sync.protocol).

What "in entries" covers: the `entry` rows and their "entry.recorded" payloads, the only
places a passage's health answers and the ID number as read at the gate are kept. Person,
vehicle and watch-list changes are registry records (the live row holds the same number
for lookups and the watch list) and corrections carry no answers or ID numbers: they stay.

The purge is not silent: each batch is one transaction that also appends a "privacy.purged"
change naming the entry ids, the change sequences rewritten and the rule applied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import and_, col, or_, select

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import mask_id
from gateui.services.context import GateContext
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import ChangeLog, Entry, SyncState

PURGED_ANSWERS = canonical_json({"_purged": True}).decode("utf-8")
BATCH = 500  # entries per transaction (and per "privacy.purged" change)
PURGED_KIND = "entry.recorded"  # the change kind whose payload is purged with its entry


@dataclass(frozen=True)
class PurgeResult:
    purged: int  # entries whose row was purged
    entry_ids: tuple[str, ...]
    changes: tuple[str, ...]  # record ids of the "privacy.purged" changes written
    payloads: int = 0  # change-log payloads rewritten (an entry purged before: its log only)


def _has_personal_data() -> ColumnElement[bool]:
    """Answers not yet purged (and not empty), or an ID number not yet masked."""
    answers = col(Entry.answers).not_in([PURGED_ANSWERS, "{}"])
    full_id = col(Entry.id_number).is_not(None) & ~col(Entry.id_number).contains("*")
    return or_(answers, full_id)


def _log_copy_unpurged() -> ColumnElement[bool]:
    """The change's payload still holds what the entry had (answers or an ID number).

    Covers entries purged by a version that left the log alone: their rows are clean, the
    log's copy is not.
    """
    had_data = (col(Entry.answers) != "{}") | col(Entry.id_number).is_not(None)
    return and_(col(ChangeLog.purged).is_(False), had_data)


def _mask(number: str) -> str:
    """The masked form screens show; a number too short to keep four characters of is
    masked whole (a marker must always be there, or the purge would pick it up again)."""
    masked = mask_id(number)
    return masked if "*" in masked else "*" * len(number)


def redact_entry_payload(payload: bytes) -> bytes:
    """An "entry.recorded" payload with the same markers as its purged entry row."""
    data: dict[str, Any] = json.loads(payload)
    if data.get("answers") not in (None, "{}"):
        data["answers"] = PURGED_ANSWERS
    number = data.get("id_number")
    if isinstance(number, str) and number:
        data["id_number"] = _mask(number)
    return canonical_json(data)


def purge(ctx: GateContext, older_than_days: int) -> PurgeResult:
    """Purge health answers and full ID numbers of old, acknowledged entries of this device,
    in the entry rows and in the change log's copies."""
    if older_than_days < 1:
        raise ValidationError("privacy.bad_days", days=older_than_days)
    now = ctx.now()
    cutoff = now - timedelta(days=older_than_days)
    ids: list[str] = []
    changes: list[str] = []
    payloads = 0
    while True:
        with ctx.db.write() as s:
            state = s.get(SyncState, ctx.device_id)
            acked = state.acked_seq if state else 0
            stmt = (
                select(Entry, ChangeLog)
                .join(
                    ChangeLog,
                    (col(ChangeLog.device_id) == col(Entry.device_id))
                    & (col(ChangeLog.record_id) == col(Entry.id))
                    & (col(ChangeLog.kind) == PURGED_KIND),
                )
                .where(Entry.device_id == ctx.device_id, col(Entry.at) < cutoff)
                .where(col(ChangeLog.seq) <= acked)
                .where(or_(_has_personal_data(), _log_copy_unpurged()))
                .order_by(col(Entry.at), col(Entry.id))
                .limit(BATCH)
            )
            batch = list(s.exec(stmt))
            if not batch:
                break
            batch_ids: list[str] = []
            seqs: list[int] = []
            for entry, change in batch:
                answers = entry.answers not in (PURGED_ANSWERS, "{}")
                full_id = bool(entry.id_number) and "*" not in (entry.id_number or "")
                if answers or full_id:
                    if answers:
                        entry.answers = PURGED_ANSWERS
                    if entry.id_number:
                        entry.id_number = _mask(entry.id_number)
                    batch_ids.append(entry.id)
                if not change.purged:
                    # payload_sha256 stays: it is what the chain covers.
                    change.payload = redact_entry_payload(change.payload)
                    change.purged = True
                    seqs.append(change.seq)
            record_id = f"{ctx.device_id}-{next_seq(s, ctx.device_id)}"
            payload = {
                "entry_ids": batch_ids,
                "change_seqs": seqs,
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
            payloads += len(seqs)
            changes.append(record_id)
    return PurgeResult(len(ids), tuple(ids), tuple(changes), payloads)
