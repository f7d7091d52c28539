"""The systemd units in deploy/ start commands the CLI really accepts, and systemd accepts
the units: a renamed option or a typo in a unit would otherwise surface only on a site."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from gateui.cli import app

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


def test_there_are_units_for_the_daemon_and_hq() -> None:
    assert {u.name for u in UNITS} == {"gateui-sync.service", "gateui-hq.service"}


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_exec_start_parses_with_the_cli(unit: Path) -> None:
    argv = shlex.split(_unit(unit)["Service"]["ExecStart"])
    assert argv[0].endswith("/gateui")
    command = typer.main.get_command(app)
    # make_context parses every option and argument down the command tree without running
    # the command: an unknown option or a missing argument raises a click UsageError.
    ctx = command.make_context("gateui", argv[1:])
    names = []

    # typer carries its own copy of click: duck-type the group.
    def rest_of(ctx: typer.Context) -> list[str]:
        return [*getattr(ctx, "_protected_args", []), *ctx.args]

    while hasattr(ctx.command, "resolve_command") and rest_of(ctx):
        name, sub, rest = ctx.command.resolve_command(ctx, rest_of(ctx))
        assert sub is not None and name is not None
        names.append(name)
        ctx = sub.make_context(name, rest, parent=ctx)
    assert names == (["sync"] if unit.name == "gateui-sync.service" else ["hq", "serve"])
    assert "--data-dir" in argv or "--db" in argv


def _systemd_problems(unit_text: str, name: str, tmp_path: Path) -> list[str]:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    copy = tmp_path / name
    copy.write_text(unit_text, encoding="utf-8")
    done = subprocess.run(
        [analyze, "verify", "--man=no", str(copy)], capture_output=True, text=True, timeout=60
    )
    # systemd-analyze exits 0 even for unknown keys; what it says about the file itself
    # starts with the file's path (lines about the host, e.g. no such user, do not).
    return [line for line in (done.stdout + done.stderr).splitlines() if line.startswith(str(copy))]


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    # systemd checks that ExecStart's program exists: point it at this venv's gateui.
    gateui = Path(sys.executable).with_name("gateui")
    text = unit.read_text(encoding="utf-8").replace("/opt/gateui/.venv/bin/gateui", str(gateui))
    assert _systemd_problems(text, unit.name, tmp_path) == []


def test_the_systemd_check_sees_a_broken_unit(tmp_path: Path) -> None:
    broken = "[Service]\nExecStart=/bin/true\nRestartt=always\nRestart=sometimes\n"
    problems = _systemd_problems(broken, "broken.service", tmp_path)
    assert len(problems) == 2, problems
