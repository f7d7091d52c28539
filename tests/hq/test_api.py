"""The HTTP surface: the OpenAPI document, and bad input answered as 4xx Problems."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import zstandard

from gateui.domain.change_chain import GENESIS_HASH
from sync import protocol
from tests.hq.conftest import HQ, chain, problem


def test_openapi_document_describes_the_routes(hq: HQ) -> None:
    response = hq.http.get(hq.base_url + "/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    paths = doc["paths"]
    assert {p: sorted(paths[p]) for p in paths} == {
        "/api/v1/enroll": ["post"],
        "/api/v1/push": ["post"],
        "/api/v1/pull": ["get"],
        "/api/v1/status": ["get"],
        "/api/v1/healthz": ["get"],
        "/api/v1/reports": ["get"],
    }
    push = paths["/api/v1/push"]["post"]
    assert protocol.CONTENT_TYPE in push["requestBody"]["content"]
    assert {"200", "400", "401", "403", "409", "413", "422"} <= set(push["responses"])
    assert "PushAck" in json.dumps(push["responses"]["200"])
    enroll = paths["/api/v1/enroll"]["post"]
    assert "EnrollRequest" in json.dumps(enroll["requestBody"])
    assert "422" not in enroll["responses"]  # validation errors are 400 Problems here
    assert "HTTPValidationError" not in json.dumps(doc)
    assert {"Problem", "PushAck", "EnrollResponse", "DeviceStatus"} <= set(
        doc["components"]["schemas"]
    )
    assert doc["components"]["securitySchemes"]["GateUIDevice"]["in"] == "header"


def _header(device: str, **changes: object) -> bytes:
    fields: dict[str, object] = {
        "device": device,
        "first_seq": 1,
        "count": 1,
        "prev_hash": GENESIS_HASH,
        "last_hash": "1" * 64,
        "pending": 0,
        "device_time": datetime.now(UTC).isoformat(),
        **changes,
    }
    return json.dumps(fields).encode()


@pytest.fixture(scope="module")
def bad_device(hq: HQ) -> tuple[str, str]:
    return "badin1", hq.enroll("badin1")


BAD_BODIES: list[tuple[str, bytes, bool, int, str]] = [
    # (what, body, compress it, status, error)
    ("empty", b"", False, 400, "bad_encoding"),
    ("not zstd", b"hello", False, 400, "bad_encoding"),
    ("zstd garbage", b"\x00\xff" * 50, True, 400, "bad_request"),
    ("header only", _header("badin1"), True, 400, "bad_request"),
    ("count mismatch", _header("badin1", count=2) + b"\nlogin\t{}", True, 400, "bad_request"),
    ("future version", _header("badin1", v=2) + b"\nlogin\t{}", True, 400, "version"),
    ("no tab", _header("badin1") + b"\nlogin{}", True, 400, "bad_request"),
    ("bad kind", _header("badin1") + b"\nlo\x00gin\t{}", True, 400, "bad_request"),
    ("huge seq", _header("badin1", first_seq=2**63) + b"\nlogin\t{}", True, 400, "bad_request"),
    (
        "naive time",
        _header("badin1", device_time="2026-01-01T00:00:00") + b"\nx\t{}",
        True,
        400,  # a time without its zone is refused before the chain is looked at
        "bad_request",
    ),
    ("gzip bomb", b"", False, 413, "too_large"),
]


@pytest.mark.parametrize(("what", "body", "pack", "status", "error"), BAD_BODIES)
def test_malformed_push_bodies_are_refused_with_a_problem(
    hq: HQ,
    bad_device: tuple[str, str],
    what: str,
    body: bytes,
    pack: bool,
    status: int,
    error: str,
) -> None:
    device, token = bad_device
    if what == "gzip bomb":
        body = zstandard.ZstdCompressor().compress(b"\x00" * (64 * 1024 * 1024))
    response = hq.post_push(
        protocol.compress(body) if pack else body, protocol.auth_header(device, token)
    )
    assert (response.status_code, problem(response).error) == (status, error), what
    assert hq.scalar("SELECT count(*) FROM hq_change WHERE device_id = 'badin1'") == 0


def test_odd_payloads_are_stored_raw_and_never_crash_the_projection(hq: HQ) -> None:
    token = hq.enroll("odd1")
    from gateui.domain.change_chain import make_chain

    weird = [
        ("entry.recorded", b'{"id":"x"}'),  # a known kind missing fields
        ("entry.recorded", b'{"id":"x\\u0000","checkpoint_code":"N1"}'),
        ("entry.voided", b"\xff\xfe not json"),
        ("future.kind", b'{"anything":"\\ud800"}'),
    ]
    links = make_chain("odd1", weird)
    response = hq.push("odd1", token, links)
    assert response.status_code == 200, response.text
    assert protocol.PushAck.model_validate_json(response.content).acked_seq == 4
    assert hq.scalar("SELECT count(*) FROM hq_change WHERE device_id = 'odd1'") == 4
    errors = hq.scalar(
        "SELECT count(*) FROM hq_change WHERE device_id = 'odd1' AND projection_error IS NOT NULL"
    )
    assert errors == 3  # the unknown kind is not projected, so it has no projection error
    assert hq.scalar("SELECT count(*) FROM hq_entry WHERE device_id = 'odd1'") == 0


def test_oversized_and_wrongly_encoded_requests(hq: HQ, bad_device: tuple[str, str]) -> None:
    device, token = bad_device
    links = chain(device, 1)
    big = hq.http.post(
        hq.url("/push"),
        content=b"x" * (9 * 1024 * 1024),
        headers={**protocol.auth_header(device, token), "Content-Encoding": "zstd"},
    )
    assert big.status_code == 413 and problem(big).error == "too_large"
    brotli = hq.http.post(
        hq.url("/push"),
        content=b"abc",
        headers={**protocol.auth_header(device, token), "Content-Encoding": "br"},
    )
    assert brotli.status_code == 400 and problem(brotli).error == "bad_encoding"
    assert hq.push(device, token, links).status_code == 200  # the device still works


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'{"code": "ABCD"}',
        b'{"code": "ABCD", "device": "x", "extra": 1}',
        b'{"code": "ABCDEFGH", "device": "has space"}',
        b'{"code": "ABCDEFGH", "device": "a:b"}',
    ],
)
def test_bad_enrollment_requests_are_400_problems(hq: HQ, body: bytes) -> None:
    response = hq.http.post(
        hq.url("/enroll"), content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert problem(response).error in ("bad_request", "bad_enrollment")


def test_unknown_routes_and_methods_are_problems_too(hq: HQ) -> None:
    missing = hq.http.get(hq.base_url + "/api/v1/nothing")
    assert missing.status_code == 404 and problem(missing).error == "not_found"
    wrong = hq.http.get(hq.url("/push"))
    assert wrong.status_code == 405 and problem(wrong).error == "method_not_allowed"
    health = hq.http.get(hq.url("/healthz"))
    assert health.json() == {"status": "ok", "protocol": protocol.PROTOCOL_VERSION}
