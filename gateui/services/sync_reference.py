"""Applying one pulled reference item inside the page's transaction
(services.sync_io.apply_reference_page owns the transaction and the cursor).

- `person.upsert`, `vehicle.upsert`, `watch.set`: HQ's registry and watch list.
- `roster.event`: another terminal's roster event (relayed by HQ), stored idempotently by
  event id through services.roster; this terminal's own events come back and change nothing.
- `site.checklist`: the site's checklist, into site_setting; GateContext.checklist uses it
  from the next entry on.
- `passkey.set`: an HQ public key that verifies passes (origin "hq"); never a private key.
- `pass.revoked`: one pass withdrawn by HQ, a pass_revocation row (origin "hq").

HQ-owned reference data: nothing here is change-logged. An item this terminal cannot apply
(not JSON, malformed, another site's) is skipped and logged, not refused: refusing would
stop the whole reference stream - watch list included - at that item for good. The newer
kinds' handlers check their item before they write anything; an unknown kind (from a newer
HQ) is skipped.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError as PydanticError
from sqlmodel import Session, select

from gateui.domain import passes as tokens
from gateui.domain.change_chain import canonical_json
from gateui.domain.checklist import checklist_from_config
from gateui.domain.errors import ValidationError
from gateui.services.context import CHECKLIST_SETTING, GateContext
from gateui.services.registry import write_person_keys
from gateui.services.roster import store_remote_events
from gateui.store.models import Person, SiteSetting, SyncState, Vehicle, WatchEntry
from gateui.store.pass_models import PassKey, PassRevocation
from sync.protocol import RefChecklistPayload, RefPassKeyPayload, RefPassRevokedPayload

log = logging.getLogger("gateui.sync")

Handler = Callable[[GateContext, Session, SyncState, int, dict[str, Any]], bool]


def apply_item(
    ctx: GateContext, s: Session, state: SyncState, cursor: int, kind: str, payload: bytes
) -> bool:
    """Apply one item in the caller's transaction; False when it was skipped."""
    handler = HANDLERS.get(kind)
    if handler is None:
        return False
    try:
        data = json.loads(payload)
    except ValueError as exc:
        return _skip(kind, cursor, exc)
    if not isinstance(data, dict):
        return _skip(kind, cursor, "not a JSON object")
    return handler(ctx, s, state, cursor, data)


def _skip(kind: str, cursor: int, why: object) -> bool:
    log.warning("pulled %s at cursor %d not applied: %s", kind, cursor, why)
    return False


def _apply_person(
    ctx: GateContext, s: Session, _state: SyncState, _cursor: int, data: dict[str, Any]
) -> bool:
    number = data.get("id_number")
    person = s.exec(select(Person).where(Person.id_number == number)).first() if number else None
    if person is None:
        person = s.get(Person, data["id"])
    now = ctx.now()
    if person is None:
        person = Person(
            id=data["id"],
            kind=data.get("kind", "employee"),
            name=data["name"],
            origin="hq",
            created_at=now,
            updated_at=now,
        )
    for field in (
        "kind",
        "name",
        "id_number",
        "phone",
        "unit",
        "status",
        "status_note",
        "card_code",
    ):
        if field in data:
            setattr(person, field, data[field])
    person.id_rev = person.id_number[::-1] if person.id_number else None
    person.updated_at = now
    s.add(person)
    s.flush()
    write_person_keys(s, person)
    return True


def _apply_vehicle(
    ctx: GateContext, s: Session, _state: SyncState, _cursor: int, data: dict[str, Any]
) -> bool:
    vehicle = s.exec(select(Vehicle).where(Vehicle.plate_key == data["plate_key"])).first()
    now = ctx.now()
    if vehicle is None:
        vehicle = Vehicle(
            id=data["id"],
            plate=data["plate"],
            plate_key=data["plate_key"],
            kind=data.get("kind", "other"),
            created_at=now,
            updated_at=now,
        )
    for field in ("plate", "kind", "unit", "status"):
        if field in data:
            setattr(vehicle, field, data[field])
    vehicle.updated_at = now
    s.add(vehicle)
    return True


