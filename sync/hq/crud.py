"""Devices, enrollment, authentication, status, pull pages and verification.

Every function takes an open HQDatabase and runs one transaction; the routes and the admin
functions are thin wrappers around these.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Generator
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from gateui.domain.change_chain import GENESIS_HASH, ChainLink, verify_chain
from sync.hq.db import HQDatabase
from sync.hq.errors import Refusal, safe_text, valid_device_id
from sync.hq.models import (
    DeviceStatus,
    EnrollCode,
    HQChange,
    HQConflict,
    HQDevice,
    HQEnrollCode,
    HQRefLog,
    HQSite,
)
from sync.protocol import (
    EnrollRequest,
    EnrollResponse,
    ProtocolError,
    PullHeader,
    PullItem,
    parse_auth,
    split_purged,
    token_key,
)

# Codes are read aloud and typed on a gate keyboard: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # ~59 bits: unguessable for the days a code lives
_DUMMY_KEY = token_key("no such device")


def _normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalize_code(code).encode()).hexdigest()


def enroll_qr_text(public_url: str, code: str) -> str:
    """What the QR code holds: the very command a terminal runs to enroll."""
    return f"gateui enroll {public_url.rstrip('/')} {code}" if public_url else code


# --- enrollment -------------------------------------------------------------------------------


def ensure_site(db: HQDatabase, site: str, name: str = "") -> None:
    if not valid_device_id(site):
        raise ValueError("site codes are 1-32 letters, digits, '.', '_' or '-'")
    with db.write() as s:
        if s.get(HQSite, site) is None:
            s.add(HQSite(code=site, name=name or site, created_at=datetime.now(UTC)))


def create_enroll_code(
    db: HQDatabase, site: str, ttl: timedelta, public_url: str = ""
) -> EnrollCode:
    """A one-time code bound to `site` (the site is created if new); only its hash is kept."""
    ensure_site(db, site)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
    now = datetime.now(UTC)
    with db.write() as s:
        s.add(
            HQEnrollCode(
                code_hash=_code_hash(code), site_code=site, created_at=now, expires_at=now + ttl
            )
        )
    return EnrollCode(
        code=code, site=site, expires_at=now + ttl, qr_text=enroll_qr_text(public_url, code)
    )


def enroll(db: HQDatabase, request: EnrollRequest) -> EnrollResponse:
    """Spend a one-time code for a new random token; re-enrolling replaces the old token."""
    if not valid_device_id(request.device):
        raise Refusal("bad_request", "device ids are 1-32 letters, digits, '.', '_' or '-'")
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    try:
        with db.write() as s:
            spent = s.execute(
                update(HQEnrollCode)
                .where(
                    col(HQEnrollCode.code_hash) == _code_hash(request.code),
                    col(HQEnrollCode.used_at).is_(None),
                    col(HQEnrollCode.expires_at) > now,
                )
                .values(used_at=now, used_by=request.device)
                .returning(col(HQEnrollCode.site_code))
            ).first()
            if spent is None:
                raise Refusal("bad_enrollment", "unknown, used or expired enrollment code")
            site = str(spent[0])
            device = db.lock_device(s, request.device)
            if device is None:
                device = HQDevice(
                    id=request.device,
                    site_code=site,
                    name=safe_text(request.name, 64),
                    token_hash=token_key(token),
                    enrolled_at=now,
                )
            elif device.revoked_at is not None:
                raise Refusal("revoked", f"device {device.id} was revoked")
            elif device.site_code != site:
                raise Refusal(
                    "bad_enrollment", f"device {device.id} belongs to site {device.site_code}"
                )
            else:
                device.token_hash = token_key(token)
                device.enrolled_at = now
                device.name = safe_text(request.name, 64) or device.name
            s.add(device)
            acked = device.acked_seq
    except IntegrityError as exc:  # the same new device enrolled twice at the same instant
        raise Refusal("conflict", "device enrolled concurrently; try again", status=409) from exc
    return EnrollResponse(device=request.device, site=site, token=token, acked_seq=acked)


# --- authentication and status ------------------------------------------------------------------


def authenticate(db: HQDatabase, authorization: str | None) -> HQDevice:
    """The device named by `Authorization: GateUI <device>:<token>`, or a Refusal (401/403)."""
    parsed = parse_auth(authorization)
    if parsed is None or not valid_device_id(parsed[0]):
        raise Refusal("unauthorized", "send Authorization: GateUI <device>:<token>")
    device_id, token = parsed
    with db.read() as s:
        device = s.get(HQDevice, device_id)
    key = token_key(token)
    if not hmac.compare_digest(key, device.token_hash if device else _DUMMY_KEY) or not device:
        raise Refusal("unauthorized", "unknown device or wrong token")
    if device.revoked_at is not None:
        raise Refusal("revoked", f"device {device_id} was revoked")
    return device


def is_admin(admin_token: str, authorization: str | None) -> bool:
    if not admin_token or not authorization or not authorization.startswith("Bearer "):
        return False
    return hmac.compare_digest(authorization[7:].encode(), admin_token.encode())


def device_statuses(db: HQDatabase, device_id: str | None = None) -> list[DeviceStatus]:
    with db.read() as s:
        stmt = select(HQDevice).order_by(col(HQDevice.site_code), col(HQDevice.id))
        conflicts_stmt = select(col(HQConflict.device_id), func.count()).group_by(
            col(HQConflict.device_id)
        )
        if device_id is not None:
            stmt = stmt.where(col(HQDevice.id) == device_id)
        devices = s.execute(stmt).scalars().all()
        conflicts = {str(d): int(n) for d, n in s.execute(conflicts_stmt)}
    return [
        DeviceStatus(
            device=d.id,
            site=d.site_code,
            name=d.name,
            complete_through=d.acked_seq,
            last_seen_at=d.last_seen_at,
            pending_reported=d.pending_reported,
            clock_skew_seconds=d.clock_skew_seconds,
            enrolled_at=d.enrolled_at,
            revoked_at=d.revoked_at,
            conflicts=conflicts.get(d.id, 0),
            last_problem=d.last_problem,
        )
        for d in devices
    ]


def revoke(db: HQDatabase, device_id: str) -> bool:
    """Revoke a device's credentials; False if there is no such device."""
    with db.write() as s:
        device = db.lock_device(s, device_id)
        if device is None:
            return False
        if device.revoked_at is None:
            device.revoked_at = datetime.now(UTC)
            s.add(device)
    return True


