"""GET /status and GET /healthz."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from sync import protocol
from sync.hq import crud
from sync.hq.api.deps import AuthorizationDep, DbDep, SettingsDep, problem_responses
from sync.hq.models import DeviceStatus

router = APIRouter(tags=["status"])


@router.get(
    "/status",
    response_model=list[DeviceStatus],
    responses=problem_responses("unauthorized", "revoked"),
    summary="How complete each device's stream is",
)
def status(db: DbDep, settings: SettingsDep, authorization: AuthorizationDep) -> list[DeviceStatus]:
    """Per device: complete through N, last seen, pending reported, clock skew, revoked.
    A device sees its own line; `Bearer <admin token>` sees every device."""
    if crud.is_admin(settings.admin_token, authorization):
        return crud.device_statuses(db)
    device = crud.authenticate(db, authorization)
    return crud.device_statuses(db, device.id)


@router.get(
    "/healthz",
    responses={503: {"model": protocol.Problem, "description": "Problem: unavailable"}},
    summary="Liveness and database reachability",
)
def healthz(db: DbDep) -> dict[str, Any]:
    crud.ping(db)
    return {"status": "ok", "protocol": protocol.PROTOCOL_VERSION}
