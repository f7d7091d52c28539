"""A hypothesis state machine of one terminal and a real HQ process: random interleavings of
local writes, pushes, pushes whose answer is lost after HQ committed, pushes cut in the
middle of the body, replays of old batches, HQ killed and restarted, and pulls.

After every step HQ's stored log is a prefix of the device's log and the device never
believes HQ holds more than it does; after a final clean round HQ holds the device's log
exactly. One HQ process serves the whole test function; each example is a new device with a
database of its own, enrolled afresh, so examples never see each other's streams.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, create_engine

from gateui.services import sync_io
from sync import protocol
from sync.client import SyncClient, TransientError
from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.conftest import FakeClock, GateFixture, make_gate
from tests.support.fault_proxy import Fault, FaultProxy, Scripted
from tests.support.hq_server import BACKENDS, HQProcess, database_url
from tests.support.terminal import (
    assert_hq_holds_exactly,
    device_log,
    enroll_gate,
    hq_log,
    write_entries,
)

# Derandomized: the same interleavings on every run, so the check below that every rule
# was exercised is a fact about the test, not a matter of luck.
STATEFUL = settings(
    derandomize=True,
    max_examples=8,
    stateful_step_count=14,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


class World:
    """What outlives one example: the HQ process, its database, the proxy, a temp dir."""

    def __init__(self, hq: HQProcess, proxy: FaultProxy, engine: Engine, tmp: Path) -> None:
        self.hq, self.proxy, self.engine, self.tmp = hq, proxy, engine, tmp
        self.settings = HQSettings(database_url=hq.url)
        self.numbers = itertools.count()
        self.restarts = 0
        self.ran: Counter[str] = Counter()  # rule -> times it ran, over all examples

    def restart_hq(self) -> None:
        self.hq.kill()
        self.hq.start()
        self.proxy.set_upstream(self.hq.port)
        self.restarts += 1


class SyncPair(RuleBasedStateMachine):
    world: World  # set by the test function before the machine runs

    def __init__(self) -> None:
        super().__init__()
        world = self.world
        n = next(world.numbers)
        self.gate: GateFixture = make_gate(
            world.tmp / f"gate{n}.db", FakeClock(datetime(2026, 11, 20, 6, tzinfo=UTC))
        )
        self.rng = random.Random(n)
        token = enroll_gate(self.gate.ctx, world.hq.base_url, world.settings)
        self.bodies: list[bytes] = []  # every push body sent (HQ may or may not hold it)
        self.http = httpx.Client(timeout=10, event_hooks={"request": [self._keep_body]})
        self.token = token
        self.client = SyncClient(
            sync_io.ServicePorts(self.gate.ctx),
            self.gate.ctx.device_id,
            world.proxy.url,
            token,
            http=self.http,
            max_batch_changes=3,
        )
        self.restarted = False
        world.proxy.policy = Scripted([])

    def _keep_body(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/push"):
            self.bodies.append(request.read())

    # --- helpers ----------------------------------------------------------------------------

    @property
    def device(self) -> str:
        return self.gate.ctx.device_id

    def pending(self) -> int:
        return sync_io.sync_status(self.gate.ctx).pending

    def hq_acked(self) -> int:
        (status,) = [d for d in admin.list_devices(self.world.settings) if d.device == self.device]
        return status.complete_through

    def push_with(self, fault: Fault) -> None:
        self.world.proxy.policy = Scripted([fault])
        try:
            with pytest.raises(TransientError):
                self.client.push_batch()
        finally:
            self.world.proxy.policy = Scripted([])

    # --- rules ------------------------------------------------------------------------------

    @initialize(n=st.integers(1, 6))
    def first_entries(self, n: int) -> None:
        write_entries(self.gate, n, self.rng)

    @rule(n=st.integers(1, 5))
    def local_write(self, n: int) -> None:
        self.world.ran["local_write"] += 1
        before = len(device_log(self.gate.ctx))
        write_entries(self.gate, n, self.rng)
        assert len(device_log(self.gate.ctx)) == before + n

    @precondition(lambda self: self.pending() > 0)
    @rule()
    def push(self) -> None:
        self.world.ran["push"] += 1
        before = self.hq_acked()
        sent, acked = self.client.push_batch()
        assert sent >= 1 and acked is not None and acked >= before
        assert acked == self.hq_acked() == sync_io.sync_status(self.gate.ctx).acked_seq

    @precondition(lambda self: self.pending() > 0)
    @rule()
    def push_answer_lost(self) -> None:
        """HQ commits, the answer never arrives: the device still thinks it is pending."""
        self.world.ran["push_answer_lost"] += 1
        local_before = sync_io.sync_status(self.gate.ctx).acked_seq
        hq_before = self.hq_acked()
        self.push_with(Fault("lost_ack"))
        assert sync_io.sync_status(self.gate.ctx).acked_seq == local_before
        header, _ = protocol.decode_push(protocol.decompress(self.bodies[-1]))
        assert header.first_seq == local_before + 1
        assert self.hq_acked() == max(hq_before, header.first_seq + header.count - 1)

    @precondition(lambda self: self.pending() > 0)
    @rule(fraction=st.floats(0.0, 0.95))
    def push_cut_mid_body(self, fraction: float) -> None:
        """The link drops in the middle of the request body: HQ stores nothing of it."""
        self.world.ran["push_cut_mid_body"] += 1
        hq_before = self.hq_acked()
        self.push_with(Fault("reset_request", fraction=fraction))
        assert self.hq_acked() == hq_before

    @precondition(lambda self: bool(self.bodies))
    @rule(data=st.data())
    def replay_old_batch(self, data: st.DataObject) -> None:
        """Someone sends an old batch again (a retry that crossed a restart, a stuck proxy):
        what HQ holds of it is a no-op; whatever it did not get (a cut body) is stored."""
        self.world.ran["replay_old_batch"] += 1
        body = data.draw(st.sampled_from(self.bodies))
        held = len(hq_log(self.world.engine, self.device))
        response = httpx.post(
            self.world.hq.base_url + protocol.API_PREFIX + "/push",
            content=body,
            headers={
                **protocol.auth_header(self.device, self.token),
                "Content-Type": protocol.CONTENT_TYPE,
                "Content-Encoding": protocol.ENCODING,
            },
            timeout=10,
        )
        header, _ = protocol.decode_push(protocol.decompress(body))
        # The client only ever starts a batch right after what HQ acknowledged to it, and
        # HQ never forgets what it committed, so no old batch can leave a gap.
        assert header.first_seq <= held + 1
        assert response.status_code == 200, response.text
        ack = protocol.PushAck.model_validate_json(response.content)
        last = header.first_seq + header.count - 1
        assert ack.acked_seq == max(held, last)
        assert ack.stored == max(0, last - held)

    @precondition(lambda self: not self.restarted)
    @rule()
    def hq_restart(self) -> None:
        """SIGKILL and start again (once per example: a restart costs a second)."""
        self.world.ran["hq_restart"] += 1
        held = hq_log(self.world.engine, self.device)
        self.world.restart_hq()
        self.restarted = True
        assert hq_log(self.world.engine, self.device) == held

    @rule()
    def pull(self) -> None:
        self.world.ran["pull"] += 1
        if self.rng.random() < 0.5:
            admin.set_watch(
                self.world.settings,
                self.gate.id_numbers["陈丽华"],
                f"总部通报 {self.rng.randrange(1000)}",
            )
        self.client.pull_all()
        cursor = sync_io.pull_cursor(self.gate.ctx)
        assert self.client.pull_all() == 0  # nothing left, and nothing applied twice
        assert sync_io.pull_cursor(self.gate.ctx) == cursor

    # --- what must always hold -----------------------------------------------------------------

    @invariant()
    def hq_holds_a_prefix_of_the_device_log(self) -> None:
        mine = device_log(self.gate.ctx)
        held = hq_log(self.world.engine, self.device)
        assert held == mine[: len(held)]
        assert self.hq_acked() == len(held)
        assert sync_io.sync_status(self.gate.ctx).acked_seq <= len(held)

    def teardown(self) -> None:
        try:
            self.world.proxy.policy = Scripted([])
            result = self.client.run_round()
            assert result.ok and result.pending == 0, result
            assert_hq_holds_exactly(self.gate.ctx, self.world.engine, self.world.settings)
        finally:
            self.http.close()
            self.gate.ctx.db.dispose()


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    with database_url(request.param, tmp_path) as url:
        hq = HQProcess(url, tmp_path / "hq.log")
        hq.start()
        engine = create_engine(url)
        proxy = FaultProxy(("127.0.0.1", hq.port)).start()
        try:
            yield World(hq, proxy, engine, tmp_path)
        finally:
            proxy.stop()
            engine.dispose()
            hq.stop()
    assert "Traceback" not in hq.log_text()


@pytest.mark.slow
def test_any_interleaving_of_writes_pushes_losses_replays_and_restarts_converges(
    world: World,
) -> None:
    SyncPair.world = world
    run_state_machine_as_test(SyncPair, settings=STATEFUL)
    assert world.restarts >= 1
    rules = ["local_write", "push", "push_answer_lost", "push_cut_mid_body", "replay_old_batch"]
    assert all(world.ran[r] >= 1 for r in [*rules, "hq_restart", "pull"]), world.ran
