"""The daemon's own rules: the backoff's cap, and the watchdog that notices a queue that
should drain and does not (against a real HQ process; the fault is injected into the
device's outbox reader, the one place such a bug would hide)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from gateui.services import sync_io
from sync.client import Backoff, DaemonHooks, RoundResult, run_daemon
from tests.conftest import GateFixture
from tests.support.hq_server import HQ
from tests.support.terminal import client_for, enroll_gate, write_entries


def test_backoff_grows_with_jitter_caps_at_30_s_and_yields_to_retry_after() -> None:
    backoff = Backoff(rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(40)]
    assert all(1.0 <= d <= 30.0 for d in delays)
    assert max(delays[:3]) <= 8.0  # the first retries come quickly
    assert len({round(d, 3) for d in delays[10:]}) > 20  # jittered, not in step
    assert backoff.next_delay(retry_after=120.0) == 120.0  # HQ's word wins
    backoff.reset()
    assert backoff.next_delay() <= 2.0


@dataclass
class ManualClock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


class StuckOutbox(sync_io.ServicePorts):
    """The device's outbox reader, made to hand the client nothing while `stuck`."""

    stuck = True

    def pending_changes(
        self, max_bytes: int, max_count: int
    ) -> tuple[str, list[sync_io.OutgoingChange]]:
        prev_hash, changes = super().pending_changes(max_bytes, max_count)
        return (prev_hash, []) if self.stuck else (prev_hash, changes)


def test_the_watchdog_says_when_a_queue_does_not_drain_while_hq_answers(
    hq: HQ, gate: GateFixture
) -> None:
    rng = random.Random(11)
    token = enroll_gate(gate.ctx, hq.base_url, hq.settings)
    client = client_for(gate.ctx, hq.base_url, token)
    outbox = StuckOutbox(gate.ctx)
    client.ports = outbox
    rounds: list[RoundResult] = []
    seen = threading.Condition()

    def on_round(result: RoundResult) -> None:
        with seen:
            rounds.append(result)
            seen.notify_all()

    def next_round(after: int) -> RoundResult:
        with seen:
            assert seen.wait_for(lambda: len(rounds) > after, timeout=60)
            return rounds[-1]

    clock = ManualClock()
    stop = threading.Event()
    hooks = DaemonHooks(local_version=outbox.local_version, on_round=on_round)
    write_entries(gate, 5, rng)
    thread = threading.Thread(
        target=run_daemon,
        args=(client, hooks, stop),
        kwargs={"idle_check": 0.01, "watchdog_after": 600.0, "clock": clock},
        daemon=True,
    )
    thread.start()
    try:
        first = next_round(0)
        waiting = first.pending  # the fixture's people and users, and the 5 entries
        assert first.ok and waiting >= 5 and first.pushed == 0
        assert not (sync_io.sync_status(gate.ctx).last_error or "").startswith("watchdog")

        # Ten minutes later HQ still answers and nothing moved: the watchdog says so.
        clock.now += 601
        count = len(rounds)
        write_entries(gate, 1, rng)  # a local change wakes the daemon for a round
        stuck = next_round(count)
        assert stuck.ok and stuck.pending == waiting + 1
        status = sync_io.sync_status(gate.ctx)
        assert status.last_error == f"watchdog: {waiting + 1} changes not draining"
        assert status.pending == waiting + 1

        # The outbox reads again: the next round drains it and the warning goes.
        outbox.stuck = False
        count = len(rounds)
        write_entries(gate, 1, rng)
        drained = next_round(count)
        while drained.pending:
            drained = next_round(len(rounds))
        status = sync_io.sync_status(gate.ctx)
        assert drained.ok and status.pending == 0 and status.acked_seq == status.last_seq
        assert status.last_error is None
    finally:
        stop.set()
        thread.join(30)
        client.http.close()
    assert not thread.is_alive()
