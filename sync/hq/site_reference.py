"""Reference data owned by HQ beyond the registry: a site's checklist, HQ's pass keys and
the passes HQ withdraws (DESIGN invariant 4).

Like reference.py: each write changes HQ's row and appends the hq_ref_log item that carries
it to the sites, in one transaction under the reference-stream lock. Repeating a write that
changes nothing publishes nothing (and says so), so an operator may run a command twice.
Input is checked with the gate's own rules (gateui.domain.checklist, gateui.domain.passes)
before anything is written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from gateui.domain import passes as tokens
from gateui.domain.change_chain import canonical_json
from gateui.domain.checklist import checklist_from_config
from gateui.domain.errors import ValidationError
from sync.hq.db import HQDatabase
from sync.hq.errors import safe_text
from sync.hq.models import HQPassKey, HQPassRevocation, HQSite, HQSiteSetting
from sync.hq.reference import UnknownSiteError, publish
from sync.protocol import RefChecklistPayload, RefPassKeyPayload, RefPassRevokedPayload

CHECKLIST = "checklist"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class Published:
    """What a write did: `changed` False means HQ already said exactly this (no new item)."""

    cursor: int
    changed: bool


@dataclass(frozen=True)
class PassKeyInfo:
    key_id: str
    public_key: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


class PassKeyRevokedError(ValueError):
    """A revoked key is compromised for good: it may not be added again."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"pass key {key_id} was revoked; make a new key")
        self.key_id = key_id


class UnknownPassKeyError(LookupError):
    def __init__(self, key_id: str) -> None:
        super().__init__(f"no pass key {key_id!r} at HQ")
        self.key_id = key_id


def _require_site(session: Session, site: str) -> None:
    if session.get(HQSite, site) is None:
        raise UnknownSiteError(site)


def checked_checklist(items: object) -> list[dict[str, Any]]:
    """The items as they will travel, after the gate's own validation.

    Raises gateui.domain.errors.ValidationError (checklist_config.*) for a checklist the
    gate would refuse; values JSON cannot carry (a TOML date) are a bad field type.
    """
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        raise ValidationError("checklist_config.empty")
    checklist_from_config(items)
    try:
        plain = json.loads(canonical_json(list(items)))
    except (TypeError, ValueError) as exc:
        raise ValidationError("checklist_config.bad_field_type", key="-", field=str(exc)) from exc
    assert isinstance(plain, list)
    return plain


def publish_checklist(
    db: HQDatabase, site: str, items: Sequence[Mapping[str, Any]] | None
) -> Published:
    """Make `items` the checklist of `site`'s gates (None: back to each gate's site file).

    Raises ValidationError for a checklist the gate would refuse, UnknownSiteError for a
    site HQ does not know.
    """
    plain = None if items is None else checked_checklist(items)
    value = canonical_json(plain).decode("utf-8")
    now = datetime.now(UTC)
    with db.write() as s:
        _require_site(s, site)
        db.lock_ref_log(s)
        row = s.get(HQSiteSetting, (site, CHECKLIST))
        if row is not None and row.value == value:
            return Published(row.cursor, False)
        cursor = publish(s, "site.checklist", RefChecklistPayload(site=site, items=plain), site)
        if row is None:
            row = HQSiteSetting(
                site_code=site, key=CHECKLIST, value=value, cursor=0, updated_at=now
            )
        row.value, row.cursor, row.updated_at = value, cursor, now
        s.add(row)
        return Published(cursor, True)


def site_checklist(db: HQDatabase, site: str) -> list[dict[str, Any]] | None:
    """The checklist HQ last published for `site` (None: none, or back to the site file)."""
    with db.read() as s:
        row = s.get(HQSiteSetting, (site, CHECKLIST))
        if row is None:
            return None
        value = json.loads(row.value)
        return value if isinstance(value, list) else None


def _key_payload(key: HQPassKey) -> RefPassKeyPayload:
    return RefPassKeyPayload(
        key_id=key.key_id,
        public_key=key.public_key,
        label=key.label,
        revoked=key.revoked_at is not None,
        revoked_at=key.revoked_at,
    )


