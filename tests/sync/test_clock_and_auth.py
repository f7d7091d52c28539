"""A wrong device clock, refused credentials and batches, and sneakernet bundles, from a real
terminal through sync.client to a real HQ process (SQLite, and PostgreSQL when set).

- A device clock two days off changes neither the order by sequence nor the roster's HLC
  order; HQ records the skew and shows it in `list_devices`.
- No credentials, another device's stream, a revoked device, an old batch replayed, a
  tampered batch: refused with a clear error, nothing stored changes, and the terminal keeps
  every record it saved, still pending, still syncable (DESIGN invariant 6).
- A bundle from build_bundle, imported with import_bundle, leaves HQ in the same state as
  pushing; importing it twice changes nothing; a tampered bundle is refused.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from gateui.domain.change_chain import chain_hash
from gateui.domain.hlc import HLC
from gateui.services import roster, sync_io
from gateui.services.context import GateContext
from gateui.services.roster import Lock, Unlock
from sync import protocol
from sync.client import EnrollmentError, SyncClient, build_bundle, enroll
from sync.hq import admin, crud
from sync.hq.core.config import HQSettings
from sync.hq.db import open_database
from sync.hq.errors import Refusal
from tests.conftest import GateFixture
from tests.support.fault_proxy import Fault, FaultProxy, Scripted
from tests.support.hq_server import HQ
from tests.support.terminal import (
    assert_hq_holds_exactly,
    client_for,
    device_log,
    enroll_gate,
    hq_log,
    write_entries,
)

TWO_DAYS = 2 * 24 * 3600


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Everything HQ stores of the streams (not its bookkeeping of who called when), with
    timestamps as aware UTC whatever the database."""
    queries = {  # name -> (SQL, indexes of timestamp columns)
        "changes": (
            "SELECT device_id, seq, kind, payload, hash FROM hq_change ORDER BY device_id, seq",
            (),
        ),
        "entries": (
            "SELECT device_id, seq, id, person_id, direction, outcome, at FROM hq_entry"
            " ORDER BY device_id, seq",
            (6,),
        ),
        "devices": ("SELECT id, acked_seq, last_hash, revoked_at FROM hq_device ORDER BY id", (3,)),
    }
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, (sql, stamps) in queries.items():
            out[name] = [
                tuple(_plain(v, i in stamps) for i, v in enumerate(row))
                for row in conn.execute(text(sql)).all()
            ]
    return out


def _plain(value: Any, timestamp: bool) -> Any:
    if value is None:
        return None
    if timestamp:
        return as_utc(value)
    return bytes(value) if isinstance(value, memoryview) else value


def as_utc(value: Any) -> datetime:
    """A timestamp read with raw SQL: naive UTC (PostgreSQL) or ISO text (SQLite)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def next_batch(
    ctx: GateContext, count: int
) -> tuple[protocol.PushHeader, list[protocol.WireChange]]:
    """The device's next batch exactly as its client would build it (not yet sent)."""
    prev_hash, pending = sync_io.pending_changes(ctx, 10**6, count)
    assert pending, "nothing pending"
    header = protocol.PushHeader(
        device=ctx.device_id,
        first_seq=pending[0].seq,
        count=len(pending),
        prev_hash=prev_hash,
        last_hash=pending[-1].hash,
        pending=0,
        device_time=ctx.now(),
    )
    return header, [protocol.WireChange(kind=c.kind, payload=c.payload) for c in pending]


def encode(header: protocol.PushHeader, changes: list[protocol.WireChange]) -> bytes:
    return protocol.compress(protocol.encode_push(header, changes))


def push_headers(device: str, token: str | None) -> dict[str, str]:
    auth = protocol.auth_header(device, token) if token else {}
    return {**auth, "Content-Type": protocol.CONTENT_TYPE, "Content-Encoding": protocol.ENCODING}


def capture_pushes(client: SyncClient) -> list[bytes]:
    """Every push body the client sends, as it went on the wire."""
    bodies: list[bytes] = []

    def keep(request: httpx.Request) -> None:
        if request.url.path.endswith("/push"):
            bodies.append(request.read())

    client.http.event_hooks["request"].append(keep)
    return bodies


def device_status(settings: HQSettings, device: str) -> Any:
    (status,) = [d for d in admin.list_devices(settings) if d.device == device]
    return status


# --- the device's clock ------------------------------------------------------------------------


