"""`hq verify`: every stored chain re-checked from genesis, and contiguity 1..N."""

from __future__ import annotations

from sync.hq import admin
from tests.hq.conftest import HQ, ack, chain


def _problems(hq: HQ, device: str) -> list[str]:
    return [p for p in admin.verify_all(hq.settings) if p.startswith(f"device {device}:")]


def test_verify_proves_pushed_streams_and_finds_a_corrupted_row(hq: HQ) -> None:
    token = hq.enroll("verify1")
    links = chain("verify1", 12)
    ack(hq.push("verify1", token, links[:5]))
    ack(hq.push("verify1", token, links[5:]))
    assert _problems(hq, "verify1") == []
    hq.execute(
        "UPDATE hq_change SET payload = :p WHERE device_id = 'verify1' AND seq = 7",
        p=b'{"forged":true}',
    )
    (problem,) = _problems(hq, "verify1")
    assert "wrong_hash at sequence 7" in problem


def test_verify_finds_a_missing_change(hq: HQ) -> None:
    token = hq.enroll("verify2")
    ack(hq.push("verify2", token, chain("verify2", 6)))
    hq.execute("DELETE FROM hq_entry WHERE device_id = 'verify2' AND seq = 6")
    hq.execute("DELETE FROM hq_change WHERE device_id = 'verify2' AND seq = 6")
    (problem,) = _problems(hq, "verify2")
    assert "holds 5 changes but is complete through 6" in problem
    hq.execute("DELETE FROM hq_entry WHERE device_id = 'verify2' AND seq = 3")
    hq.execute("DELETE FROM hq_change WHERE device_id = 'verify2' AND seq = 3")
    (problem,) = _problems(hq, "verify2")
    assert "gap at sequence 4" in problem
