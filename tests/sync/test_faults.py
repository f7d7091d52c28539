"""Faults between a real terminal and a real HQ: whatever the link and HQ do, HQ ends up with
exactly the device's change log (DESIGN invariants 3, 6, 7).

A seeded random run pushes well over 1,000 small batches through the fault proxy
(tests/support/fault_proxy.py): refused connections, resets in the middle of the request
body, acknowledgements lost after HQ committed, delays, truncated and garbled answers,
injected 5xx and 429 (with Retry-After), stalls past the client's timeout, HQ killed with
SIGKILL in the middle of a batch and started again, and the listening socket closed. Local
gate entries are written between rounds through services.passages. At the end HQ holds the
device's log row by row, the chain verifies, and no stream is stopped.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from gateui.config import SiteConfig
from gateui.services import sync_io
from gateui.services.context import open_gate
from gateui.services.lookup import person_card
from sync.client import Backoff, DaemonHooks, RoundResult, run_daemon
from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.conftest import GateFixture
from tests.support.fault_proxy import FAULT_KINDS, FaultKind, FaultProxy, RandomFaults
from tests.support.hq_server import BACKENDS, HQProcess, database_url
from tests.support.terminal import (
    assert_hq_holds_exactly,
    client_for,
    device_log,
    enroll_gate,
    write_entries,
)

SEED = 20261120
BATCHES = 1_000  # POST /push requests that reach the proxy, faulted or not
MAX_ROUNDS = 6_000  # a bound: the run needs about 400
CLIENT_TIMEOUT = 0.5  # seconds; a stall holds a request longer than this
STALL = 0.6
WEIGHTS: dict[FaultKind, float] = {  # about one request in three goes wrong
    "pass": 0.67,
    "refuse": 0.03,
    "reset_request": 0.05,
    "lost_ack": 0.07,
    "truncate": 0.04,
    "garble": 0.03,
    "status": 0.07,
    "stall": 0.008,
    "kill_hq": 0.03,
}
MAX_KILLS = 5


def _stored(engine: Engine, gate: GateFixture) -> int:
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM hq_change WHERE device_id = :d"), {"d": gate.ctx.device_id}
        ).scalar_one()
    return int(count)


def _pushes(proxy: FaultProxy) -> int:
    return sum(1 for r in list(proxy.records) if r.info.path.endswith("/push"))


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_thousand_faulty_batches_leave_hq_holding_exactly_the_device_log(
    backend: str, gate: GateFixture, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    with database_url(backend, tmp_path) as url:
        settings = HQSettings(database_url=url)
        hq = HQProcess(url, tmp_path / "hq.log")
        hq.start()
        engine = create_engine(url)
        policy = RandomFaults(
            SEED,
            WEIGHTS,
            delay=(0.0, 0.02),
            stall=STALL,
            max_kills=MAX_KILLS,
            kill_paths=["/push"],  # HQ dies in the middle of a batch
        )
        proxy = FaultProxy(("127.0.0.1", hq.port), policy=policy, on_kill=hq.kill).start()
        try:
            token = enroll_gate(gate.ctx, hq.base_url, settings)
            client = client_for(gate.ctx, proxy.url, token, timeout=CLIENT_TIMEOUT)
            outcomes: Counter[str] = Counter()
            retry_afters: set[float] = set()
            refused_rounds = 0
            watched: list[str] = []
            rounds = 0
            while _pushes(proxy) < BATCHES and rounds < MAX_ROUNDS:
                rounds += 1
                if rng.random() < 0.8:  # the guard registers people between rounds
                    write_entries(gate, rng.randint(1, 5), rng)
                client.max_batch_changes = rng.randint(1, 5)
                if not hq.alive and rng.random() < 0.6:  # killed mid-batch: bring it back
                    hq.start()
                    proxy.set_upstream(hq.port)
                if rounds in (40, 140, 240):  # HQ publishes a watch-list entry
                    name = sorted(gate.id_numbers)[len(watched)]
                    admin.set_watch(settings, gate.id_numbers[name], f"总部通报{len(watched)}")
                    watched.append(name)
                if rng.random() < 0.03:  # the link is down: connecting is refused
                    proxy.down()
                    result = client.run_round()
                    proxy.up()
                    assert not result.ok and not result.online
                    assert result.error and "ConnectError" in result.error
                    refused_rounds += 1
                    continue
                result = client.run_round()
                # No fault of the link or of HQ may stop the stream (only a refusal may).
                assert result.stopped is None, result.error
                assert sync_io.sync_status(gate.ctx).stream_stopped is None
                if result.ok:
                    outcomes["ok"] += 1
                else:
                    assert result.error is not None
                    assert not result.error.startswith("refused"), result.error
                    outcomes[result.error.split(":")[0]] += 1
                    if result.retry_after is not None:
                        retry_afters.add(result.retry_after)
                # The device never believes HQ holds more than HQ has stored.
                assert sync_io.sync_status(gate.ctx).acked_seq <= _stored(engine, gate)

            assert _pushes(proxy) >= BATCHES, f"only {_pushes(proxy)} batches in {rounds} rounds"
            # Every fault happened, several times; HQ was killed mid-batch and restarted.
            faults = proxy.stats.faults
            for kind in FAULT_KINDS:
                assert faults.get(kind, 0) >= 3, (kind, faults)
            assert hq.kills >= 3 and hq.starts >= hq.kills + 1
            kills = [r.info.path for r in proxy.records if r.fault.kind == "kill_hq"]
            assert len(kills) >= hq.kills and all(p.endswith("/push") for p in kills)
            assert len(watched) == 3
            assert refused_rounds >= 3
            assert {0.0, 1.0} <= retry_afters  # 429/503 Retry-After reached the round
            assert outcomes["ok"] >= 100, outcomes

            # The link heals: a few clean rounds drain the queue.
            policy.enabled = False
            if not hq.alive:
                hq.start()
                proxy.set_upstream(hq.port)
            for _ in range(20):
                result = client.run_round()
                if result.ok and result.pending == 0:
                    break
            assert result.ok and result.pending == 0, result
            exact = assert_hq_holds_exactly(gate.ctx, engine, settings)
            assert exact.device_rows > 1_000
            assert admin.verify_all(settings) == []  # the whole of HQ, not only this device
            # Pulled reference data arrived exactly once too.
            for name in watched:
                card = person_card(gate.ctx, gate.people[name])
                assert len(card.watch_reasons) == 1, (name, card.watch_reasons)
        finally:
            proxy.stop()
            engine.dispose()
            hq.stop()
    log = hq.log_text()
    assert "Traceback" not in log, log[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_daemon_drains_by_itself_after_an_outage_while_the_guard_keeps_writing(
    backend: str, gate: GateFixture, tmp_path: Path
) -> None:
    """The daemon (its own connection to the gate's SQLite file, as `gateui sync` has) backs
    off while HQ is unreachable, resumes alone when it comes back, and drains through a
    faulty link while the guard registers entries in the same file."""
    rng = random.Random(SEED + 1)
    with database_url(backend, tmp_path) as url:
        settings = HQSettings(database_url=url)
        hq = HQProcess(url, tmp_path / "hq.log")
        hq.start()
        engine = create_engine(url)
        weights: dict[FaultKind, float] = {
            "pass": 0.7,
            "reset_request": 0.05,
            "lost_ack": 0.1,
            "truncate": 0.05,
            "garble": 0.03,
            "status": 0.07,
        }
        policy = RandomFaults(SEED + 1, weights)
        proxy = FaultProxy(("127.0.0.1", hq.port), policy=policy).start()
        daemon_ctx = open_gate(gate.ctx.db.path, SiteConfig(), clock=lambda: datetime.now(UTC))
        stop = threading.Event()
        rounds: list[RoundResult] = []
        try:
            token = enroll_gate(gate.ctx, hq.base_url, settings)
            client = client_for(daemon_ctx, proxy.url, token, timeout=5, max_batch_changes=7)
            ports = sync_io.ServicePorts(daemon_ctx)
            hooks = DaemonHooks(local_version=ports.local_version, on_round=rounds.append)
            proxy.down()  # HQ unreachable: the guard keeps working
            backoff = Backoff(base=0.02, cap=0.2, rng=random.Random(SEED))
            thread = threading.Thread(
                target=run_daemon,
                args=(client, hooks, stop),
                kwargs={"idle_check": 0.02, "backoff": backoff},
                daemon=True,
            )
            thread.start()
            write_entries(gate, 40, rng)
            stop.wait(0.5)
            offline = [r for r in rounds if not r.ok]
            assert offline and all(not r.online for r in offline)
            assert sync_io.sync_status(gate.ctx).acked_seq == 0
            proxy.up()  # HQ is back, behind a faulty link
            for _ in range(40):
                write_entries(gate, 1, rng)
            # A bound, not a timing assertion: the queue drains by itself.
            for _ in range(600):
                status = sync_io.sync_status(gate.ctx)
                if status.pending == 0 and rounds and rounds[-1].ok:
                    break
                stop.wait(0.1)
            stop.set()
            thread.join(30)
            assert not thread.is_alive()
            assert any(r.ok and r.pushed for r in rounds)
            assert sum(n for kind, n in proxy.stats.faults.items() if kind != "pass") >= 1
            assert len(device_log(gate.ctx)) > 80
            assert_hq_holds_exactly(gate.ctx, engine, settings)
        finally:
            stop.set()
            proxy.stop()
            daemon_ctx.db.dispose()
            engine.dispose()
            hq.stop()
    assert "Traceback" not in hq.log_text()
