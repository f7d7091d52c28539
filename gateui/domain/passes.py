"""Signed gate passes: a compact Ed25519 token that a QR code carries and a scanner types.

Text form: "GP1" + unpadded RFC 4648 base32 of (body + signature), upper case, so the whole
token uses only QR alphanumeric characters (11 bits per 2 characters instead of 16). A
keyboard-wedge scanner types it followed by Enter; case and surrounding blanks are ignored
(a Caps Lock must not refuse a pass), anything else about it must be exact.

Body (big-endian), signed as b"gateui.pass.v1" + body:

    1 byte   subject: bit 0 = vehicle, bits 1-2 = reference kind (0 id, 1 ID number, 2 plate)
    4 bytes  key id (the first 4 bytes of SHA-256 of the raw public key)
    4 bytes  valid from, minutes since 2020-01-01T00:00Z
    3 bytes  length of validity in minutes (at most about 31 years)
    n bytes  subject reference: an ID number packed in 8 bytes, otherwise 1 length byte and
             UTF-8 text
    64 bytes Ed25519 signature

A pass naming a registry id of up to 16 characters is at most 152 characters (147 for the
usual 13-character "<device>-<seq>" id; 138 for an ID number): QR version 6 at error
correction M (41x41 modules), version 8 at Q. tests/passes measures it with qrcode.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gateui.domain.errors import ValidationError

PREFIX = "GP1"
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
SIGNATURE_LENGTH = 64
KEY_ID_LENGTH = 4
_TAG = b"gateui.pass.v1"
_FIXED = 1 + KEY_ID_LENGTH + 4 + 3
_MAX_MINUTES = 2**32 - 1
_MAX_SPAN = 2**24 - 1
_MAX_REF = 64
_B32 = re.compile(r"[A-Z2-7]+")
_KEY_ID = re.compile(r"[0-9A-F]{8}")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")

Subject = Literal["person", "vehicle"]
RefKind = Literal["id", "id_number", "plate_key"]
_REF_KINDS: tuple[RefKind, ...] = ("id", "id_number", "plate_key")
_ALLOWED: dict[str, tuple[RefKind, ...]] = {
    "person": ("id", "id_number"),
    "vehicle": ("id", "plate_key"),
}


@dataclass(frozen=True)
class VerifiedPass:
    """What a genuine, currently valid pass says."""

    subject: Subject
    ref_kind: RefKind
    ref: str  # registry id, ID number or plate key, according to ref_kind
    valid_from: datetime  # UTC, inclusive
    valid_until: datetime  # UTC, exclusive
    key_id: str


# --- keys -----------------------------------------------------------------------------------


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_key_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes_raw()


def key_id_for(key: Ed25519PublicKey) -> str:
    """A key's id: 8 hex digits derived from the key, so HQ and sites agree without talking."""
    return hashlib.sha256(public_key_raw(key)).digest()[:KEY_ID_LENGTH].hex().upper()


def _b64_32(text: str, code: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError(code) from exc
    if len(raw) != 32:
        raise ValidationError(code)
    return raw


def public_key_to_text(key: Ed25519PublicKey) -> str:
    """Raw 32-byte public key in base64 (44 characters), for config files and sync."""
    return base64.b64encode(public_key_raw(key)).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_b64_32(text, "pass.bad_public_key"))


def private_key_to_text(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.private_bytes_raw()).decode("ascii")


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_b64_32(text, "pass.bad_private_key"))


# --- packing --------------------------------------------------------------------------------


