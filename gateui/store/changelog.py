"""Appending to the change log inside the caller's transaction (the transactional outbox).

The caller's transaction was opened with BEGIN IMMEDIATE (Database.write / write_sql), so
reading the last sequence and appending the next one cannot interleave with another
process: the sequence stays gap-free and the hash chain linear (DESIGN invariant 3).

Appends are plain INSERTs on the transaction's own connection (store.rows), written at
once: a change-log row refers to no other row, so it needs no ORM flush ordering, and every
service's append costs a few microseconds instead of a model object and a flush.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from gateui.domain.change_chain import (
    GENESIS_HASH,
    canonical_json,
    chain_hash_of_digest,
    payload_digest,
)
from gateui.store.db import SqlTx, session_tx
from gateui.store.models import ChangeLog
from gateui.store.rows import RowInserter, detached, table_of

_CACHE_KEY = "gateui.change_log_tail"
_INSERT = RowInserter(table_of(ChangeLog))
# The primary key (device_id, seq) makes this one index seek, whatever the log's length.
# Public so that a save may fold it into its first read (store.passage_sql) and hand the
# row to `remember_tail`, one statement fewer.
TAIL_SQL = (
    f"SELECT seq, hash FROM {table_of(ChangeLog).name}"
    " WHERE device_id = ? ORDER BY seq DESC LIMIT 1"
)


def tail(tx: SqlTx, device_id: str) -> tuple[int, str]:
    """(sequence, hash) of the device's newest change; (0, genesis) for an empty log.

    Read once per transaction, then remembered in `tx.info`: the transaction holds the
    write lock until it ends, so no other process (sync daemon, a second TUI) can append
    meanwhile, and a bulk import does not re-read the tail for every row. The next
    transaction reads it again, so another process's appends are always seen.
    """
    cache: dict[str, tuple[int, str]] = tx.info.setdefault(_CACHE_KEY, {})
    link = cache.get(device_id)
    if link is None:
        row = tx.conn.execute(TAIL_SQL, (device_id,)).fetchone()
        link = (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))
        cache[device_id] = link
    return link


def remember_tail(tx: SqlTx, device_id: str, seq: int | None, link_hash: str | None) -> None:
    """The tail as the caller read it with `TAIL_SQL` in this same transaction (seq None:
    the device has no change yet), so `tail` need not read it again. What the transaction
    already knows (its own appends) stays: it is what the database holds too."""
    cache: dict[str, tuple[int, str]] = tx.info.setdefault(_CACHE_KEY, {})
    if device_id not in cache:
        cache[device_id] = (0, GENESIS_HASH) if seq is None else (int(seq), str(link_hash))


def last_link(session: Session, device_id: str) -> tuple[int, str]:
    """`tail` for a Session's transaction."""
    return tail(session_tx(session, flush=False), device_id)


def append(
    tx: SqlTx,
    device_id: str,
    kind: str,
    record_id: str,
    payload: dict[str, Any],
    at: datetime,
) -> dict[str, Any]:
    """Append one change after the device's newest one (not yet committed); its values."""
    seq, prev_hash = tail(tx, device_id)
    seq += 1
    body = canonical_json(payload)
    digest = payload_digest(body)
    values: dict[str, Any] = {
        "device_id": device_id,
        "seq": seq,
        "kind": kind,
        "record_id": record_id,
        "payload": body,
        "payload_sha256": digest.hex(),
        "purged": False,
        "prev_hash": prev_hash,
        "hash": chain_hash_of_digest(prev_hash, device_id, seq, kind, digest),
        "at": at,
    }
    _INSERT.insert(tx.conn, values)
    tx.info[_CACHE_KEY][device_id] = (seq, values["hash"])
    return values


def append_change(
    session: Session,
    device_id: str,
    kind: str,
    record_id: str,
    payload: dict[str, Any],
    at: datetime,
) -> ChangeLog:
    """Append one change after the device's newest one and return it (not yet committed;
    the row is written, the returned object is a detached record of it)."""
    values = append(session_tx(session, flush=False), device_id, kind, record_id, payload, at)
    return detached(ChangeLog, values)


def next_seq_tx(tx: SqlTx, device_id: str) -> int:
    """The sequence the next append will take (used to name a record before logging it)."""
    return tail(tx, device_id)[0] + 1


def next_seq(session: Session, device_id: str) -> int:
    """`next_seq_tx` for a Session's transaction."""
    return last_link(session, device_id)[0] + 1