def add_pass_key(db: HQDatabase, public_key: str, label: str = "") -> tuple[str, Published]:
    """Hold a public key of HQ's (base64 of the raw 32 bytes) and send it to every site, so
    their gates accept the passes it signs; returns (key id, what was published).

    Raises ValidationError (pass.bad_public_key) for text that is not a key, and
    PassKeyRevokedError for a key revoked before.
    """
    public = tokens.public_key_from_text(public_key)
    key_id = tokens.key_id_for(public)
    text = tokens.public_key_to_text(public)
    label = safe_text(label.strip(), 100)
    now = datetime.now(UTC)
    with db.write() as s:
        db.lock_ref_log(s)
        key = s.get(HQPassKey, key_id)
        if key is not None and key.revoked_at is not None:
            raise PassKeyRevokedError(key_id)
        if key is not None and (key.label == label or not label):
            return key_id, Published(0, False)
        if key is None:
            key = HQPassKey(key_id=key_id, public_key=text, label=label, created_at=now)
        key.label = label
        s.add(key)
        s.flush()
        return key_id, Published(publish(s, "passkey.set", _key_payload(key), None), True)


def revoke_pass_key(db: HQDatabase, key_id: str) -> Published:
    """Withdraw a key at every site: passes it signed are refused from the next pull on.

    Raises UnknownPassKeyError for a key HQ does not hold.
    """
    key_id = key_id.strip().upper()
    now = datetime.now(UTC)
    with db.write() as s:
        db.lock_ref_log(s)
        key = s.get(HQPassKey, key_id)
        if key is None:
            raise UnknownPassKeyError(key_id)
        if key.revoked_at is not None:
            return Published(0, False)
        key.revoked_at = now
        s.add(key)
        s.flush()
        return Published(publish(s, "passkey.set", _key_payload(key), None), True)


def list_pass_keys(db: HQDatabase) -> list[PassKeyInfo]:
    with db.read() as s:
        keys = s.execute(select(HQPassKey).order_by(col(HQPassKey.created_at))).scalars()
        return [
            PassKeyInfo(k.key_id, k.public_key, k.label, k.created_at, k.revoked_at) for k in keys
        ]


def pass_digest(token_or_sha256: str) -> str:
    """The name of the pass to revoke: a scanned token (GP1…) becomes its SHA-256; a
    64-digit hex digest is taken as it is. Raises ValidationError (hq.bad_pass_subject)."""
    text = token_or_sha256.strip()
    if _SHA256.fullmatch(text):
        return text.lower()
    if tokens.looks_like_pass(text):
        return tokens.pass_sha256(text)
    raise ValidationError("hq.bad_pass_subject")


def revoke_pass(db: HQDatabase, token_or_sha256: str, reason: str, site: str | None) -> Published:
    """Withdraw one pass at one site or (site None) at every site; the gates refuse it from
    their next pull on. Revoking it again for the same sites publishes nothing.

    Raises ValidationError for a subject that is neither a pass nor a digest, or an empty
    reason; UnknownSiteError for a site HQ does not know.
    """
    digest = pass_digest(token_or_sha256)
    reason = safe_text(reason.strip(), 200)
    if not reason:
        raise ValidationError("hq.reason_required")
    now = datetime.now(UTC)
    with db.write() as s:
        if site is not None:
            _require_site(s, site)
        db.lock_ref_log(s)
        scope = (
            col(HQPassRevocation.site_code).is_(None)
            if site is None
            else col(HQPassRevocation.site_code) == site
        )
        known = (
            s.execute(
                select(HQPassRevocation).where(col(HQPassRevocation.pass_sha256) == digest, scope)
            )
            .scalars()
            .first()
        )
        if known is not None:
            return Published(known.cursor, False)
        payload = RefPassRevokedPayload(pass_sha256=digest, reason=reason, revoked_at=now)
        cursor = publish(s, "pass.revoked", payload, site)
        s.add(
            HQPassRevocation(
                site_code=site, pass_sha256=digest, reason=reason, revoked_at=now, cursor=cursor
            )
        )
        return Published(cursor, True)
