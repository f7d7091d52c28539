"""Purged change-log payloads and HQ: the chain verifies on both ends, and a resend after HQ
restored a backup carries the digest (and the purged payload), never the personal data.

A real gate database, a real HQ server process (tests/support/hq_server.py) and the real
sync client; HQ's restore is simulated as a restored backup looks: the rows after the
backup's point are gone and the device row says "complete through" that point.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from gateui.domain.change_chain import canonical_json, make_chain, payload_digest
from gateui.services import chain_check, privacy, sync_io
from sync import protocol
from sync.hq import admin
from tests.conftest import GateFixture
from tests.support.hq_server import HQ
from tests.support.terminal import client_for, device_log, enroll_gate, hq_log, write_entries


def restore_hq_backup(hq: HQ, device: str, through: int) -> None:
    """What HQ looks like after restoring a backup taken when it held `device` through
    `through`: later changes and their projections are gone."""
    last_hash = hq.scalar(
        "SELECT hash FROM hq_change WHERE device_id = :d AND seq = :s", d=device, s=through
    )
    for table in ("hq_change", "hq_entry", "hq_correction", "hq_daily_report"):
        hq.execute(f"DELETE FROM {table} WHERE device_id = :d AND seq > :s", d=device, s=through)
    hq.execute(
        "UPDATE hq_device SET acked_seq = :s, last_hash = :h WHERE id = :d",
        s=through,
        h=last_hash,
        d=device,
    )


def device_problems(hq: HQ, device: str) -> list[str]:
    return [p for p in admin.verify_all(hq.settings) if f"device {device}:" in p]


def purged_seqs(gate: GateFixture) -> list[int]:
    with gate.ctx.db.read() as s:
        rows = s.execute(
            text("SELECT seq FROM change_log WHERE purged ORDER BY seq"),
        ).all()
    return [int(r[0]) for r in rows]


def test_purge_after_ack_then_hq_restore_resends_digests_and_hq_verifies(
    hq: HQ, gate: GateFixture
) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token)
    assert client.run_round().ok
    backup_point = sync_io.sync_status(ctx).last_seq  # HQ's backup: people and users only
    write_entries(gate, 6, random.Random(5))
    assert client.run_round().ok and sync_io.sync_status(ctx).pending == 0

    gate.clock.advance(40 * 86400)
    result = privacy.purge(ctx, 30)
    assert result.purged == 6 and result.payloads == 6
    purged = purged_seqs(gate)
    assert len(purged) == 6
    assert chain_check.verify_local_chain(ctx) is None
    assert client.run_round().ok  # the "privacy.purged" change reaches HQ
    assert device_problems(hq, ctx.device_id) == []

    restore_hq_backup(hq, ctx.device_id, backup_point)
    # The device learns of HQ's loss with its next batch: HQ answers `gap`, the device
    # rewinds and resends everything after the backup's point.
    write_entries(gate, 1, random.Random(6))
    resent = client.run_round()
    assert resent.ok, resent.error
    last = sync_io.sync_status(ctx).last_seq
    assert resent.acked_seq == last and resent.pending == 0
    assert device_problems(hq, ctx.device_id) == []
    (status,) = [d for d in admin.list_devices(hq.settings) if d.device == ctx.device_id]
    assert status.complete_through == last and status.conflicts == 0

    # HQ holds the purged changes by digest, with the purged payload; nothing personal.
    held = {seq: (kind, payload, h) for seq, kind, payload, h in hq_log(hq.engine, ctx.device_id)}
    numbers = set(gate.id_numbers.values())
    for seq, kind, payload, link_hash in device_log(ctx):
        stored_kind, stored, stored_hash = held[seq]
        assert (stored_kind, stored_hash) == (kind, link_hash)
        if seq in purged:
            split = protocol.split_purged(stored)
            assert split is not None and split[1] == payload
            assert not any(n.encode() in stored for n in numbers)
        elif seq > backup_point:
            assert stored == payload
    entries = hq.scalar(
        "SELECT count(*) FROM hq_entry WHERE device_id = :d AND seq > :s",
        d=ctx.device_id,
        s=backup_point,
    )
    assert entries == 7  # the purged passages still count at HQ, and the new one
    with hq.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, id_number FROM hq_entry WHERE device_id = :d"), {"d": ctx.device_id}
        ).all()
    masked = [n for seq, n in rows if seq in purged]
    assert len(masked) == 6 and all(n.startswith("**************") for n in masked)


def test_a_rewind_over_purged_changes_hq_still_holds_is_a_no_op(hq: HQ, gate: GateFixture) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token)
    write_entries(gate, 3, random.Random(9))
    assert client.run_round().ok
    gate.clock.advance(10 * 86400)
    assert privacy.purge(ctx, 7).payloads == 3
    assert client.run_round().ok
    before = hq_log(hq.engine, ctx.device_id)
    # The device believes HQ holds less (as after a lost acknowledgement chain): it resends
    # its purged changes by digest; HQ holds them in full and hashes them alike.
    sync_io.rewind_acknowledged(ctx, 1, "test")
    again = client.run_round()
    assert again.ok and again.acked_seq == sync_io.sync_status(ctx).last_seq
    assert hq_log(hq.engine, ctx.device_id) == before
    assert device_problems(hq, ctx.device_id) == []


def test_hq_refuses_a_purged_change_whose_digest_does_not_chain(hq: HQ) -> None:
    token = hq.enroll("purge-bad")
    payloads = [canonical_json({"n": n}) for n in range(3)]
    links = make_chain("purge-bad", [("entry.note", p) for p in payloads])
    header = protocol.PushHeader(
        device="purge-bad",
        first_seq=1,
        count=3,
        prev_hash=links[0].prev_hash,
        last_hash=links[-1].hash,
        pending=0,
        device_time=datetime.now(UTC),
    )
    good = payload_digest(payloads[1]).hex()
    wrong = payload_digest(b"something else").hex()
    for digest, status in ((wrong, 422), (good, 200)):
        wire = [
            protocol.WireChange(kind="entry.note", payload=payloads[0]),
            protocol.WireChange(kind="entry.note", payload=b'{"n":"gone"}', digest=digest),
            protocol.WireChange(kind="entry.note", payload=payloads[2]),
        ]
        body = protocol.compress(protocol.encode_push(header, wire))
        response = hq.post_push(body, protocol.auth_header("purge-bad", token))
        assert response.status_code == status, response.text
    assert [seq for seq, *_ in hq_log(hq.engine, "purge-bad")] == [1, 2, 3]
    assert device_problems(hq, "purge-bad") == []


# --- the wire form, without HQ -----------------------------------------------------------------


def _header(count: int) -> protocol.PushHeader:
    return protocol.PushHeader(
        device="D1",
        first_seq=1,
        count=count,
        prev_hash="0" * 64,
        last_hash="1" * 64,
        pending=0,
        device_time="2026-11-20T01:30:00Z",
    )


def test_purged_lines_round_trip_and_plain_lines_are_unchanged() -> None:
    digest = payload_digest(b'{"a":1}').hex()
    changes = [
        protocol.WireChange(kind="entry.recorded", payload=b'{"answers":"{}"}', digest=digest),
        protocol.WireChange(kind="login", payload=b'{"ok":true}'),
        protocol.WireChange(kind="entry.recorded", payload=b"", digest=digest),
    ]
    body = protocol.encode_push(_header(3), changes)
    lines = body.split(b"\n")[1:]
    assert lines[0] == b"entry.recorded\t#" + digest.encode() + b'\t{"answers":"{}"}'
    assert lines[1] == b'login\t{"ok":true}'  # what a v1 reader has always read
    assert lines[2] == b"entry.recorded\t#" + digest.encode()
    assert protocol.decode_push(body)[1] == changes


@pytest.mark.parametrize(
    "field",
    [b"#abc", b"#" + b"G" * 64, b"#" + b"a" * 64 + b"\t", b"#" + b"A" * 64 + b"\t{}"],
)
def test_malformed_purged_lines_are_bad_requests(field: bytes) -> None:
    body = _header(1).model_dump_json().encode() + b"\nentry.recorded\t" + field
    with pytest.raises(protocol.ProtocolError) as info:
        protocol.decode_push(body)
    assert info.value.code == "bad_request"


def test_a_plain_payload_cannot_pose_as_a_purged_one() -> None:
    with pytest.raises(ValueError):
        protocol.encode_push(_header(1), [protocol.WireChange(kind="k", payload=b"#" + b"a" * 64)])
    assert json.loads(canonical_json({"#": 1}))  # canonical JSON itself never starts with '#'