@pytest.mark.parametrize("offset_days", [2, -2])
def test_a_clock_two_days_off_keeps_the_order_and_hq_shows_the_skew(
    hq: HQ, gate: GateFixture, offset_days: int
) -> None:
    rng = random.Random(offset_days)
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token)
    cell = roster.CellKey(date(2026, 11, 23), "day", ctx.checkpoint_code)

    gate.clock.now = datetime.now(UTC) + timedelta(days=offset_days)  # a wrong clock
    write_entries(gate, 5, rng)
    roster.record_event(ctx, gate.leader_id, Lock(cell))
    wrong = client.run_round()
    assert wrong.ok and wrong.pending == 0
    skew = device_status(hq.settings, ctx.device_id).clock_skew_seconds
    assert skew == pytest.approx(-offset_days * 24 * 3600, abs=300)  # HQ time - device time

    gate.clock.now = datetime.now(UTC)  # someone set the clock right: time jumps
    write_entries(gate, 5, rng)
    roster.record_event(ctx, gate.leader_id, Unlock(cell))
    right = client.run_round()
    assert right.ok and right.pending == 0
    assert abs(device_status(hq.settings, ctx.device_id).clock_skew_seconds) < 300

    # HQ holds the log in sequence order, whatever the clock said.
    assert_hq_holds_exactly(ctx, hq.engine, hq.settings)
    with hq.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT seq, at FROM hq_entry WHERE device_id = :d ORDER BY seq"),
            {"d": ctx.device_id},
        ).all()
        received = conn.execute(
            text("SELECT min(received_at), max(received_at) FROM hq_change WHERE device_id = :d"),
            {"d": ctx.device_id},
        ).one()
    assert [seq for seq, _ in stored] == sorted(seq for seq, _ in stored)
    device_times = [as_utc(at) for _, at in stored]
    # The device's times are kept as the device gave them: the jump is there, in seq order.
    jump = device_times[5] - device_times[4]
    assert jump.total_seconds() == pytest.approx(-offset_days * 24 * 3600, abs=3600)
    # HQ's own receipt time is kept beside them, and is HQ's clock, not the device's.
    now = datetime.now(UTC)
    assert all(abs((now - as_utc(moment)).total_seconds()) < 3600 for moment in received)
    # The roster's hybrid logical clock still orders the second event after the first.
    events = [
        json.loads(payload)
        for _seq, kind, payload, _h in device_log(ctx)
        if kind.startswith("roster.")
    ]
    assert len(events) == 2
    first, second = (HLC(e["hlc_ms"], e["hlc_counter"], e["hlc_node"]) for e in events)
    assert first < second


# --- credentials and refused batches -------------------------------------------------------------


def test_pushing_without_credentials_is_refused_and_changes_nothing(
    hq: HQ, gate: GateFixture
) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token, max_batch_changes=4)
    client.push_batch()
    write_entries(gate, 3, random.Random(1))
    before = snapshot(hq.engine)
    body = encode(*next_batch(ctx, 4))  # a batch HQ would store, were it authenticated
    for headers in (
        push_headers(ctx.device_id, None),
        {**push_headers(ctx.device_id, None), "Authorization": f"Bearer {token}"},
        {**push_headers(ctx.device_id, None), "Authorization": f"GateUI {ctx.device_id}:"},
    ):
        response = hq.http.post(hq.url("/push"), content=body, headers=headers)
        assert response.status_code == 401
        problem = protocol.Problem.model_validate_json(response.content)
        assert problem.error == "unauthorized" and "Authorization" in problem.message
    # The client with a wrong token: refused as such, not retried as if the link were down.
    stranger = SyncClient(
        sync_io.ServicePorts(ctx), ctx.device_id, hq.base_url, "not-the-token", http=hq.http
    )
    result = stranger.run_round()
    assert not result.ok and result.online and result.error == "refused: unauthorized"
    assert snapshot(hq.engine) == before
    status = sync_io.sync_status(ctx)
    assert status.pending == status.last_seq - 4 > 0  # everything saved is still there
    assert status.last_error == "refused: unauthorized"


