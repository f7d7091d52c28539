"""Scale: 50 terminals, each with its own real gate database, writing entries and syncing at
the same time to one HQ on PostgreSQL served by 2 uvicorn workers. Every stream ends
complete and exact, no round reports an error, and HQ logs no traceback.

PostgreSQL only (that is what many sites use in production); skipped with a message when
GATEUI_TEST_PG_URL is not set — `.ci/run` sets it, so CI always runs it.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from sync.client import RoundResult
from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.conftest import FakeClock, GateFixture, make_gate
from tests.support.hq_server import HQProcess, database_url
from tests.support.terminal import assert_hq_holds_exactly, client_for, enroll_gate, write_entries

DEVICES = 50
ROUNDS = 5  # per device: write a few entries, then a sync round
PER_ROUND = 5
SITES = 5


@pytest.mark.slow
@pytest.mark.postgres
def test_fifty_terminals_syncing_at_once_to_two_workers_all_end_complete(tmp_path: Path) -> None:
    with database_url("postgres", tmp_path) as url:
        settings = HQSettings(database_url=url)
        hq = HQProcess(url, tmp_path / "hq.log", workers=2)
        hq.start()
        engine = create_engine(url)
        gates: list[GateFixture] = []
        try:
            start = datetime(2026, 11, 20, 6, tzinfo=UTC)
            for i in range(DEVICES):  # one at a time: alembic's migration runner is not threadsafe
                gate = make_gate(tmp_path / f"gate{i:02d}.db", FakeClock(start + timedelta(i)))
                enroll_gate(gate.ctx, hq.base_url, settings, site=f"SITE{i % SITES}")
                gates.append(gate)
            assert len({g.ctx.device_id for g in gates}) == DEVICES
            ready = threading.Barrier(DEVICES, timeout=120)

            def terminal(index: int) -> list[RoundResult]:
                gate = gates[index]
                token = sync_token(gate)
                client = client_for(gate.ctx, hq.base_url, token, max_batch_changes=8)
                rng = random.Random(index)
                results = []
                ready.wait()  # every terminal starts at once
                for _ in range(ROUNDS):
                    write_entries(gate, rng.randint(1, PER_ROUND), rng)
                    results.append(client.run_round())
                results.append(client.run_round())
                client.http.close()
                return results

            with ThreadPoolExecutor(max_workers=DEVICES) as pool:
                outcomes = list(pool.map(terminal, range(DEVICES)))

            errors = [(i, r.error) for i, rs in enumerate(outcomes) for r in rs if not r.ok]
            assert errors == []
            assert all(rs[-1].pending == 0 for rs in outcomes)
            for gate in gates:
                assert_hq_holds_exactly(gate.ctx, engine, settings, verify=False)
            statuses = admin.list_devices(settings)
            assert len(statuses) == DEVICES
            assert {s.site for s in statuses} == {f"SITE{i}" for i in range(SITES)}
            assert admin.verify_all(settings) == []  # every chain, every device, once
        finally:
            for gate in gates:
                gate.ctx.db.dispose()
            engine.dispose()
            hq.stop()
    log = hq.log_text()
    assert "Traceback" not in log, log[-3000:]
    assert " 503 " not in log and " 500 " not in log


def sync_token(gate: GateFixture) -> str:
    from gateui.services import sync_io

    credentials = sync_io.credentials(gate.ctx)
    assert credentials is not None
    return credentials.token