def _apply_watch(
    ctx: GateContext, s: Session, _state: SyncState, _cursor: int, data: dict[str, Any]
) -> bool:
    watch = s.get(WatchEntry, data["id"])
    if watch is None:
        watch = WatchEntry(id=data["id"], reason=data.get("reason", ""), since=ctx.now())
    watch.id_number = data.get("id_number")
    watch.plate_key = data.get("plate_key")
    watch.reason = data.get("reason", watch.reason)
    watch.active = bool(data.get("active", True))
    s.add(watch)
    return True


def _apply_roster_event(
    ctx: GateContext, s: Session, _state: SyncState, cursor: int, data: dict[str, Any]
) -> bool:
    try:
        added = store_remote_events(ctx, s, [data])
    except ValidationError as exc:  # checked before anything was stored
        return _skip("roster.event", cursor, f"{exc.code} {exc.params}")
    return added > 0  # False for an event held already (this terminal's own, come back)


def _apply_checklist(
    ctx: GateContext, s: Session, state: SyncState, cursor: int, data: dict[str, Any]
) -> bool:
    try:
        item = RefChecklistPayload.model_validate(data)
        if item.items is not None:
            checklist_from_config(item.items)
    except (PydanticError, ValidationError) as exc:
        return _skip("site.checklist", cursor, exc)
    if state.site_code is not None and item.site != state.site_code:
        return _skip("site.checklist", cursor, f"for site {item.site}, not {state.site_code}")
    row = s.get(SiteSetting, CHECKLIST_SETTING)
    if item.items is None:  # HQ withdrew its checklist: the site file's applies again
        if row is not None:
            s.delete(row)
        return True
    value = canonical_json(item.items).decode("utf-8")
    if row is None:
        row = SiteSetting(key=CHECKLIST_SETTING, value=value, cursor=cursor, updated_at=ctx.now())
    row.value, row.cursor, row.updated_at = value, cursor, ctx.now()
    s.add(row)
    return True


def _apply_pass_key(
    ctx: GateContext, s: Session, _state: SyncState, cursor: int, data: dict[str, Any]
) -> bool:
    try:
        item = RefPassKeyPayload.model_validate(data)
        public = tokens.public_key_from_text(item.public_key)
    except (PydanticError, ValidationError) as exc:
        return _skip("passkey.set", cursor, exc)
    if tokens.key_id_for(public) != item.key_id:
        return _skip("passkey.set", cursor, f"key id {item.key_id} is not the key's")
    now = ctx.now()
    key = s.get(PassKey, item.key_id)
    if key is None:
        key = PassKey(
            key_id=item.key_id,
            public_key=tokens.public_key_to_text(public),
            origin="hq",
            label=item.label,
            created_at=now,
        )
    elif key.origin == "hq":
        key.label = item.label
    # Revoked is for good: HQ never un-revokes a key (a revoked key may be compromised),
    # and a key this site revoked itself stays revoked whatever HQ last said. The site's
    # own key pair (origin "site") is never changed but by a revocation.
    if item.revoked and not key.revoked:
        key.revoked = True
        key.revoked_at = item.revoked_at or now
    s.add(key)
    return True


def _apply_pass_revoked(
    ctx: GateContext, s: Session, _state: SyncState, cursor: int, data: dict[str, Any]
) -> bool:
    try:
        item = RefPassRevokedPayload.model_validate(data)
    except PydanticError as exc:
        return _skip("pass.revoked", cursor, exc)
    if s.get(PassRevocation, item.pass_sha256) is None:  # the first revocation stands
        s.add(
            PassRevocation(
                pass_sha256=item.pass_sha256,
                reason=item.reason,
                origin=item.origin,
                revoked_at=item.revoked_at,
            )
        )
    return True


HANDLERS: dict[str, Handler] = {
    "person.upsert": _apply_person,
    "vehicle.upsert": _apply_vehicle,
    "watch.set": _apply_watch,
    "roster.event": _apply_roster_event,
    "site.checklist": _apply_checklist,
    "passkey.set": _apply_pass_key,
    "pass.revoked": _apply_pass_revoked,
}