def test_a_device_cannot_push_into_another_devices_stream(
    hq: HQ, gate: GateFixture, tmp_path: Path
) -> None:
    from tests.conftest import FakeClock, make_gate

    other = make_gate(tmp_path / "other.db", FakeClock(datetime(2026, 11, 20, tzinfo=UTC)))
    try:
        mine = enroll_gate(gate.ctx, hq.base_url, hq.settings)
        theirs = enroll_gate(other.ctx, hq.base_url, hq.settings)
        their_client = client_for(other.ctx, hq.base_url, theirs, max_batch_changes=3)
        their_client.push_batch()
        write_entries(other, 2, random.Random(2))
        before = snapshot(hq.engine)
        # My token, their stream: their next batch, as they would send it, under my name.
        their_next = encode(*next_batch(other.ctx, 3))
        response = hq.http.post(
            hq.url("/push"), content=their_next, headers=push_headers(gate.ctx.device_id, mine)
        )
        assert response.status_code == 403
        problem = protocol.Problem.model_validate_json(response.content)
        assert problem.error == "wrong_device" and other.ctx.device_id in problem.message
        # Their device id with my token: not authenticated at all.
        response = hq.http.post(
            hq.url("/push"), content=their_next, headers=push_headers(other.ctx.device_id, mine)
        )
        assert response.status_code == 401
        # My client configured with their device id: refused, their stream untouched.
        impostor = SyncClient(
            sync_io.ServicePorts(gate.ctx), other.ctx.device_id, hq.base_url, mine, http=hq.http
        )
        assert impostor.run_round().error == "refused: unauthorized"
        assert snapshot(hq.engine) == before
        # Their own client is not disturbed by any of it.
        assert their_client.run_round().ok
        assert_hq_holds_exactly(other.ctx, hq.engine, hq.settings)
    finally:
        other.ctx.db.dispose()


def test_a_revoked_device_is_refused_keeps_its_records_and_syncs_nothing_more(
    hq: HQ, gate: GateFixture
) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token, max_batch_changes=5)
    bodies = capture_pushes(client)
    assert client.run_round().ok
    write_entries(gate, 4, random.Random(3))
    assert admin.revoke_device(hq.settings, ctx.device_id)
    before = snapshot(hq.engine)
    result = client.run_round()
    assert not result.ok and result.online and result.error == "refused: revoked"
    # The guard's work is safe: more entries are saved and wait for a new enrollment.
    write_entries(gate, 2, random.Random(4))
    status = sync_io.sync_status(ctx)
    assert status.pending == 6 and status.last_error == "refused: revoked"
    assert status.stream_stopped is None  # not the stream's fault: a new enrollment resumes it
    replay = hq.http.post(
        hq.url("/push"), content=bodies[-1], headers=push_headers(ctx.device_id, token)
    )
    assert replay.status_code == 403
    assert protocol.Problem.model_validate_json(replay.content).error == "revoked"
    pull = hq.http.get(hq.url("/pull"), headers=push_headers(ctx.device_id, token))
    assert pull.status_code == 403
    assert snapshot(hq.engine) == before
    assert len(device_log(ctx)) == status.last_seq


def test_an_old_batch_replayed_is_a_no_op(hq: HQ, gate: GateFixture) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token, max_batch_changes=4)
    bodies = capture_pushes(client)
    assert client.run_round().ok
    write_entries(gate, 6, random.Random(5))
    assert client.run_round().ok
    before = snapshot(hq.engine)
    acked = device_status(hq.settings, ctx.device_id).complete_through
    for body in bodies[:3] + bodies[-1:]:
        response = hq.http.post(
            hq.url("/push"), content=body, headers=push_headers(ctx.device_id, token)
        )
        assert response.status_code == 200, response.text
        ack = protocol.PushAck.model_validate_json(response.content)
        assert ack.stored == 0 and ack.acked_seq == acked
    assert snapshot(hq.engine) == before
    assert_hq_holds_exactly(ctx, hq.engine, hq.settings)


