"""Site relay: what one terminal pushes that the other terminals of its site must know —
roster events, and passes a leader revoked there — reaches them through pull.

Called by the push (ingest._store) with the changes it stores for the first time, inside the
push's transaction: the relayed items are in the reference stream exactly when the changes
are stored. A replayed batch has no new changes, so it publishes nothing twice. Items go to
the stream of the pushing device's site only; its own device pulls them too, and stores
nothing (terminals keep roster events idempotently by event id).

The payload travels byte for byte as the device pushed it (canonical JSON, covered by its
chain). A roster change is relayed only when it is a well-formed event of the device's
enrolled site, named after its own change ("<device>-<seq>", clock node = the device): no
device can make events in another's name or for another site, and a malformed event never
reaches the other terminals, whose pull would stall on it. A refused one is still stored
raw (a device's history is never refused for its content) with the reason in
hq_change.projection_error, where `hq verify` and an operator can find it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlalchemy import update
from sqlmodel import Session, col

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.roster import event_from_payload
from sync.hq.db import HQDatabase
from sync.hq.errors import safe_text
from sync.hq.models import HQChange, HQDevice, HQRefLog, table_of
from sync.protocol import ROSTER_CHANGE_KINDS, RefPassRevokedPayload, WireChange

RELAY_KIND = "roster.event"
PASS_REVOKED_KIND = "pass.revoked"  # same kind on push (a site's) and pull (to its site)


def relay_site_events(
    db: HQDatabase,
    session: Session,
    device: HQDevice,
    fresh: Sequence[tuple[int, WireChange, str]],
    now: datetime,
) -> int:
    """Publish what among `fresh` (seq, change, hash) the device's site must see: roster
    events, and passes a leader revoked there (the revoking terminal already has its own
    row). Returns how many were relayed; the caller's transaction commits them with the
    push. A change that may not be relayed is marked on its hq_change row."""
    rows: list[dict[str, Any]] = []
    for seq, change, _hash in fresh:
        if change.digest is not None:
            continue  # a purged change (resent after HQ lost it) was relayed when it came
        item = _site_item(device, seq, change)
        if isinstance(item, str):
            session.execute(
                update(table_of(HQChange))
                .where(col(HQChange.device_id) == device.id, col(HQChange.seq) == seq)
                .values(projection_error=safe_text(f"not relayed: {item}"))
            )
        elif item is not None:
            kind, payload = item
            rows.append(
                {"site_code": device.site_code, "kind": kind, "payload": payload, "created_at": now}
            )
    if rows:
        # Cursors must commit in cursor order (a pull never skips a late commit).
        db.lock_ref_log(session)
        db.bulk_insert(session, table_of(HQRefLog), rows)
    return len(rows)


def _site_item(device: HQDevice, seq: int, change: WireChange) -> tuple[str, bytes] | str | None:
    """(pull kind, payload) to relay, why not (a problem), or None for a kind not relayed."""
    if change.kind in ROSTER_CHANGE_KINDS:
        problem = _problem(device, seq, change.payload)
        # Byte for byte as the device pushed it: the payload its chain covers.
        return problem if problem is not None else (RELAY_KIND, change.payload)
    if change.kind == PASS_REVOKED_KIND:
        try:
            pushed = RefPassRevokedPayload.model_validate_json(change.payload)
        except PydanticError as exc:
            return f"{exc.error_count()} bad fields"
        item = pushed.model_copy(update={"origin": "site"})
        return PASS_REVOKED_KIND, canonical_json(item.model_dump(mode="json"))
    return None


def _problem(device: HQDevice, seq: int, payload: bytes) -> str | None:
    """Why a pushed roster change may not be relayed, or None."""
    try:
        data = json.loads(payload)
    except ValueError:
        return "payload is not JSON"
    if not isinstance(data, dict):
        return "payload is not an object"
    # Canonical JSON writes NUL and lone surrogates as \uXXXX: only then look closer.
    if b"\\u" in payload and not _storable(data):
        return "a text holds a NUL or an unpaired surrogate"
    try:
        event = event_from_payload(data)
    except ValidationError as exc:
        return f"{exc.code} {exc.params}"
    if event.event_id != f"{device.id}-{seq}" or event.hlc.node != device.id:
        return f"event {event.event_id[:64]!r} is not named after change {device.id}-{seq}"
    if data.get("site") != device.site_code:
        return f"event of site {str(data.get('site'))[:32]!r}, device of {device.site_code!r}"
    return None


def _storable(value: object) -> bool:
    """No NUL and no lone surrogate in any text: every terminal can store the event."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return True
