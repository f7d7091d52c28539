"""Appending to the change log inside the caller's transaction (the transactional outbox).

The caller's session was opened with BEGIN IMMEDIATE (Database.write), so reading the last
sequence and appending the next one cannot interleave with another process: the sequence
stays gap-free and the hash chain linear (DESIGN invariant 3).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from gateui.domain.change_chain import (
    GENESIS_HASH,
    canonical_json,
    chain_hash_of_digest,
    payload_digest,
)
from gateui.store.models import ChangeLog

_CACHE_KEY = "gateui.change_log_tail"


def last_link(session: Session, device_id: str) -> tuple[int, str]:
    """(sequence, hash) of the device's newest change; (0, genesis) for an empty log.

    Remembered in `session.info` after the first read: the session holds the write lock
    for its whole transaction, so nobody else can append meanwhile, and a bulk import
    does not re-read the log's tail for every row.
    """
    cached = session.info.get(_CACHE_KEY, {}).get(device_id)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    row = session.exec(
        select(ChangeLog.seq, ChangeLog.hash)
        .where(ChangeLog.device_id == device_id)
        .order_by(col(ChangeLog.seq).desc())
        .limit(1)
    ).first()
    link = (0, GENESIS_HASH) if row is None else (row[0], row[1])
    session.info.setdefault(_CACHE_KEY, {})[device_id] = link
    return link


def append_change(
    session: Session,
    device_id: str,
    kind: str,
    record_id: str,
    payload: dict[str, Any],
    at: datetime,
) -> ChangeLog:
    """Append one change after the device's newest one and return it (not yet committed)."""
    seq, prev_hash = last_link(session, device_id)
    seq += 1
    body = canonical_json(payload)
    digest = payload_digest(body)
    row = ChangeLog(
        device_id=device_id,
        seq=seq,
        kind=kind,
        record_id=record_id,
        payload=body,
        payload_sha256=digest.hex(),
        prev_hash=prev_hash,
        hash=chain_hash_of_digest(prev_hash, device_id, seq, kind, digest),
        at=at,
    )
    session.add(row)
    session.info[_CACHE_KEY][device_id] = (seq, row.hash)
    return row


def next_seq(session: Session, device_id: str) -> int:
    """The sequence the next append will take (used to name a record before logging it)."""
    return last_link(session, device_id)[0] + 1
