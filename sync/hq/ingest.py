"""The push rules (DESIGN invariant 3), one function shared by POST /push and bundle import.

A batch is checked completely before anything is written, so a refused batch stores nothing:
1. it must not start after HQ's contiguous end + 1 (`gap`, with the expected sequence);
2. its prev_hash must be HQ's hash of first_seq - 1 (genesis for 1), and the chain
   recomputed from the received bytes must end on the header's last_hash (`chain_mismatch`);
3. changes HQ already holds must hash identically (then they are a no-op), else `conflict`,
   which is also recorded in hq_conflict for `hq devices` and `hq verify`.
The new changes, their typed projections and the device's new acked sequence are then
written in the same transaction, under the device's row lock.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, col

from gateui.domain.change_chain import GENESIS_HASH, canonical_json, chain_hash
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
        prev = chain_hash(prev, device.id, first + offset, change.kind, change.payload)
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
    device.acked_seq, device.last_hash = last, hashes[-1]
    return len(fresh)


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
    raw: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    corrections: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    for seq, change, link_hash in fresh:
        error: str | None = None
        try:
            projected = project(change.kind, change.payload)
        except ValueError as exc:
            projected, error = None, safe_text(f"{type(exc).__name__}: {exc}")
        row = {"device_id": device.id, "seq": seq}
        if isinstance(projected, EntryPayload):
            entries.append({**row, "site_code": device.site_code, **_fields(projected, _ENTRY)})
        elif isinstance(projected, CorrectionPayload):
            corrections.append({**row, **_fields(projected, _CORRECTION)})
        elif isinstance(projected, DailyReportPayload):
            reports.append({**row, **_report_fields(device.site_code, projected)})
        raw.append(
            {
                **row,
                "kind": change.kind,
                "payload": change.payload,
                "hash": link_hash,
                "received_at": now,
                "projection_error": error,
            }
        )
    db.bulk_insert(session, table_of(HQChange), raw)
    db.bulk_insert(session, table_of(HQEntry), entries)
    db.bulk_insert(session, table_of(HQCorrection), corrections)
    db.bulk_insert(session, table_of(HQDailyReport), reports)


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


_ENTRY = frozenset(table_of(HQEntry).columns.keys())
_CORRECTION = frozenset(table_of(HQCorrection).columns.keys())


def _fields(model: BaseModel, columns: frozenset[str]) -> dict[str, Any]:
    """The payload's fields that are columns of the projection (newer payloads may add more)."""
    out = {name: value for name, value in model.__dict__.items() if name in columns}
    at = out.get("at")
    if isinstance(at, datetime) and at.tzinfo is None:
        out["at"] = at.replace(tzinfo=UTC)  # the device should send UTC; assume it did
    return out


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
