"""Dependencies shared by the routes: the database, the settings, the calling device."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from sync import protocol
from sync.hq import crud
from sync.hq.core.config import HQSettings
from sync.hq.db import HQDatabase
from sync.hq.errors import STATUS_OF, Refusal
from sync.hq.models import HQDevice
from sync.protocol import Problem


def get_db(request: Request) -> HQDatabase:
    db = request.app.state.db
    assert isinstance(db, HQDatabase)
    return db


def get_settings(request: Request) -> HQSettings:
    settings = request.app.state.settings
    assert isinstance(settings, HQSettings)
    return settings


auth_header = APIKeyHeader(
    name="Authorization",
    scheme_name="GateUIDevice",
    description="`GateUI <device>:<token>`, the token HQ returned at enrollment"
    " (or `Bearer <admin token>` for GET /status).",
    auto_error=False,
)

DbDep = Annotated[HQDatabase, Depends(get_db)]
SettingsDep = Annotated[HQSettings, Depends(get_settings)]
AuthorizationDep = Annotated[str | None, Security(auth_header)]


def current_device(db: DbDep, authorization: AuthorizationDep) -> HQDevice:
    return crud.authenticate(db, authorization)


CurrentDevice = Annotated[HQDevice, Depends(current_device)]


def problem_responses(*codes: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the Problem answers a route can give."""
    by_status: dict[int, list[str]] = {}
    for code in codes:
        by_status.setdefault(STATUS_OF[code], []).append(code)
    return {
        status: {"model": Problem, "description": "Problem: " + ", ".join(names)}
        for status, names in sorted(by_status.items())
    }


def zstd_response(body: bytes, media_type: str) -> Response:
    """A body compressed with zstd, labelled so that HTTP clients decode it transparently."""
    return Response(
        protocol.compress(body), media_type=media_type, headers={"Content-Encoding": "zstd"}
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The raw request body, refused as too_large as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refusal("too_large", f"body larger than {limit} bytes")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise Refusal("too_large", f"body larger than {limit} bytes")
    except ClientDisconnect as exc:
        # The link dropped mid-upload: nothing to store, nobody to answer, nothing wrong at HQ
        # (not an internal error with a traceback in the log).
        raise Refusal("bad_request", "the client went away before sending the whole body") from exc
    return bytes(body)
