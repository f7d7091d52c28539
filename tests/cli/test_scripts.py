"""The README's commands as a new user types them: `./scripts/demo --lang en` must pass
`--lang en` to gateui, not to the install step (a bug seen in this session)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _installed_venv() -> Path:
    """This test's venv, when scripts/_venv.sh made it for the current pyproject/constraints
    (so the demo script installs nothing)."""
    venv = Path(sys.prefix)
    want = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "constraints.txt").read_bytes()
    ).hexdigest()
    stamp = venv / ".gateui-installed-dev"
    if not stamp.is_file() or stamp.read_text().strip() != want:
        pytest.skip(f"{venv} was not made by ./scripts/test for this pyproject (no stamp)")
    return venv


def test_demo_passes_its_arguments_to_gateui(tmp_path: Path) -> None:
    venv = _installed_venv()
    home = tmp_path / "demo"
    env = {**os.environ, "GATEUI_HOME": str(home), "GATEUI_VENV": str(venv)}
    env.pop("GATEUI_LANG", None)
    done = subprocess.run(
        [str(ROOT / "scripts" / "demo"), "--lang", "en", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Usage: gateui" in done.stdout  # gateui got `--lang en --help`
    assert "InvalidRequirement" not in done.stderr
    assert (home / "gate.db").is_file() and (home / "site.toml").is_file()  # seeded first
