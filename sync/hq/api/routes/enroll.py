"""POST /enroll: a one-time code for a device token."""

from __future__ import annotations

from fastapi import APIRouter

from sync.hq import crud
from sync.hq.api.deps import DbDep, problem_responses
from sync.protocol import EnrollRequest, EnrollResponse

router = APIRouter(tags=["enrollment"])


@router.post(
    "/enroll",
    response_model=EnrollResponse,
    responses=problem_responses("bad_request", "bad_enrollment", "revoked", "conflict"),
    summary="Exchange a one-time enrollment code for device credentials",
)
def enroll(body: EnrollRequest, db: DbDep) -> EnrollResponse:
    """Spend the code (one use, before it expires) and return a new random token for the
    device. Re-enrolling a known device needs a new code and replaces its token; HQ keeps
    only the token's SHA-256. `acked_seq` says how far HQ holds the device's stream."""
    return crud.enroll(db, body)
