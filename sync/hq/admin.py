"""Plain functions behind `gateui hq ...`: each opens the database of `settings` (upgrading
its schema if needed), does one job, and closes it. No FastAPI here.

Errors: `Refusal` (sync.hq.errors) for a refused bundle, with `.problem` and `.status`;
gateui.domain.errors.ValidationError for an invalid ID number or plate in `set_watch`;
reference.UnknownSiteError for a site HQ does not know.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sync import protocol
from sync.hq import crud, reference, reports
from sync.hq.core.config import HQSettings
from sync.hq.db import open_database
from sync.hq.errors import Refusal
from sync.hq.ingest import apply_push, read_push_body
from sync.hq.models import DeviceStatus, EnrollCode, HQDevice, ImportResult
from sync.protocol import PushAck


def make_enroll_code(settings: HQSettings, site: str, ttl: timedelta | None = None) -> EnrollCode:
    """A one-time enrollment code for a device of `site` (created if new). `qr_text` is what
    to render as a QR: `gateui enroll <public_url> <code>`, or the bare code without a URL."""
    ttl = ttl or timedelta(seconds=settings.enroll_code_ttl_seconds)
    with open_database(settings) as db:
        return crud.create_enroll_code(db, site, ttl, settings.public_url)


def list_devices(settings: HQSettings) -> list[DeviceStatus]:
    """Every device: complete through N, last seen, pending reported, clock skew, revoked,
    conflicts offered, last refusal."""
    with open_database(settings) as db:
        return crud.device_statuses(db)


def daily_reports(settings: HQSettings, day: date) -> list[reports.SiteDay]:
    """Every site with its report, zero report or none for `day`, and its devices'
    completeness (the rules are in sync.hq.reports)."""
    with open_database(settings) as db:
        return reports.site_days(db, day)


def revoke_device(settings: HQSettings, device_id: str) -> bool:
    """Refuse the device's token from now on; False if HQ knows no such device."""
    with open_database(settings) as db:
        return crud.revoke(db, device_id)


def verify_all(settings: HQSettings) -> list[str]:
    """Re-check every device's stored chain from genesis (verify_chain), its contiguity
    1..complete-through, and list recorded conflicts. Empty list: everything proven."""
    with open_database(settings) as db:
        return crud.verify_all(db)


def import_people(
    settings: HQSettings, rows: Iterable[Mapping[str, Any]], first_line: int = 1
) -> ImportResult:
    """Upsert people by ID number and publish them to every site through pull.
    Row keys: name, id_number (required), phone, kind, unit, card_code, status, status_note."""
    with open_database(settings) as db:
        return reference.import_people(db, rows, first_line)


def import_vehicles(
    settings: HQSettings, rows: Iterable[Mapping[str, Any]], first_line: int = 1
) -> ImportResult:
    """Upsert vehicles by plate and publish them. Row keys: plate (required), kind, unit, status."""
    with open_database(settings) as db:
        return reference.import_vehicles(db, rows, first_line)


def set_watch(
    settings: HQSettings,
    subject: str,
    reason: str,
    active: bool = True,
    site: str | None = None,
) -> int:
    """Put an ID number or a plate on the watch list of one site (or all), or lift it with
    active=False; returns the pull cursor that carries the change to the sites."""
    with open_database(settings) as db:
        return reference.set_watch(db, subject, reason, active, site)


def import_push_body(settings: HQSettings, body: bytes) -> PushAck:
    """Apply one push body (zstd-compressed or not) under exactly the /push rules, as the
    device it names. The caller has checked that the device really wrote it."""
    encoding = "zstd" if body[:4] == b"\x28\xb5\x2f\xfd" else "identity"
    with open_database(settings) as db:
        header, changes = read_push_body(body, encoding, settings.max_body_bytes)
        return apply_push(db, header, changes, authenticated=None, live=False)


def import_bundle(settings: HQSettings, bundle: bytes) -> list[PushAck]:
    """Import a sneakernet bundle file (protocol.sign_bundle): check its HMAC against the
    stored key of the device it names, then decompress and apply each body under the /push
    rules.

    Raises Refusal: bad_request (not a bundle, mixed devices), unauthorized (unknown device
    or bad signature), revoked, or the push refusals (gap, chain_mismatch, conflict). Bodies
    applied before a refusal stay applied (each is its own transaction, like pushes).
    """
    try:
        bundle_file = protocol.read_bundle(bundle)
    except protocol.ProtocolError as exc:
        raise Refusal.from_protocol(exc) from exc
    device_id = bundle_file.device
    with open_database(settings) as db:
        with db.read() as s:
            device = s.get(HQDevice, device_id)
        # The signature first: nothing from an unknown writer is decompressed or parsed.
        if device is None or not protocol.bundle_signature_ok(device.token_hash, bundle_file):
            raise Refusal("unauthorized", f"bundle not signed by enrolled device {device_id}")
        try:
            bodies = protocol.bundle_bodies(bundle_file)
        except protocol.ProtocolError as exc:
            raise Refusal.from_protocol(exc) from exc
        decoded = [read_push_body(body, "identity", settings.max_body_bytes) for body in bodies]
        if any(header.device != device_id for header, _ in decoded):
            raise Refusal("bad_request", "a bundle carries exactly one device's changes")
        return [
            apply_push(db, header, changes, authenticated=None, live=False)
            for header, changes in decoded
        ]