def ping(db: HQDatabase) -> None:
    with db.read() as s:
        s.execute(text("SELECT 1"))


# --- pull -------------------------------------------------------------------------------------


def pull_page(
    db: HQDatabase, site: str, cursor: int, limit: int
) -> tuple[PullHeader, list[PullItem]]:
    """Reference items for `site` and for all sites after `cursor`, in cursor order."""
    with db.read() as s:
        rows = s.execute(
            select(col(HQRefLog.cursor), col(HQRefLog.kind), col(HQRefLog.payload))
            .where(
                col(HQRefLog.cursor) > cursor,
                col(HQRefLog.site_code).is_(None) | (col(HQRefLog.site_code) == site),
            )
            .order_by(col(HQRefLog.cursor))
            .limit(limit + 1)
        ).all()
    items = [PullItem(cursor=int(c), kind=str(k), payload=bytes(p)) for c, k, p in rows[:limit]]
    next_cursor = items[-1].cursor if items else cursor
    return PullHeader(next_cursor=next_cursor, more=len(rows) > limit), items


# --- verification -----------------------------------------------------------------------------


def _links(db: HQDatabase, device_id: str) -> Generator[ChainLink]:
    prev = GENESIS_HASH
    with db.read() as s:
        rows = s.execute(
            select(col(HQChange.seq), col(HQChange.kind), col(HQChange.payload), col(HQChange.hash))
            .where(col(HQChange.device_id) == device_id)
            .order_by(col(HQChange.seq))
            .execution_options(yield_per=2_000)
        )
        for seq, kind, payload, link_hash in rows:
            # A change the device purged is stored '#digest…' (ingest.stored_payload): it is
            # checked by that digest; a malformed one fails the check instead of crashing it.
            data = bytes(payload)
            try:
                purged = split_purged(data)
            except ProtocolError:
                purged = ("-", data)
            digest = purged[0] if purged else None
            yield ChainLink(
                device_id, int(seq), str(kind), data, prev, str(link_hash), payload_sha256=digest
            )
            prev = str(link_hash)


def verify_device(db: HQDatabase, device: HQDevice) -> list[str]:
    """Problems of one device's stored stream: chain, contiguity 1..acked_seq, conflicts."""
    name = f"device {device.id}"
    problems: list[str] = []
    count = 0
    last = GENESIS_HASH

    def counted() -> Generator[ChainLink]:
        nonlocal count, last
        for link in _links(db, device.id):
            count, last = count + 1, link.hash
            yield link

    links = counted()
    try:
        problem = verify_chain(links)
    finally:
        links.close()
    if problem is not None:
        problems.append(
            f"{name}: {problem.kind.value} at sequence {problem.seq}"
            f" (expected {problem.expected}, found {problem.found})"
        )
    elif count != device.acked_seq:
        problems.append(f"{name}: holds {count} changes but is complete through {device.acked_seq}")
    elif last != device.last_hash:
        problems.append(f"{name}: last stored hash differs from the device's recorded last hash")
    with db.read() as s:
        conflicts = s.execute(
            select(col(HQConflict.seq), col(HQConflict.detected_at))
            .where(col(HQConflict.device_id) == device.id)
            .order_by(col(HQConflict.seq))
        ).all()
    problems += [
        f"{name}: conflict at sequence {seq} (a different change was offered {at:%Y-%m-%d %H:%M}Z)"
        for seq, at in conflicts
    ]
    return problems


def verify_all(db: HQDatabase) -> list[str]:
    with db.read() as s:
        devices = s.execute(select(HQDevice).order_by(col(HQDevice.id))).scalars().all()
    problems: list[str] = []
    for device in devices:
        problems += verify_device(db, device)
    return problems
