"""Enrollment: a one-time code from HQ exchanged for this device's credentials."""

from __future__ import annotations

import httpx

from sync import protocol
from sync.link import problem_of


class EnrollmentError(Exception):
    """HQ refused the enrollment code, or could not be reached."""


def enroll(
    base_url: str, code: str, device_id: str, name: str = "", http: httpx.Client | None = None
) -> protocol.EnrollResponse:
    """Exchange a one-time enrollment code for this device's credentials."""
    client = http or httpx.Client(timeout=30.0)
    request = protocol.EnrollRequest(code=code.strip(), device=device_id, name=name)
    try:
        response = client.post(
            base_url.rstrip("/") + protocol.API_PREFIX + "/enroll",
            content=request.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise EnrollmentError(f"HQ unreachable: {exc}") from exc
    if response.status_code != 200:
        problem = problem_of(response)
        raise EnrollmentError(problem.message if problem else f"HQ answered {response.status_code}")
    try:
        return protocol.EnrollResponse.model_validate_json(response.content)
    except ValueError as exc:
        raise EnrollmentError(f"unreadable answer from HQ: {exc}") from exc
