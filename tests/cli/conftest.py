"""Fixtures of the CLI tests: an empty GATEUI_HOME per test and a runner for `gateui`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from gateui.cli import app
from tests.conftest import FakeClock, GateFixture, make_gate

Invoke = Callable[..., Result]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "home"
    monkeypatch.setenv("GATEUI_HOME", str(data))
    for name in ("GATEUI_LANG", "GATEUI_CHECKPOINT", "GATEUI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    return data


@pytest.fixture
def gateui(home: Path) -> Invoke:
    """Run `gateui ARGS…` in-process against the test's data directory."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input)

    return invoke


@pytest.fixture
def cli_gate(home: Path) -> Iterator[GateFixture]:
    """The shared test gate (a guard, a leader, four staff) in the CLI's data directory."""
    gate = make_gate(home / "gate.db", FakeClock(datetime.now(UTC) - timedelta(days=2)))
    yield gate
    gate.ctx.db.dispose()
