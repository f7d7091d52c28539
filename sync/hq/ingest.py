"""The push rules (DESIGN invariant 3), one function shared by POST /push and bundle import.

A batch is checked completely before anything is written, so a refused batch stores nothing:
1. it must not start after HQ's contiguous end + 1 (`gap`, with the expected sequence);
2. its prev_hash must be HQ's hash of first_seq - 1 (genesis for 1), and the chain
   recomputed from the received bytes must end on the header's last_hash (`chain_mismatch`);
   a change the device purged (protocol: `#<digest>`) is chained by that digest, stored
   as '#digest' + its purged payload, and projected from the purged payload (the passage
   is counted, with the masked ID number; HQ never had its health answers in hq_entry);
3. changes HQ already holds must hash identically (then they are a no-op), else `conflict`,
   which is also recorded in hq_conflict for `hq devices` and `hq verify`.
The new changes, their typed projections and the device's new acked sequence are then
written in the same transaction, under the device's row lock.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Table, select
from sqlmodel import Session, col

from gateui.domain.change_chain import (
    GENESIS_HASH,
    canonical_json,
    chain_hash,
    chain_hash_of_digest,
)
from sync.hq.db import HQDatabase
from sync.hq.errors import Refusal, safe_text, valid_device_id, valid_kind
from sync.hq.models import (
    HQChange,
    HQConflict,
    HQCorrection,
    HQDailyReport,
    HQDevice,
    HQEntry,
    table_of,
)
from sync.hq.relay import relay_site_events
from sync.protocol import (
    CorrectionPayload,
    DailyReportPayload,
    EntryPayload,
    ProtocolError,
    PushAck,
    PushHeader,
    WireChange,
    decode_push,
    decompress,
    parse_payload,
    purged_field,
)

MAX_SEQ = 2**63 - 1


def read_push_body(
    raw: bytes, content_encoding: str | None, limit: int
) -> tuple[PushHeader, list[WireChange]]:
    """Decompress and decode a push body; any malformation is a Refusal (400/413)."""
    encoding = (content_encoding or "identity").strip().lower()
    try:
        if encoding == "zstd":
            body = decompress(raw, limit)
        elif encoding == "gzip":
            body = _gunzip(raw, limit)
        elif encoding == "identity":
            body = raw
        else:
            raise Refusal("bad_encoding", f"Content-Encoding {encoding!r}: use zstd")
        header, changes = decode_push(body)
    except ProtocolError as exc:
        raise Refusal.from_protocol(exc) from exc
    if not valid_device_id(header.device):
        raise Refusal("bad_request", "device ids are 1-32 letters, digits, '.', '_' or '-'")
    if header.first_seq + header.count - 1 > MAX_SEQ:
        raise Refusal("bad_request", "sequence numbers beyond 2**63-1")
    for change in changes:
        if not valid_kind(change.kind):
            raise Refusal("bad_request", f"bad change kind {change.kind[:80]!r}")
    return header, changes


def _gunzip(raw: bytes, limit: int) -> bytes:
    try:
        dobj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = dobj.decompress(raw, limit + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise Refusal("bad_encoding", f"body is not gzip: {exc}") from exc
    if len(out) > limit or dobj.unconsumed_tail:
        raise Refusal("too_large", f"body larger than {limit} bytes")
    if not dobj.eof:
        raise Refusal("bad_encoding", "body is not gzip: truncated")
    return out


def apply_push(
    db: HQDatabase,
    header: PushHeader,
    changes: Sequence[WireChange],
    *,
    authenticated: str | None,
    live: bool = True,
    now: datetime | None = None,
) -> PushAck:
    """Apply one decoded batch under the push rules; return HQ's acknowledgement.

    `authenticated` is the device the request proved to be (None for a bundle, whose
    signature the caller checked); `live` says the device is talking to HQ right now, so
    its clock skew, pending count and last-seen time are recorded.
    """
    if authenticated is not None and header.device != authenticated:
        raise Refusal("wrong_device", f"authenticated as {authenticated}, not {header.device}")
    now = now or datetime.now(UTC)
    refusal: Refusal | None = None
    with db.write() as session:
        device = db.lock_device(session, header.device)
        if device is None:
            raise Refusal("unauthorized", f"device {header.device} is not enrolled")
        if device.revoked_at is not None:
            raise Refusal("revoked", f"device {device.id} was revoked")
        try:
            stored = _store(db, session, device, header, changes, now)
            device.last_problem = device.last_problem_at = None  # the stream moves again
        except Refusal as exc:
            refusal = exc
            device.last_problem = str(exc)
            device.last_problem_at = now
        if live:
            device.last_seen_at = now
            device.pending_reported = header.pending
            device_time = header.device_time
            if device_time.tzinfo is None:
                device_time = device_time.replace(tzinfo=UTC)
            device.clock_skew_seconds = round((now - device_time).total_seconds(), 3)
        session.add(device)
    if refusal is not None:
        raise refusal
    return PushAck(device=device.id, acked_seq=device.acked_seq, stored=stored, server_time=now)


def _stored_hashes(session: Session, device_id: str, low: int, high: int) -> dict[int, str]:
    rows = session.execute(
        select(col(HQChange.seq), col(HQChange.hash)).where(
            col(HQChange.device_id) == device_id,
            col(HQChange.seq) >= low,
            col(HQChange.seq) <= high,
        )
    )
    return {int(seq): str(h) for seq, h in rows}


def _store(
    db: HQDatabase,
    session: Session,
    device: HQDevice,
    header: PushHeader,
    changes: Sequence[WireChange],
    now: datetime,
) -> int:
    acked, first = device.acked_seq, header.first_seq
    last = first + len(changes) - 1
    if first > acked + 1:
        raise Refusal(
            "gap",
            f"HQ holds {device.id} through {acked}; the batch starts at {first}",
            expected_seq=acked + 1,
            acked_seq=acked,
        )
    if first == 1:
        expected_prev = GENESIS_HASH
    elif first - 1 == acked:
        expected_prev = device.last_hash
    else:
        expected_prev = _stored_hashes(session, device.id, first - 1, first - 1).get(first - 1, "")
    if header.prev_hash != expected_prev:
        raise Refusal(
            "chain_mismatch",
            f"prev_hash does not continue HQ's chain at sequence {first - 1}",
            acked_seq=acked,
        )
    hashes: list[str] = []
    prev = header.prev_hash
    for offset, change in enumerate(changes):
        prev = _link_hash(prev, device.id, first + offset, change)
        hashes.append(prev)
    if prev != header.last_hash:
        raise Refusal(
            "chain_mismatch",
            f"the changes {first}..{last} do not hash to the header's last_hash",
            acked_seq=acked,
        )
    if first <= acked:
        held = _stored_hashes(session, device.id, first, min(last, acked))
        for seq in range(first, min(last, acked) + 1):
            received = hashes[seq - first]
            if held.get(seq) != received:
                _record_conflict(session, device.id, seq, held.get(seq, "missing"), received, now)
                raise Refusal(
                    "conflict",
                    f"sequence {seq} differs from the change HQ holds; nothing was stored",
                    acked_seq=acked,
                )
    new_from = max(first, acked + 1)
    if new_from > last:
        return 0
    fresh = [(seq, changes[seq - first], hashes[seq - first]) for seq in range(new_from, last + 1)]
    _insert(db, session, device, fresh, now)
    relay_site_events(db, session, device, fresh, now)  # same transaction as the push
    device.acked_seq, device.last_hash = last, hashes[-1]
    return len(fresh)


def _link_hash(prev: str, device_id: str, seq: int, change: WireChange) -> str:
    """A purged change (resent after HQ lost it) is chained by the digest the device kept."""
    if change.digest is None:
        return chain_hash(prev, device_id, seq, change.kind, change.payload)
    return chain_hash_of_digest(prev, device_id, seq, change.kind, bytes.fromhex(change.digest))


def stored_payload(change: WireChange) -> bytes:
    """What hq_change keeps: the payload, or for a purged change '#digest' and the purged
    payload (protocol.purged_field), so `hq verify` re-checks it by the digest."""
    if change.digest is None:
        return change.payload
    return purged_field(change.digest, change.payload)


def _record_conflict(
    session: Session, device_id: str, seq: int, stored: str, received: str, now: datetime
) -> None:
    known = session.execute(
        select(col(HQConflict.id)).where(
            col(HQConflict.device_id) == device_id,
            col(HQConflict.seq) == seq,
            col(HQConflict.received_hash) == received,
        )
    ).first()
    if known is None:
        session.add(
            HQConflict(
                device_id=device_id,
                seq=seq,
                stored_hash=stored,
                received_hash=received,
                detected_at=now,
            )
        )


def _insert(
    db: HQDatabase,
    session: Session,
    device: HQDevice,
    fresh: list[tuple[int, WireChange, str]],
    now: datetime,
) -> None:
    # Rows are built as lists in column order and go out by COPY (db.row_writer): the
    # change rows stream to PostgreSQL while the next payloads are projected.
    entries: list[tuple[Any, ...]] = []
    corrections: list[tuple[Any, ...]] = []
    reports: list[dict[str, Any]] = []
    with db.row_writer(session, table_of(HQChange), _CHANGE) as write_change:
        for seq, change, link_hash in fresh:
            error: str | None = None
            try:
                projected = project(change.kind, change.payload)
            except ValueError as exc:
                projected, error = None, safe_text(f"{type(exc).__name__}: {exc}")
            if isinstance(projected, EntryPayload):
                key = {"device_id": device.id, "seq": seq, "site_code": device.site_code}
                entries.append(_fields(projected, _ENTRY, key))
            elif isinstance(projected, CorrectionPayload):
                key = {"device_id": device.id, "seq": seq}
                corrections.append(_fields(projected, _CORRECTION, key))
            elif isinstance(projected, DailyReportPayload):
                fields = _report_fields(device.site_code, projected)
                reports.append({"device_id": device.id, "seq": seq, **fields})
            write_change(
                [device.id, seq, change.kind, stored_payload(change), link_hash, now, error]
            )
    db.insert_rows(session, table_of(HQEntry), _ENTRY, entries)
    db.insert_rows(session, table_of(HQCorrection), _CORRECTION, corrections)
    db.bulk_insert(session, table_of(HQDailyReport), reports)  # one a day: a dict will do


def project(kind: str, payload: bytes) -> BaseModel | None:
    """The typed payload of a kind HQ projects (None for kinds stored raw only).

    Raises ValueError when a known kind's payload cannot be projected; the change is still
    stored raw (the device's history is never refused for its content), with the reason.
    """
    parsed = parse_payload(kind, payload)
    if parsed is None:
        return None
    assert isinstance(parsed, BaseModel)
    if b"\\u" not in payload:  # canonical JSON escapes NUL and lone surrogates as \uXXXX
        return parsed
    for name, value in parsed.__dict__.items():
        if isinstance(value, str) and ("\x00" in value or not _encodable(value)):
            raise ValueError(f"field {name} holds a NUL or an unpaired surrogate")
    return parsed


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_CHANGE = ("device_id", "seq", "kind", "payload", "hash", "received_at", "projection_error")


def _projected_columns(model: type[BaseModel], table: Table, key: set[str]) -> tuple[str, ...]:
    """The columns a projection row fills: the change's key and the payload's fields (any
    other column keeps its default)."""
    names = [column.name for column in table.columns]
    return tuple(c for c in names if c in key or c in model.model_fields)


_ENTRY = _projected_columns(EntryPayload, table_of(HQEntry), {"device_id", "seq", "site_code"})
_CORRECTION = _projected_columns(CorrectionPayload, table_of(HQCorrection), {"device_id", "seq"})


def _fields(model: BaseModel, columns: tuple[str, ...], key: dict[str, Any]) -> tuple[Any, ...]:
    """One projection row in the order of `columns`: the change's `key` (device, sequence,
    site), then the payload's fields that are columns (newer payloads may add more). Its
    timestamps are aware already (the payload models take AwareDatetime only)."""
    values = dict(model.__dict__)
    values.update(key)
    return _row_getter(columns)(values)


def _row_getter(columns: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    getter = _GETTERS.get(columns)
    if getter is None:
        pick = itemgetter(*columns)
        getter = _GETTERS[columns] = (lambda d: (pick(d),)) if len(columns) == 1 else pick
    return getter


_GETTERS: dict[tuple[str, ...], Callable[[dict[str, Any]], tuple[Any, ...]]] = {}


def _report_fields(site_code: str, report: DailyReportPayload) -> dict[str, Any]:
    """The columns of hq_daily_report: the device's enrolled site, the day and the counts."""
    t = report.totals
    at = report.signed_at if report.signed_at.tzinfo else report.signed_at.replace(tzinfo=UTC)
    return {
        "id": report.id,
        "site_code": site_code,
        "day": report.day.isoformat(),
        "zero": report.zero,
        "passages": t.passages,
        "denied": t.denied,
        "referred": t.referred,
        "watch_hits": t.watch_hits,
        "overrides": t.overrides,
        "corrections": t.amended + t.voided,
        "on_site_people": t.on_site_people,
        "on_site_vehicles": t.on_site_vehicles,
        "totals": canonical_json(t.model_dump(mode="json")).decode("utf-8"),
        "signed_by": report.signed_by,
        "signed_name": report.signed_name,
        "signed_at": at,
    }
