"""QR passes: the keys that sign them, issuing them as PNG files and a printable sheet
(gateui.services.pass_print), checking a scanned pass at the gate (offline, with the
public keys this site holds) and revoking one pass.

A revocation names a pass by `domain.passes.pass_sha256` of its text (the token itself is
not kept): rows with origin "site" are written here by a leader, rows with origin "hq"
arrive with the pulled reference data; the gate refuses both alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session, col, select

from gateui.domain import passes as tokens
from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import mask_id
from gateui.errors import GateUIError, NotFoundError, PermissionDeniedError
from gateui.i18n import Translator
from gateui.services.context import GateContext
from gateui.services.lookup import person_card, vehicle_card

# Printing lives in pass_print; these names stay reachable here, where callers look.
from gateui.services.pass_print import QR_BORDER as QR_BORDER
from gateui.services.pass_print import QR_BOX_PIXELS as QR_BOX_PIXELS
from gateui.services.pass_print import QR_ERROR_CORRECTION as QR_ERROR_CORRECTION
from gateui.services.pass_print import PassLabel, qr_png, sheet_pdf
from gateui.services.pass_print import qr_modules as qr_modules
from gateui.services.pass_print import qr_version as qr_version
from gateui.services.pass_print import terminal_qr as terminal_qr
from gateui.services.reports import write_atomically
from gateui.services.views import PersonCard, VehicleCard
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Person, Vehicle
from gateui.store.pass_models import IssuedPass, PassKey, PassRevocation

SHEET_NAME = "passes.pdf"


@dataclass(frozen=True)
class KeyView:
    key_id: str
    origin: str  # hq, site
    label: str
    revoked: bool
    can_issue: bool  # this site holds the private key
    created_at: datetime


@dataclass(frozen=True)
class IssuedPassView:
    person_id: str
    name: str
    unit: str | None
    masked_id: str | None
    token: str
    png_path: Path
    valid_from: datetime
    valid_until: datetime
    key_id: str


@dataclass(frozen=True)
class PassCheck:
    """The gate's verdict on a scanned pass: the card to show and, if refused, why."""

    ok: bool
    reason: str | None = None  # an i18n code; None when ok
    params: dict[str, Any] = field(default_factory=dict)
    claims: tokens.VerifiedPass | None = None
    person: PersonCard | None = None
    vehicle: VehicleCard | None = None


@dataclass(frozen=True)
class RevokedPassView:
    pass_sha256: str
    key_id: str
    holder: str | None  # the holder's name, when this site knows them
    valid_until: datetime
    reason: str
    revoked_at: datetime
    revoked_by: str


# --- keys -----------------------------------------------------------------------------------


def _key_view(k: PassKey) -> KeyView:
    return KeyView(k.key_id, k.origin, k.label, k.revoked, k.private_key is not None, k.created_at)


def _log_key(ctx: GateContext, s: Session, key: PassKey, kind: str) -> None:
    payload = key.model_dump(mode="json", exclude={"private_key"})  # stays on this device
    append_change(s, ctx.device_id, kind, key.key_id, payload, ctx.now())


def add_key(
    ctx: GateContext,
    public_key: str,
    origin: str = "hq",
    label: str = "",
    private_key: str | None = None,
) -> str:
    """Hold a public key (HQ's, from config) or a site's key pair; returns the key id.

    Adding a key already held is a no-op; base64 text that is not a key is refused.
    """
    if origin not in ("hq", "site"):
        raise ValidationError("pass.bad_key_origin", origin=origin)
    public = tokens.public_key_from_text(public_key)
    if private_key is not None:
        derived = tokens.private_key_from_text(private_key).public_key()
        if tokens.public_key_raw(derived) != tokens.public_key_raw(public):
            raise ValidationError("pass.key_mismatch")
    key_id = tokens.key_id_for(public)
    with ctx.db.write() as s:
        existing = s.get(PassKey, key_id)
        if existing is not None:
            if private_key is not None and existing.private_key is None:
                existing.private_key = private_key.strip()
            return key_id
        row = PassKey(
            key_id=key_id,
            public_key=tokens.public_key_to_text(public),
            private_key=private_key.strip() if private_key else None,
            origin=origin,
            label=label.strip(),
            created_at=ctx.now(),
        )
        s.add(row)
        s.flush()
        _log_key(ctx, s, row, "pass_key.added")
        return key_id


def create_site_key(ctx: GateContext, label: str = "") -> str:
    """Generate this site's own issuing key pair; returns its key id."""
    private = tokens.generate_private_key()
    return add_key(
        ctx,
        tokens.public_key_to_text(private.public_key()),
        origin="site",
        label=label,
        private_key=tokens.private_key_to_text(private),
    )


