"""scripts/bench_sync.py runs end to end at a tiny scale, so that it cannot rot.

Nothing here judges the figures (a tiny run says nothing about speed, and no test asserts on
wall-clock time): it checks that every phase runs and prints its figure as a ratio.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hq_server import PG_ENV, REPO

RATIO = r"=\s*([0-9.]+)x"


@pytest.mark.slow
def test_the_sync_benchmark_runs_every_phase_at_a_tiny_scale(tmp_path: Path) -> None:
    args = [
        "--changes",
        "300",
        "--people",
        "60",
        "--baseline-records",
        "60",
        "--bytes-sample",
        "30",
        "--shift",
        "80",
        "--shift-runs",
        "1",
        "--repeat",
        "1",
        "--workdir",
        str(tmp_path),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench_sync.py"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = {line[:3]: line for line in done.stdout.splitlines() if line.startswith("(")}
    assert "300 gate entries" in done.stdout
    for phase in ("(a)", "(b)", "(d)"):
        match = re.search(RATIO, lines[phase])
        assert match and float(match.group(1)) > 0, lines[phase]
    assert "goal" in lines["(a)"] and "goal" in lines["(b)"] and "goal" in lines["(d)"]
    if os.environ.get(PG_ENV):
        match = re.search(RATIO, lines["(c)"])
        assert match and float(match.group(1)) > 0, lines["(c)"]
    else:
        assert "skipped" in lines["(c)"]
    # The terminal it generated is kept for the next run, as --workdir promises.
    assert list(tmp_path.glob("gate-300-60-*.db"))
