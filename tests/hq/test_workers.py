"""Stateless HQ: several uvicorn workers on one database keep every stream exact."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.hq.conftest import BACKENDS, HQ, ack, chain, database_url, start_server, stop_server

DEVICES = 12
BATCHES = 4
PER_BATCH = 25


@pytest.fixture(params=BACKENDS)
def hq_two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HQ]:
    from sqlalchemy import create_engine

    with database_url(request.param, tmp_path) as url:
        proc, base = start_server(url, tmp_path / "server.log", workers=2)
        engine = create_engine(url)
        try:
            with httpx.Client(timeout=60) as http:
                yield HQ(base, HQSettings(database_url=url), http, engine)
        finally:
            engine.dispose()
            stop_server(proc)
    assert "Traceback" not in (tmp_path / "server.log").read_text(errors="replace")


def test_devices_pushing_concurrently_to_two_workers_all_end_complete(hq_two_workers: HQ) -> None:
    hq = hq_two_workers
    tokens = {f"w{i:02d}": hq.enroll(f"w{i:02d}") for i in range(DEVICES)}

    def run(device: str) -> int:
        links = chain(device, BATCHES * PER_BATCH)
        acked = 0
        for b in range(BATCHES):
            batch = links[b * PER_BATCH : (b + 1) * PER_BATCH]
            acked = ack(hq.push(device, tokens[device], batch)).acked_seq
            ack(hq.push(device, tokens[device], batch))  # and every batch twice
        return acked

    with ThreadPoolExecutor(max_workers=DEVICES) as pool:
        results = list(pool.map(run, tokens))
    assert results == [BATCHES * PER_BATCH] * DEVICES
    statuses = {d.device: d.complete_through for d in admin.list_devices(hq.settings)}
    assert statuses == dict.fromkeys(tokens, BATCHES * PER_BATCH)
    assert hq.scalar("SELECT count(*) FROM hq_change") == DEVICES * BATCHES * PER_BATCH
    assert admin.verify_all(hq.settings) == []