def test_a_tampered_batch_is_refused_and_stops_only_that_stream(hq: HQ, gate: GateFixture) -> None:
    ctx = gate.ctx
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token, max_batch_changes=6)
    bodies = capture_pushes(client)
    assert client.run_round().ok
    write_entries(gate, 6, random.Random(6))
    before = snapshot(hq.engine)
    held = len(hq_log(hq.engine, ctx.device_id))

    # 1. A new batch whose payload was changed on the way: the chain does not add up.
    header, wire = next_batch(ctx, 6)
    pending = sync_io.pending_changes(ctx, 10**6, 6)[1]
    changed = wire[2].payload.replace(b'"admitted"', b'"denied"', 1)
    assert changed != wire[2].payload
    wire[2] = protocol.WireChange(kind=wire[2].kind, payload=changed)
    body = encode(header, wire)
    response = hq.http.post(
        hq.url("/push"), content=body, headers=push_headers(ctx.device_id, token)
    )
    assert response.status_code == 422
    problem = protocol.Problem.model_validate_json(response.content)
    assert problem.error == "chain_mismatch" and "last_hash" in problem.message

    # 2. An old batch with one change altered and the chain recomputed to match: a conflict
    #    with what HQ holds, refused and recorded, nothing stored.
    old_header, old_changes = protocol.decode_push(protocol.decompress(bodies[0]))
    forged = list(old_changes)
    forged[-1] = protocol.WireChange(kind=forged[-1].kind, payload=forged[-1].payload + b" ")
    prev = old_header.prev_hash
    for i, change in enumerate(forged):
        prev = chain_hash(
            prev, ctx.device_id, old_header.first_seq + i, change.kind, change.payload
        )
    forged_header = old_header.model_copy(update={"last_hash": prev})
    response = hq.http.post(
        hq.url("/push"),
        content=protocol.compress(protocol.encode_push(forged_header, forged)),
        headers=push_headers(ctx.device_id, token),
    )
    assert response.status_code == 409
    assert protocol.Problem.model_validate_json(response.content).error == "conflict"
    assert snapshot(hq.engine) == before
    assert len(hq_log(hq.engine, ctx.device_id)) == held
    assert device_status(hq.settings, ctx.device_id).conflicts == 1

    # 3. The terminal's own log altered on disk (a bad repair, a broken disk): HQ refuses the
    #    batch, the client stops pushing that stream and says why, and pulling still works.
    with sqlite3.connect(ctx.db.path) as raw:
        updated = raw.execute(
            "UPDATE change_log SET payload = CAST(replace(CAST(payload AS TEXT), 'admitted',"
            " 'denied') AS BLOB) WHERE device_id = ? AND seq = ?",
            (ctx.device_id, pending[1].seq),
        ).rowcount
    assert updated == 1
    admin.set_watch(hq.settings, gate.id_numbers["张露"], "总部通报")
    result = client.run_round()
    assert result.stopped is not None and result.stopped.startswith("chain_mismatch")
    assert result.pulled == 1 and result.online
    status = sync_io.sync_status(ctx)
    assert status.stream_stopped == result.stopped and status.pending == 6
    assert client.run_round().pushed == 0  # stopped: no retry storm against a refusal
    assert snapshot(hq.engine) == before
    (problem_line,) = [p for p in admin.verify_all(hq.settings) if ctx.device_id in p]
    conflict_seq = old_header.first_seq + len(forged) - 1
    assert problem_line.startswith(f"device {ctx.device_id}: conflict at sequence {conflict_seq}")


# --- sneakernet bundles ---------------------------------------------------------------------


def enroll_offline(settings: HQSettings, device: str, site: str = "MINE1") -> str:
    """Enroll a device at an HQ database directly (an HQ that only ever sees USB sticks)."""
    code = admin.make_enroll_code(settings, site)
    with open_database(settings) as db:
        return crud.enroll(db, protocol.EnrollRequest(code=code.code, device=device)).token


