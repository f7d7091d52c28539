"""SIGKILL a writer whose WAL is checkpointed in the background: nothing reported saved is
lost, the file passes `PRAGMA integrity_check`, the change log still verifies as a chain
(as tests/reliability/test_crash.py, with the checkpointer running in the child)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.store.db import Database
from gateui.store.models import ChangeLog, Entry
from tests.conftest import GateFixture

ROUNDS = 25
ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(db_path: Path, guard_id: str, people: list[str], rng: random.Random) -> list[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.store.checkpoint_crash_child",
            str(db_path),
            guard_id,
            ",".join(people),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.4))  # a random moment to kill at, not a timing check
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return out.split("\n")[:-1]  # only newline-terminated lines are complete reports


def test_sigkill_with_background_checkpoints_loses_nothing(gate: GateFixture) -> None:
    rng = random.Random(20261203)
    db_path = gate.ctx.db.path
    gate.ctx.db.dispose()
    reported: list[str] = []
    for _ in range(ROUNDS):
        reported += _run_and_kill(db_path, gate.guard_id, list(gate.people.values()), rng)
    db = Database(db_path)
    try:
        assert db.integrity_check() == "ok"
        with db.read() as s:
            saved = set(s.exec(select(Entry.id)).all())
            links = [
                ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash)
                for r in s.exec(select(ChangeLog).order_by(col(ChangeLog.seq)))
            ]
        assert len(reported) > ROUNDS  # the children really wrote between kills
        missing = [e for e in reported if e not in saved]
        assert missing == [], f"{len(missing)} saved entries lost, e.g. {missing[:3]}"
        assert verify_chain(links) is None
    finally:
        db.dispose()