def revoke_key(ctx: GateContext, key_id: str) -> None:
    """Stop honouring (and issuing) passes signed with a key; its passes are then refused."""
    with ctx.db.write() as s:
        key = s.get(PassKey, key_id)
        if key is None:
            raise NotFoundError("pass.key_not_found", key_id=key_id)
        if key.revoked:
            return
        key.revoked, key.revoked_at = True, ctx.now()
        s.flush()
        _log_key(ctx, s, key, "pass_key.revoked")


def list_keys(ctx: GateContext) -> list[KeyView]:
    with ctx.db.read() as s:
        return [_key_view(k) for k in s.exec(select(PassKey).order_by(col(PassKey.created_at)))]


def _public_keys(s: Session) -> dict[str, Ed25519PublicKey]:
    stmt = select(PassKey).where(col(PassKey.revoked).is_(False))
    return {k.key_id: tokens.public_key_from_text(k.public_key) for k in s.exec(stmt)}


def _signing_key(s: Session, key_id: str | None) -> tuple[str, Ed25519PrivateKey]:
    stmt = select(PassKey).where(col(PassKey.private_key).is_not(None))
    usable = [k for k in s.exec(stmt) if not k.revoked]
    if key_id is not None:
        usable = [k for k in usable if k.key_id == key_id]
    if len(usable) != 1 or usable[0].private_key is None:
        raise GateUIError("pass.no_signing_key" if not usable else "pass.choose_key")
    return usable[0].key_id, tokens.private_key_from_text(usable[0].private_key)


# --- issuing --------------------------------------------------------------------------------


def _file_name(person_id: str) -> str:
    return "pass-" + re.sub(r"[^A-Za-z0-9_-]", "_", person_id) + ".png"


def issue_passes(
    ctx: GateContext,
    person_ids: Sequence[str],
    key_id: str | None,
    valid_from: datetime,
    valid_until: datetime,
    out_dir: Path,
) -> list[IssuedPassView]:
    """Sign a pass per person, write one PNG each and a printable sheet (SHEET_NAME).

    The files are written first (each to a temporary name, then renamed); the issued passes
    are recorded (one "pass.issued" change each) only when every file is on disk. A key id
    of None means the site's only issuing key.
    """
    if valid_until - valid_from < timedelta(minutes=1):
        raise ValidationError("pass.bad_window")
    if not person_ids:
        return []
    with ctx.db.read() as s:
        key_id, private = _signing_key(s, key_id)
        people = []
        for pid in person_ids:
            person = s.get(Person, pid)
            if person is None:
                raise NotFoundError("person.not_found", id=pid)
            people.append(person)
    issued: list[IssuedPassView] = []
    for p in people:
        token = tokens.issue_token(private, key_id, "person", "id", p.id, valid_from, valid_until)
        claims = tokens.read_claims(token)
        issued.append(
            IssuedPassView(
                p.id,
                p.name,
                p.unit,
                mask_id(p.id_number) if p.id_number else None,
                token,
                out_dir / _file_name(p.id),
                claims.valid_from,
                claims.valid_until,
                key_id,
            )
        )
    written: list[Path] = []
    try:
        for v in issued:
            write_atomically(v.png_path, qr_png(v.token))
            written.append(v.png_path)
        labels = [_label(ctx, v) for v in issued]
        write_atomically(out_dir / SHEET_NAME, sheet_pdf(labels))
    except GateUIError:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    _record_issued(ctx, issued)
    return issued


def _label(ctx: GateContext, v: IssuedPassView) -> PassLabel:
    t = Translator(ctx.site.language)
    return PassLabel(
        token=v.token,
        lines=(
            v.name,
            v.unit or "",
            v.masked_id or "",
            t("pass.sheet_from", at=_local(ctx, v.valid_from)),
            t("pass.sheet_until", at=_local(ctx, v.valid_until)),
            f"{ctx.site.name} · {v.key_id}",
        ),
    )


def _record_issued(ctx: GateContext, issued: list[IssuedPassView]) -> None:
    with ctx.db.write() as s:
        for v in issued:
            row = IssuedPass(
                id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
                key_id=v.key_id,
                subject="person",
                ref_kind="id",
                ref=v.person_id,
                valid_from=v.valid_from,
                valid_until=v.valid_until,
                issued_at=ctx.now(),
            )
            s.add(row)
            s.flush()
            payload = row.model_dump(mode="json")
            append_change(s, ctx.device_id, "pass.issued", row.id, payload, ctx.now())


# --- checking at the gate -------------------------------------------------------------------


def _local(ctx: GateContext, at: datetime) -> str:
    return at.astimezone(ctx.site.zone).strftime("%Y-%m-%d %H:%M")


