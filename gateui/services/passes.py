"""QR passes: the keys that sign them, issuing them as PNG files and a printable sheet,
and checking a scanned pass at the gate (offline, with the public keys this site holds).

QR codes use error correction M and alphanumeric mode (see gateui.domain.passes): a pass
for a registry id fits QR version 6 (41x41 modules). PNGs are written with qrcode's pure
PNG factory (needs `pypng`, no Pillow). The printable sheet is a small PDF written here:
QR codes as vector rectangles (sharp at any printer resolution) and text in STSong-Light,
one of the CJK fonts every PDF reader provides, so no font file has to ship or be embedded.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from qrcode.image.pure import PyPNGImage
from sqlmodel import Session, col, select

from gateui.domain import passes as tokens
from gateui.domain.errors import ValidationError
from gateui.domain.resident_id import mask_id
from gateui.errors import GateUIError, NotFoundError
from gateui.i18n import Translator
from gateui.services.context import GateContext
from gateui.services.lookup import person_card, vehicle_card
from gateui.services.reports import write_atomically
from gateui.services.views import PersonCard, VehicleCard
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import Person, Vehicle
from gateui.store.pass_models import IssuedPass, PassKey

QR_ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
QR_BOX_PIXELS = 8  # pixels per module in the PNG: about 330 px for version 6
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
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


# --- QR images ------------------------------------------------------------------------------


def _qr(text: str, border: int = QR_BORDER, **options: Any) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=QR_ERROR_CORRECTION, border=border, **options)
    qr.add_data(text)
    qr.make(fit=True)
    return qr


def qr_version(text: str) -> int:
    return int(_qr(text).version)


def qr_modules(text: str) -> list[list[bool]]:
    """The QR's dark modules, row by row, without quiet zone."""
    return [[bool(m) for m in row] for row in _qr(text, border=0).get_matrix()]


def qr_png(text: str) -> bytes:
    buf = io.BytesIO()
    _qr(text, box_size=QR_BOX_PIXELS, image_factory=PyPNGImage).make_image().save(buf)
    return buf.getvalue()


def terminal_qr(text: str, invert: bool = False) -> str:
    """The QR in half-block characters (two modules per character cell, with quiet zone).

    Dark modules are drawn as blocks; on a terminal with light text on a dark background,
    pass invert=True so the code is dark-on-light as phone scanners expect.
    """
    out = io.StringIO()
    _qr(text).print_ascii(out=out, invert=invert)
    return out.getvalue()


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
    """Check a scanned pass offline: genuine, for someone known, valid now, not revoked."""
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
    if person_id is None and vehicle_id is None:
        return PassCheck(False, "pass.unknown_subject", {}, claims)
    person = person_card(ctx, person_id) if person_id else None
    vehicle = vehicle_card(ctx, vehicle_id) if vehicle_id else None
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


def _subject(s: Session, claims: tokens.VerifiedPass) -> tuple[str | None, str | None]:
    """(person id, vehicle id) the pass names, if this site knows them."""
    if claims.subject == "person":
        column: Any = Person.id_number if claims.ref_kind == "id_number" else Person.id
        return s.exec(select(Person.id).where(column == claims.ref)).first(), None
    column = Vehicle.plate_key if claims.ref_kind == "plate_key" else Vehicle.id
    return None, s.exec(select(Vehicle.id).where(column == claims.ref)).first()


# --- the printable sheet: a minimal PDF, eight passes to an A4 page ----------------------


@dataclass(frozen=True)
class PassLabel:
    token: str
    lines: tuple[str, ...]  # name, unit, masked ID, valid from, valid until, site and key


_PAGE_W, _PAGE_H, _COLS, _ROWS = 595.28, 841.89, 2, 4
_QR_PT = 150.0  # QR side including its quiet zone: about 1 mm per module for version 6
_SIZES = (16, 11, 11, 10, 10, 8)
_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H "
    b"/DescendantFonts [4 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
    b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R "
    b"/DW 1000 /W [1 95 500] >>",
    b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
)


def _fit(text: str, size: float, width: float) -> str:
    """Cut text to the card's width (CJK a full em, ASCII half an em)."""
    used, out = 0.0, ""
    for ch in text:
        used += size * (0.5 if ch.isascii() else 1.0)
        if used > width:
            return out[:-1] + "…"
        out += ch
    return out


def _card(label: PassLabel, x0: float, y0: float, w: float, h: float) -> list[str]:
    ops = [f"0.7 G 0.5 w {x0 + 4:.2f} {y0 + 4:.2f} {w - 8:.2f} {h - 8:.2f} re S 0 g"]
    modules = qr_modules(label.token)
    m = _QR_PT / (len(modules) + 2 * QR_BORDER)
    left, top = x0 + 12 + QR_BORDER * m, y0 + (h + _QR_PT) / 2 - QR_BORDER * m
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            ops.append(
                f"{left + start * m:.3f} {top - (r + 1) * m:.3f} {(c - start) * m:.3f} {m:.3f} re"
            )
    ops.append("f")
    tx, ty = x0 + 24 + _QR_PT, y0 + h - 48
    for text, size in zip(label.lines, _SIZES, strict=False):
        if text:
            hex_text = _fit(text, size, w - _QR_PT - 36).encode("utf-16-be").hex().upper()
            ops.append(f"BT /F1 {size} Tf {tx:.2f} {ty:.2f} Td <{hex_text}> Tj ET")
        ty -= size * 1.9
    return ops


def sheet_pdf(labels: Sequence[PassLabel]) -> bytes:
    """A4 pages of pass cards (QR, name, unit, masked ID, validity) ready to print and cut."""
    per_page = _COLS * _ROWS
    pages = [labels[i : i + per_page] for i in range(0, len(labels), per_page)] or [[]]
    objects: list[bytes] = [b"", b"", *_FONT]  # 1 catalog and 2 page tree filled in below
    kids = []
    w, h = _PAGE_W / _COLS, _PAGE_H / _ROWS
    for page in pages:
        ops: list[str] = []
        for i, label in enumerate(page):
            col_, row = i % _COLS, i // _COLS
            ops += _card(label, col_ * w, _PAGE_H - (row + 1) * h, w, h)
        stream = zlib.compress("\n".join(ops).encode("ascii"))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%b\nendstream" % (len(stream), stream)
        )
        content_no = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (_PAGE_W, _PAGE_H, content_no)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%b] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