def _minutes(at: datetime) -> int:
    if at.tzinfo is None:
        raise ValueError("pass times must be timezone-aware")
    return int((at - EPOCH).total_seconds() // 60)


def _pack_ref(ref_kind: RefKind, ref: str) -> bytes:
    if ref_kind == "id_number":
        if not _ID_NUMBER.fullmatch(ref):
            raise ValueError(f"not a normalized ID number: {ref!r}")
        check = 10 if ref[17] == "X" else int(ref[17])
        return (int(ref[:17]) * 11 + check).to_bytes(8, "big")
    data = ref.encode("utf-8")
    if not 1 <= len(data) <= _MAX_REF:
        raise ValueError(f"a pass reference must be 1-{_MAX_REF} bytes, got {len(data)}")
    return bytes([len(data)]) + data


def _unpack_ref(ref_kind: RefKind, data: bytes) -> str:
    """The reference, which must fill `data` exactly; ValueError for anything else."""
    if ref_kind == "id_number":
        if len(data) != 8:
            raise ValueError("bad ID number length")
        digits, check = divmod(int.from_bytes(data, "big"), 11)
        if digits >= 10**17:
            raise ValueError("ID number out of range")
        return f"{digits:017d}" + ("X" if check == 10 else str(check))
    if not data or data[0] != len(data) - 1 or data[0] == 0:
        raise ValueError("bad reference length")
    return data[1:].decode("utf-8")


def _encode(raw: bytes) -> str:
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")


def issue_token(
    private_key: Ed25519PrivateKey,
    key_id: str,
    subject: Subject,
    ref_kind: RefKind,
    ref: str,
    valid_from: datetime,
    valid_until: datetime,
) -> str:
    """Sign a pass; times are cut to whole minutes. ValueError on impossible arguments."""
    if not _KEY_ID.fullmatch(key_id):
        raise ValueError(f"key id must be 8 hex digits, got {key_id!r}")
    if ref_kind not in _ALLOWED.get(subject, ()):
        raise ValueError(f"bad subject {subject!r} / {ref_kind!r}")
    start, end = _minutes(valid_from), _minutes(valid_until)
    if not 0 <= start <= _MAX_MINUTES or not 0 < end - start <= _MAX_SPAN:
        raise ValueError("validity must start after 2020 and last 1 minute to 31 years")
    flags = (1 if subject == "vehicle" else 0) | (_REF_KINDS.index(ref_kind) << 1)
    body = (
        bytes([flags])
        + bytes.fromhex(key_id)
        + start.to_bytes(4, "big")
        + (end - start).to_bytes(3, "big")
        + _pack_ref(ref_kind, ref)
    )
    return _encode(body + private_key.sign(_TAG + body))


# --- reading --------------------------------------------------------------------------------


def normalize_scan(text: str) -> str:
    """What a scanner or a hand typed, as the canonical token text (blanks dropped, upper)."""
    return "".join(text.split()).upper()


def pass_sha256(text: str) -> str:
    """The name a revocation gives one pass: SHA-256 (hex) of its canonical token text.

    Two scans of the same pass (any case, any blanks the scanner added) name the same pass;
    the token itself never needs to be stored or sent to revoke it.
    """
    return hashlib.sha256(normalize_scan(text).encode("ascii", "replace")).hexdigest()


def looks_like_pass(text: str) -> bool:
    """True when the scan field should treat the text as a pass, not an ID number or name."""
    clean = normalize_scan(text)
    body = clean[len(PREFIX) :]
    return clean.startswith(PREFIX) and len(body) >= 13 and bool(_B32.fullmatch(body))


def _decode(text: str) -> tuple[bytes, bytes, VerifiedPass]:
    """(body, signature, claims) of a well-formed token; ValidationError("pass.malformed")."""
    clean = normalize_scan(text)
    b32 = clean[len(PREFIX) :]
    if not clean.startswith(PREFIX) or not _B32.fullmatch(b32):
        raise ValidationError("pass.malformed")
    try:
        raw = base64.b32decode(b32 + "=" * (-len(b32) % 8))
    except (binascii.Error, ValueError) as exc:
        raise ValidationError("pass.malformed") from exc
    # One text per token: unused trailing bits must be zero, so no two texts verify alike.
    if _encode(raw) != clean or len(raw) < _FIXED + 2 + SIGNATURE_LENGTH:
        raise ValidationError("pass.malformed")
    body, signature = raw[:-SIGNATURE_LENGTH], raw[-SIGNATURE_LENGTH:]
    flags = body[0]
    subject: Subject = "vehicle" if flags & 1 else "person"
    if flags >> 3 or (flags >> 1) >= len(_REF_KINDS):
        raise ValidationError("pass.malformed")
    ref_kind = _REF_KINDS[flags >> 1]
    if ref_kind not in _ALLOWED[subject]:
        raise ValidationError("pass.malformed")
    start = int.from_bytes(body[5:9], "big")
    span = int.from_bytes(body[9:12], "big")
    try:
        ref = _unpack_ref(ref_kind, body[_FIXED:])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError("pass.malformed") from exc
    if span == 0:
        raise ValidationError("pass.malformed")
    claims = VerifiedPass(
        subject=subject,
        ref_kind=ref_kind,
        ref=ref,
        valid_from=EPOCH + timedelta(minutes=start),
        valid_until=EPOCH + timedelta(minutes=start + span),
        key_id=body[1:5].hex().upper(),
    )
    return body, signature, claims


def read_claims(text: str) -> VerifiedPass:
    """What a token claims, WITHOUT checking its signature: for diagnostics only."""
    return _decode(text)[2]


def check_signature(text: str, public_keys: Mapping[str, Ed25519PublicKey]) -> VerifiedPass:
    """The claims of a genuine token, valid or not; ValidationError if not genuine.

    Checked in this order, so nothing about an unsigned claim leaks: pass.malformed,
    pass.unknown_key, pass.bad_signature.
    """
    body, signature, claims = _decode(text)
    key = public_keys.get(claims.key_id)
    if key is None:
        raise ValidationError("pass.unknown_key", key_id=claims.key_id)
    try:
        key.verify(signature, _TAG + body)
    except InvalidSignature as exc:
        raise ValidationError("pass.bad_signature", key_id=claims.key_id) from exc
    return claims


def check_validity(claims: VerifiedPass, now: datetime) -> None:
    """Raise pass.not_yet_valid or pass.expired (params: the limit, ISO 8601 UTC)."""
    if now < claims.valid_from:
        raise ValidationError("pass.not_yet_valid", valid_from=claims.valid_from.isoformat())
    if now >= claims.valid_until:
        raise ValidationError("pass.expired", valid_until=claims.valid_until.isoformat())


def verify_token(
    text: str, public_keys: Mapping[str, Ed25519PublicKey], now: datetime
) -> VerifiedPass:
    """The pass if genuine and valid at `now`; else ValidationError with the reason:
    pass.malformed, pass.unknown_key, pass.bad_signature, pass.not_yet_valid, pass.expired.
    """
    claims = check_signature(text, public_keys)
    check_validity(claims, now)
    return claims
