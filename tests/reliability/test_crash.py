"""Kill a writer with SIGKILL at random moments: nothing it reported saved may be missing.

Every entry whose save returned before the kill must be in the database afterwards, the
file must pass `PRAGMA integrity_check`, and the change log must still verify as a chain:
with SQLite checkpointing inside the commit (50 rounds), and with the terminal's background
checkpointer running in the child, checkpointing every 3 commits (25 rounds).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.store.db import Database
from gateui.store.models import ChangeLog, Entry
from tests.conftest import GateFixture

ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(
    db_path: Path, guard_id: str, people: list[str], rng: random.Random, checkpoint_every: int
) -> list[str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability.crash_child",
            str(db_path),
            guard_id,
            ",".join(people),
            str(checkpoint_every),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.4))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    # Only newline-terminated lines are complete reports (each is one atomic pipe write).
    return out.split("\n")[:-1]


@pytest.mark.parametrize(
    ("rounds", "checkpoint_every"),
    [(50, 0), (25, 3)],
    ids=["checkpoint-in-commit", "background-checkpointer"],
)
def test_sigkill_never_loses_a_saved_entry(
    gate: GateFixture, rounds: int, checkpoint_every: int
) -> None:
    rng = random.Random(20261129 + checkpoint_every)
    db_path = gate.ctx.db.path
    gate.ctx.db.dispose()
    people = list(gate.people.values())
    reported: list[str] = []
    for _ in range(rounds):
        reported += _run_and_kill(db_path, gate.guard_id, people, rng, checkpoint_every)
    db = Database(db_path)
    try:
        assert db.integrity_check() == "ok"
        with db.read() as s:
            saved = set(s.exec(select(Entry.id)).all())
            links = [
                ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash)
                for r in s.exec(select(ChangeLog).order_by(col(ChangeLog.seq)))
            ]
        assert len(reported) > rounds  # the children really wrote between kills
        missing = [e for e in reported if e not in saved]
        assert missing == [], f"{len(missing)} saved entries lost, e.g. {missing[:3]}"
        assert verify_chain(links) is None
    finally:
        db.dispose()