def verify_scanned_pass(ctx: GateContext, text: str) -> PassCheck:
    """Check a scanned pass offline: genuine, for someone known, valid now, not revoked
    (neither its key nor the pass itself, by this site or by HQ)."""
    with ctx.db.read() as s:
        try:
            claims = tokens.check_signature(text, _public_keys(s))
        except ValidationError as exc:
            if exc.code == "pass.unknown_key":
                key = s.get(PassKey, exc.params["key_id"])
                if key is not None and key.revoked:
                    return PassCheck(False, "pass.key_revoked", {"key_id": key.key_id})
            return PassCheck(False, exc.code, dict(exc.params))
        person_id, vehicle_id = _subject(s, claims)
        revoked = s.get(PassRevocation, tokens.pass_sha256(text))
    person = person_card(ctx, person_id) if person_id else None
    vehicle = vehicle_card(ctx, vehicle_id) if vehicle_id else None
    if revoked is not None:
        params = {"at": _local(ctx, revoked.revoked_at), "reason": revoked.reason or "-"}
        return PassCheck(False, "pass.revoked", params, claims, person, vehicle)
    if person_id is None and vehicle_id is None:
        return PassCheck(False, "pass.unknown_subject", {}, claims)
    card = person or vehicle
    assert card is not None
    try:
        tokens.check_validity(claims, ctx.now())
    except ValidationError as exc:
        params = {
            "valid_from": _local(ctx, claims.valid_from),
            "valid_until": _local(ctx, claims.valid_until),
        }
        return PassCheck(False, exc.code, params, claims, person, vehicle)
    if card.status != "normal":
        params = {"status": card.status}
        return PassCheck(False, "pass.revoked_status", params, claims, person, vehicle)
    if card.watch_reasons:
        params = {"reason": "；".join(card.watch_reasons)}
        return PassCheck(False, "pass.revoked_watch", params, claims, person, vehicle)
    return PassCheck(True, None, {}, claims, person, vehicle)


def revoke_pass(ctx: GateContext, text: str, reason: str, leader_id: str) -> RevokedPassView:
    """Withdraw one pass (lost, holder left) before its end: the gate refuses it from now.

    `leader_id` is a leader or admin whose badge and PIN the caller checked. The pass must
    be well formed (any key, even one this site does not hold); its signature is not
    checked, so a pass of a revoked key can still be named. Refused, nothing written:
    garbage or a truncated code, no reason, a pass already revoked, a user who is not an
    active leader. One "pass.revoked" change, without the token or the holder's reference.
    """
    claims = tokens.read_claims(text)  # pass.malformed for garbage or a part of a code
    reason = reason.strip()
    if not reason:
        raise ValidationError("pass.revoke_reason_required")
    digest = tokens.pass_sha256(text)
    with ctx.db.write() as s:
        leader = s.get(AppUser, leader_id)
        if leader is None or not leader.active or leader.role not in ("leader", "admin"):
            raise PermissionDeniedError("auth.not_leader")
        done = s.get(PassRevocation, digest)
        if done is not None:
            params = {"at": _local(ctx, done.revoked_at), "reason": done.reason or "-"}
            raise ValidationError("pass.already_revoked", **params)
        now = ctx.now()
        row = PassRevocation(pass_sha256=digest, reason=reason, origin="site", revoked_at=now)
        s.add(row)
        s.flush()
        payload = {
            **row.model_dump(mode="json"),
            "key_id": claims.key_id,
            "valid_until": claims.valid_until.isoformat(),
            "revoked_by": leader.id,
            "revoked_name": leader.name,
        }
        append_change(s, ctx.device_id, "pass.revoked", digest, payload, now)
        person_id, vehicle_id = _subject(s, claims)
        holder = None
        if person_id is not None:
            person = s.get(Person, person_id)
            holder = person.name if person else None
        elif vehicle_id is not None:
            vehicle = s.get(Vehicle, vehicle_id)
            holder = vehicle.plate if vehicle else None
        return RevokedPassView(
            digest, claims.key_id, holder, claims.valid_until, reason, now, leader.name
        )


def _subject(s: Session, claims: tokens.VerifiedPass) -> tuple[str | None, str | None]:
    """(person id, vehicle id) the pass names, if this site knows them."""
    if claims.subject == "person":
        column: Any = Person.id_number if claims.ref_kind == "id_number" else Person.id
        return s.exec(select(Person.id).where(column == claims.ref)).first(), None
    column = Vehicle.plate_key if claims.ref_kind == "plate_key" else Vehicle.id
    return None, s.exec(select(Vehicle.id).where(column == claims.ref)).first()
