"""How the client cuts and sends its batches (sync.batching, SyncClient.push_all): sizes that
follow the link, a lost answer that costs neither a backoff nor a resend, a body limit at HQ
lower than the batch that shrinks the batches instead of stopping the stream, and the
`pending` each header reports while the next batch is read during the send."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine

from gateui.services import sync_io
from gateui.services.lookup import person_card
from sync import protocol
from sync.batching import (
    FAST_LINK_LEVEL,
    MIN_BATCH_BYTES,
    SLOW_LINK_LEVEL,
    BatchSizer,
    PushBatch,
    cut,
)
from sync.client import SyncClient
from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.conftest import GateFixture
from tests.support.fault_proxy import PASS, Fault, FaultProxy, RequestInfo
from tests.support.hq_server import BACKENDS, HQProcess, database_url
from tests.support.terminal import (
    assert_hq_holds_exactly,
    device_log,
    enroll_gate,
    write_entries,
)

KIB = 1024


def batch(raw_bytes: int, limit: int, more: bool = True, count: int = 100) -> PushBatch:
    return PushBatch(1, count, "0" * 64, count, raw_bytes, b"", limit, more)


def test_the_sizer_aims_at_seconds_on_the_wire_and_grows_step_by_step() -> None:
    sizer = BatchSizer(current=512 * KIB, ceiling=4096 * KIB, target_seconds=8.0)
    # A 2G link: 512 KiB of raw changes took 4 s -> 8 s carry 1 MiB.
    sizer.observe(batch(512 * KIB, 512 * KIB), 4.0)
    assert sizer.limit() == 1024 * KIB
    # A LAN: 1 MiB in 50 ms says "much more", but one step grows at most 4x ...
    sizer.observe(batch(1024 * KIB, 1024 * KIB), 0.05)
    assert sizer.limit() == 4096 * KIB
    # ... and the ceiling (or the client's own cap) bounds it.
    assert sizer.limit(cap=2048 * KIB) == 2048 * KIB
    # The link slows down: the next batch shrinks at once, never below the floor.
    sizer.observe(batch(4096 * KIB, 4096 * KIB), 400.0)
    assert sizer.limit() == int(4096 * KIB / 400 * 8)
    sizer.observe(batch(100 * KIB, 100 * KIB), 10_000.0)
    assert sizer.limit() == MIN_BATCH_BYTES


def test_bytes_are_compressed_hard_until_the_link_proves_fast() -> None:
    sizer = BatchSizer()
    assert sizer.level() == SLOW_LINK_LEVEL  # nothing measured yet
    sizer.observe(batch(512 * KIB, 512 * KIB), 3.0)  # 2G
    assert sizer.level() == SLOW_LINK_LEVEL
    sizer.observe(batch(512 * KIB, 512 * KIB), 0.05)  # a LAN
    assert sizer.level() == FAST_LINK_LEVEL


def test_a_small_batch_says_nothing_of_the_rate() -> None:
    """The last few changes of a queue take a round trip, not bandwidth: no shrinking."""
    sizer = BatchSizer(current=512 * KIB)
    sizer.observe(batch(3 * KIB, 512 * KIB, more=False, count=5), 0.5)
    assert sizer.limit() == 512 * KIB


def test_too_large_halves_the_ceiling_until_a_single_change_is_left() -> None:
    sizer = BatchSizer(current=512 * KIB)
    assert sizer.refused_as_too_large(batch(300 * KIB, 512 * KIB))
    assert sizer.limit() == 150 * KIB
    sizer.observe(batch(150 * KIB, 150 * KIB), 0.01)  # fast, but not past HQ's limit again
    assert sizer.limit() == 150 * KIB
    assert not sizer.refused_as_too_large(batch(9 * KIB, 150 * KIB, count=1))


@dataclass(frozen=True)
class Change:
    seq: int
    kind: str
    payload: bytes
    hash: str = "0" * 64
    digest: str | None = None


def test_cut_keeps_the_longest_prefix_within_the_limit_and_at_least_one() -> None:
    changes = [Change(i, "k", b"x" * 96) for i in range(1, 11)]  # 100 bytes each
    assert [c.seq for c in cut(changes, 350)] == [1, 2, 3]
    assert [c.seq for c in cut(changes, 10)] == [1]
    assert len(cut(changes, 10_000)) == 10


# --- against a real HQ, through the fault proxy -------------------------------------------------


@dataclass
class Link:
    gate: GateFixture
    hq: HQProcess
    proxy: FaultProxy
    engine: Engine
    settings: HQSettings
    token: str
    bodies: list[bytes]

    def client(self, max_batch_changes: int = protocol.MAX_BATCH_CHANGES) -> SyncClient:
        http = httpx.Client(timeout=10, event_hooks={"request": [self._keep]})
        ports = sync_io.ServicePorts(self.gate.ctx)
        return SyncClient(
            ports,
            self.gate.ctx.device_id,
            self.proxy.url,
            self.token,
            http=http,
            max_batch_changes=max_batch_changes,
        )

    def _keep(self, request: httpx.Request) -> None:
        if request.url.path.endswith("/push"):
            self.bodies.append(request.read())

    def requests(self, suffix: str) -> int:
        return sum(
            1 for r in list(self.proxy.records) if r.info.path.split("?")[0].endswith(suffix)
        )


@contextmanager
def open_link(backend: str, gate: GateFixture, tmp_path: Path) -> Iterator[Link]:
    with database_url(backend, tmp_path) as url:
        settings = HQSettings(database_url=url)
        hq = HQProcess(url, tmp_path / "hq.log")
        hq.start()
        engine = create_engine(url)
        proxy = FaultProxy(("127.0.0.1", hq.port)).start()
        try:
            token = enroll_gate(gate.ctx, hq.base_url, settings)
            yield Link(gate, hq, proxy, engine, settings, token, [])
        finally:
            proxy.stop()
            engine.dispose()
            hq.stop()
    assert "Traceback" not in hq.log_text()


@pytest.fixture(params=BACKENDS)
def link(request: pytest.FixtureRequest, gate: GateFixture, tmp_path: Path) -> Iterator[Link]:
    with open_link(request.param, gate, tmp_path) as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
def small_link(
    request: pytest.FixtureRequest,
    gate: GateFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Link]:
    """HQ accepts bodies of at most 8 KiB (its settings come from GATEUI_HQ_*)."""
    monkeypatch.setenv("GATEUI_HQ_MAX_BODY_BYTES", str(8 * KIB))
    with open_link(request.param, gate, tmp_path) as opened:
        yield opened


class FirstOf:
    """Fault the first request to `path` only (the round's pull runs beside its push, in
    any order)."""

    def __init__(self, path: str, fault: Fault) -> None:
        self.path, self.fault, self.used = path, fault, False

    def __call__(self, info: RequestInfo) -> Fault:
        if info.path.split("?")[0].endswith(self.path) and not self.used:
            self.used = True
            return self.fault
        return PASS


def test_a_lost_answer_costs_no_backoff_and_no_resend(link: Link) -> None:
    write_entries(link.gate, 12, random.Random(1))
    link.proxy.policy = FirstOf("/push", Fault("lost_ack"))
    client = link.client(max_batch_changes=5)
    result = client.run_round()
    assert result.ok and result.pending == 0, result
    # HQ committed the first batch; the client asked HQ (GET /status) instead of sending it
    # again, then sent the rest: every change went up exactly once.
    batches = -(-len(device_log(link.gate.ctx)) // 5)
    assert link.requests("/status") == 1
    assert link.requests("/push") == batches
    assert_hq_holds_exactly(link.gate.ctx, link.engine, link.settings)


def test_a_reset_in_the_middle_of_the_body_is_resent_in_the_same_round(link: Link) -> None:
    write_entries(link.gate, 8, random.Random(2))
    link.proxy.policy = FirstOf("/push", Fault("reset_request", fraction=0.5))
    client = link.client(max_batch_changes=5)
    result = client.run_round()
    assert result.ok and result.pending == 0, result
    batches = -(-len(device_log(link.gate.ctx)) // 5)
    assert link.requests("/status") == 1
    assert link.requests("/push") == batches + 1  # the cut batch, once more
    assert_hq_holds_exactly(link.gate.ctx, link.engine, link.settings)


def test_a_lost_pull_page_is_asked_for_again_in_the_same_round(link: Link) -> None:
    write_entries(link.gate, 3, random.Random(6))
    admin.set_watch(link.settings, link.gate.id_numbers["张露"], "总部通报")
    link.proxy.policy = FirstOf("/pull", Fault("truncate", fraction=0.5))
    result = link.client().run_round()
    assert result.ok and result.pending == 0 and result.pulled == 1, result
    assert link.requests("/pull") == 2
    assert len(person_card(link.gate.ctx, link.gate.people["张露"]).watch_reasons) == 1
    assert_hq_holds_exactly(link.gate.ctx, link.engine, link.settings)


def test_a_connection_refused_is_not_retried_within_the_round(link: Link) -> None:
    write_entries(link.gate, 3, random.Random(3))
    link.proxy.down()
    try:
        result = link.client().run_round()
    finally:
        link.proxy.up()
    assert not result.ok and not result.online and "ConnectError" in (result.error or "")
    assert link.requests("/status") == 0
    assert sync_io.sync_status(link.gate.ctx).acked_seq == 0


def test_a_body_limit_below_the_batch_shrinks_the_batches_and_stops_nothing(
    small_link: Link,
) -> None:
    link = small_link
    write_entries(link.gate, 40, random.Random(4))
    result = link.client().run_round()
    assert result.ok and result.pending == 0 and result.stopped is None, result
    sizes = [len(protocol.decompress(b)) for b in link.bodies]
    assert sizes[0] > 8 * KIB  # the first batch was refused as too large ...
    assert sizes[-1] <= 8 * KIB and sum(s <= 8 * KIB for s in sizes) >= 2  # ... smaller ones fit
    assert_hq_holds_exactly(link.gate.ctx, link.engine, link.settings)


def test_each_header_reports_what_the_device_still_holds_after_its_batch(link: Link) -> None:
    write_entries(link.gate, 30, random.Random(5))
    last = len(device_log(link.gate.ctx))
    client = link.client(max_batch_changes=4)
    pushed, acked = client.push_all()
    assert acked == last and pushed == last
    headers = [protocol.decode_push(protocol.decompress(b))[0] for b in link.bodies]
    assert [h.first_seq for h in headers] == list(range(1, last + 1, 4))
    for header in headers:
        assert header.pending == last - (header.first_seq + header.count - 1)
    assert_hq_holds_exactly(link.gate.ctx, link.engine, link.settings)
