"""GET /pull: a page of HQ-owned reference data after the device's cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from sync import protocol
from sync.hq import crud
from sync.hq.api.deps import CurrentDevice, DbDep, SettingsDep, problem_responses, zstd_response
from sync.hq.ingest import MAX_SEQ

router = APIRouter(tags=["sync"])


@router.get(
    "/pull",
    response_class=Response,
    responses={
        200: {
            "description": "protocol.encode_pull, zstd-encoded: line 0 the JSON PullHeader"
            " (next_cursor, more), then `<cursor> TAB <kind> TAB <payload>` lines.",
            "content": {protocol.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses("bad_request", "unauthorized", "revoked"),
    },
    summary="Reference data for the device's site, after a cursor",
)
def pull(
    device: CurrentDevice,
    db: DbDep,
    settings: SettingsDep,
    cursor: Annotated[int, Query(ge=0, le=MAX_SEQ, description="last cursor applied")] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000, description="most items to return")] = 500,
) -> Response:
    """Items published for the device's site and for all sites, in cursor order. Apply the
    page in one transaction, store `next_cursor`, and ask again while `more` is true."""
    header, items = crud.pull_page(
        db, device.site_code, cursor, min(limit, settings.pull_page_limit)
    )
    return zstd_response(protocol.encode_pull(header, items), protocol.CONTENT_TYPE)
