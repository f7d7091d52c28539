"""POST /push against a real HQ: acknowledgement, idempotency, gaps, conflicts, tampering."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from gateui.domain.change_chain import GENESIS_HASH, ChainLink
from sync.hq import admin
from sync.hq.models import DeviceStatus
from tests.hq.conftest import HQ, ack, chain, problem


def _status(hq: HQ, device: str) -> DeviceStatus:
    (status,) = [d for d in admin.list_devices(hq.settings) if d.device == device]
    return status


def _stored(hq: HQ, device: str) -> list[tuple[int, bytes]]:
    with hq.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT seq, payload FROM hq_change WHERE device_id = %s ORDER BY seq"
            if hq.engine.dialect.name == "postgresql"
            else "SELECT seq, payload FROM hq_change WHERE device_id = ? ORDER BY seq",
            (device,),
        ).all()
    return [(int(seq), bytes(payload)) for seq, payload in rows]


def test_enrolled_device_pushes_a_chain_and_hq_is_complete_through_it(hq: HQ) -> None:
    token = hq.enroll("push1")
    links = chain("push1", 7)
    response = hq.push("push1", token, links)
    result = ack(response)
    assert response.headers["content-encoding"] == "zstd"
    assert (result.device, result.acked_seq, result.stored) == ("push1", 7, 7)
    assert _stored(hq, "push1") == [(link.seq, link.payload) for link in links]
    # entries are projected in the same transaction; the login (seq 5) is stored raw only
    assert hq.scalar("SELECT count(*) FROM hq_entry WHERE device_id = 'push1'") == 6
    assert hq.scalar("SELECT name FROM hq_entry WHERE id = 'push1-3'") == "张露"
    status = _status(hq, "push1")
    assert status.complete_through == 7 and status.pending_reported == 3
    assert status.site == "MINE1" and status.last_seen_at is not None
    # the next batch continues the chain from HQ's last hash
    more = chain("push1", 3, start=8, prev=links[-1].hash)
    assert ack(hq.push("push1", token, more)).acked_seq == 10


def test_exact_replay_is_a_no_op_with_the_same_ack(hq: HQ) -> None:
    token = hq.enroll("replay1")
    links = chain("replay1", 5)
    first = ack(hq.push("replay1", token, links))
    again = ack(hq.push("replay1", token, links))  # the ack was lost; the device resends
    assert (first.acked_seq, first.stored) == (5, 5)
    assert (again.acked_seq, again.stored) == (5, 0)
    # a batch overlapping what HQ holds stores only the new part
    longer = chain("replay1", 8)
    overlap = ack(hq.push("replay1", token, longer[2:]))
    assert (overlap.acked_seq, overlap.stored) == (8, 3)
    assert [seq for seq, _ in _stored(hq, "replay1")] == list(range(1, 9))


def test_a_batch_after_a_gap_is_refused_with_the_expected_sequence(hq: HQ) -> None:
    token = hq.enroll("gap1")
    links = chain("gap1", 6)
    ack(hq.push("gap1", token, links[:2]))
    response = hq.push("gap1", token, links[3:])  # seq 3 never arrived
    assert response.status_code == 409
    refused = problem(response)
    assert (refused.error, refused.expected_seq, refused.acked_seq) == ("gap", 3, 2)
    assert [seq for seq, _ in _stored(hq, "gap1")] == [1, 2]
    assert _status(hq, "gap1").last_problem is not None
    # sending what HQ expects heals the stream
    assert ack(hq.push("gap1", token, links[2:])).acked_seq == 6
    assert _status(hq, "gap1").last_problem is None


def test_same_sequence_with_different_content_is_a_conflict_and_stores_nothing(hq: HQ) -> None:
    token = hq.enroll("conf1")
    original = chain("conf1", 4)
    ack(hq.push("conf1", token, original))
    other = chain("conf1", 6, tag="李娜")  # another history for the same sequences
    response = hq.push("conf1", token, other)
    assert response.status_code == 409
    refused = problem(response)
    assert refused.error == "conflict" and refused.acked_seq == 4
    assert _stored(hq, "conf1") == [(link.seq, link.payload) for link in original]
    status = _status(hq, "conf1")
    assert status.complete_through == 4 and status.conflicts == 1
    problems = [p for p in admin.verify_all(hq.settings) if p.startswith("device conf1:")]
    assert len(problems) == 1 and "conflict at sequence 1" in problems[0]


def test_tampered_batch_is_a_chain_mismatch_and_stores_nothing(hq: HQ) -> None:
    token = hq.enroll("tamper1")
    links = chain("tamper1", 4)
    payloads = [link.payload for link in links]
    payloads[2] = payloads[2].replace("张露".encode(), "王五".encode())
    response = hq.push("tamper1", token, links, payloads=payloads)
    assert response.status_code == 422 and problem(response).error == "chain_mismatch"
    assert _stored(hq, "tamper1") == []
    assert hq.scalar("SELECT count(*) FROM hq_entry WHERE device_id = 'tamper1'") == 0
    # a batch that does not continue HQ's chain is refused the same way
    ack(hq.push("tamper1", token, links[:2]))
    forged = chain("tamper1", 2, start=3, prev="a" * 64)
    response = hq.push("tamper1", token, forged)
    assert response.status_code == 422 and problem(response).error == "chain_mismatch"
    assert _status(hq, "tamper1").complete_through == 2


def test_concurrent_pushes_of_one_device_store_each_change_once(hq: HQ) -> None:
    token = hq.enroll("race1")
    links = chain("race1", 40)
    results: list[int] = []

    def send() -> None:
        results.append(ack(hq.push("race1", token, links)).stored)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 40]
    assert len(_stored(hq, "race1")) == 40


def test_hq_records_the_device_clock_skew(hq: HQ) -> None:
    token = hq.enroll("skew1")
    two_days_slow = datetime.now(UTC) - timedelta(days=2)
    ack(hq.push("skew1", token, chain("skew1", 2), device_time=two_days_slow))
    skew = _status(hq, "skew1").clock_skew_seconds
    assert skew is not None and abs(skew - 2 * 86400) < 60


def test_bundle_import_follows_the_push_rules(hq: HQ) -> None:
    from sync import protocol
    from sync.hq.errors import Refusal

    token = hq.enroll("bundle1")
    links = chain("bundle1", 6)

    def body(part: list[ChainLink], prev: str) -> bytes:
        header = protocol.PushHeader(
            device="bundle1",
            first_seq=part[0].seq,
            count=len(part),
            prev_hash=prev,
            last_hash=part[-1].hash,
            pending=0,
            device_time=datetime.now(UTC),
        )
        wire = [protocol.WireChange(kind=x.kind, payload=x.payload) for x in part]
        return protocol.encode_push(header, wire)

    bundle = protocol.sign_bundle(
        "bundle1", token, [body(links[:3], GENESIS_HASH), body(links[3:], links[2].hash)]
    )
    acks = admin.import_bundle(hq.settings, bundle)
    assert [a.acked_seq for a in acks] == [3, 6] and [a.stored for a in acks] == [3, 3]
    assert [a.stored for a in admin.import_bundle(hq.settings, bundle)] == [0, 0]  # idempotent
    forged = protocol.sign_bundle("bundle1", "not-the-token", [body(links[:3], GENESIS_HASH)])
    try:
        admin.import_bundle(hq.settings, forged)
    except Refusal as exc:
        assert exc.code == "unauthorized"
    else:
        raise AssertionError("a bundle with a bad signature was imported")
    assert _status(hq, "bundle1").complete_through == 6