def test_a_bundle_gives_the_same_end_state_as_pushing_and_twice_changes_nothing(
    hq: HQ, gate: GateFixture, tmp_path: Path
) -> None:
    ctx = gate.ctx
    write_entries(gate, 30, random.Random(7))
    # HQ "B" is reached only by USB stick; HQ "A" (the server) by pushing.
    usb = HQSettings(database_url=f"sqlite:///{tmp_path / 'usb_hq.db'}")
    usb_token = enroll_offline(usb, ctx.device_id)
    bundle, count = build_bundle(sync_io.ServicePorts(ctx), ctx.device_id, usb_token)
    assert count == len(device_log(ctx)) > 30

    token = enroll_gate(ctx, hq.base_url, hq.settings)
    pushed = client_for(ctx, hq.base_url, token, max_batch_changes=7).run_round()
    assert pushed.ok and pushed.pending == 0

    acks = admin.import_bundle(usb, bundle)
    assert acks[-1].acked_seq == count and sum(a.stored for a in acks) == count
    usb_engine = create_engine(usb.database_url)
    try:
        assert snapshot(usb_engine)["changes"] == [
            row for row in snapshot(hq.engine)["changes"] if row[0] == ctx.device_id
        ]
        assert snapshot(usb_engine)["entries"] == [
            row for row in snapshot(hq.engine)["entries"] if row[0] == ctx.device_id
        ]
        usb_device = [d for d in snapshot(usb_engine)["devices"] if d[0] == ctx.device_id]
        hq_device = [d for d in snapshot(hq.engine)["devices"] if d[0] == ctx.device_id]
        assert usb_device == hq_device
        assert admin.verify_all(usb) == []
        before = snapshot(usb_engine)
        again = admin.import_bundle(usb, bundle)
        assert [a.stored for a in again] == [0] * len(again)
        assert again[-1].acked_seq == count
        assert snapshot(usb_engine) == before

        # Tampered on the stick: an entry changed under the device's signature, a forged
        # signature, a bundle signed with another key, a cut file, one flipped byte.
        magic = protocol.BUNDLE_MAGIC
        read = protocol.read_bundle(bundle)
        bodies = protocol.bundle_bodies(read)
        changed = [bodies[0].replace(b'"admitted"', b'"denied"', 1), *bodies[1:]]
        assert changed[0] != bodies[0]
        signed_line = f"{read.device} {read.signature}\n".encode()
        altered = magic + signed_line + protocol.compress(protocol.BUNDLE_SEPARATOR.join(changed))
        forged_sig = (
            magic + f"{read.device} {'0' * 64}\n".encode() + bundle[len(magic + signed_line) :]
        )
        other_key = protocol.sign_bundle(ctx.device_id, "a token that is not the device's", bodies)
        flip_at = len(bundle) // 3
        flipped = bundle[:flip_at] + bytes([bundle[flip_at] ^ 0x01]) + bundle[flip_at + 1 :]
        cases = [
            (altered, {"unauthorized"}),
            (forged_sig, {"unauthorized"}),
            (other_key, {"unauthorized"}),
            # A cut file fails its signature before anything is decompressed.
            (bundle[: len(bundle) // 2], {"unauthorized"}),
            (flipped, {"unauthorized", "bad_encoding", "bad_request"}),
        ]
        for tampered, codes in cases:
            with pytest.raises(Refusal) as refused:
                admin.import_bundle(usb, tampered)
            assert refused.value.code in codes, (codes, str(refused.value))
        assert snapshot(usb_engine) == before
    finally:
        usb_engine.dispose()


def test_a_bundle_and_pushes_mix_under_the_same_rules(hq: HQ, gate: GateFixture) -> None:
    """Half pushed, the rest carried by USB to the same HQ: the client's next round finds HQ
    complete and catches up its acknowledgement without sending anything twice."""
    ctx = gate.ctx
    write_entries(gate, 20, random.Random(8))
    token = enroll_gate(ctx, hq.base_url, hq.settings)
    client = client_for(ctx, hq.base_url, token, max_batch_changes=5)
    client.push_batch()
    client.push_batch()
    bundle, count = build_bundle(sync_io.ServicePorts(ctx), ctx.device_id, token)
    assert count == sync_io.sync_status(ctx).pending
    acks = admin.import_bundle(hq.settings, bundle)
    assert sum(a.stored for a in acks) == count
    result = client.run_round()
    assert result.ok and result.pending == 0
    assert_hq_holds_exactly(ctx, hq.engine, hq.settings)


def test_enrolling_over_a_broken_link_fails_clearly_and_a_new_code_then_works(hq: HQ) -> None:
    """A garbled, cut or refused answer to enrollment is an EnrollmentError with a reason,
    never a crash; the code may be spent at HQ, and a new one enrolls the device."""
    port = int(hq.base_url.rsplit(":", 1)[1])
    faults = [
        Fault("garble"),
        Fault("truncate", fraction=0.5),
        Fault("status", status=502),
        Fault("lost_ack"),
        Fault("refuse"),
    ]
    with FaultProxy(("127.0.0.1", port)) as proxy, httpx.Client(timeout=10) as http:
        for fault in faults:
            device = f"enroll-{fault.kind}"
            proxy.policy = Scripted([fault])
            code = admin.make_enroll_code(hq.settings, "MINE1")
            with pytest.raises(EnrollmentError) as failed:
                enroll(proxy.url, code.code, device, http=http)
            assert str(failed.value)
            again = enroll(proxy.url, admin.make_enroll_code(hq.settings, "MINE1").code, device)
            assert again.device == device and again.token
            assert device_status(hq.settings, device).revoked_at is None
