"""POST /push: a batch of one device's change log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from sync import protocol
from sync.hq.api.deps import (
    CurrentDevice,
    DbDep,
    SettingsDep,
    problem_responses,
    read_body,
    zstd_response,
)
from sync.hq.ingest import apply_push, read_push_body
from sync.protocol import PushAck

router = APIRouter(tags=["sync"])

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "protocol.encode_push, compressed with zstd (`Content-Encoding: zstd`):"
        " line 0 the JSON PushHeader, then one `<kind> TAB <canonical JSON payload>` line per"
        " change, in sequence order.",
        "content": {protocol.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    },
    "parameters": [
        {
            "name": "Content-Encoding",
            "in": "header",
            "required": False,
            "description": "zstd (the protocol's), gzip, or identity for an uncompressed body",
            "schema": {"type": "string", "enum": ["zstd", "gzip", "identity"]},
        }
    ],
}


@router.post(
    "/push",
    response_model=PushAck,
    responses=problem_responses(
        "bad_request",
        "bad_encoding",
        "version",
        "unauthorized",
        "revoked",
        "wrong_device",
        "gap",
        "conflict",
        "too_large",
        "chain_mismatch",
    ),
    openapi_extra=_BODY,
    summary="Store a batch of the device's change log",
)
async def push(
    request: Request, device: CurrentDevice, db: DbDep, settings: SettingsDep
) -> Response:
    """Stored idempotently by (device, sequence): an exact replay is a no-op with the same
    acknowledgement. The answer (zstd-encoded JSON) is the highest *contiguous* sequence
    HQ holds for the device and how many changes this request stored."""
    raw = await read_body(request, settings.max_body_bytes)
    encoding = request.headers.get("content-encoding")
    header, changes = await run_in_threadpool(
        read_push_body, raw, encoding, settings.max_body_bytes
    )
    ack = await run_in_threadpool(lambda: apply_push(db, header, changes, authenticated=device.id))
    return zstd_response(ack.model_dump_json().encode(), "application/json")
