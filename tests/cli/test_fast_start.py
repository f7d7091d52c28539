"""`gateui` with only the root options starts the gate terminal without typer
(`gateui.cli.fast_options`); this checks that fast path against typer's own root command,
so that the two cannot drift apart."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer
from typer.core import TyperOption
from typer.testing import CliRunner

import gateui.cli
import gateui.cli.start
from gateui.cli import ROOT_OPTIONS, app, fast_options
from gateui.cli.env import Env, Options


def test_the_fast_path_knows_exactly_the_root_options_of_typer() -> None:
    root = typer.main.get_command(app)
    options = [p for p in root.params if isinstance(p, TyperOption)]
    assert [p for p in root.params if not isinstance(p, TyperOption)] == []
    names = {name for p in options for name in (*p.opts, *p.secondary_opts)}
    assert names == set(ROOT_OPTIONS)
    assert {p.name: p.opts[0] for p in options} == {v: k for k, v in ROOT_OPTIONS.items()}
    assert not any(p.is_flag or p.count or p.multiple or p.nargs != 1 for p in options)


@pytest.mark.parametrize(
    "argv",
    [
        ["seed-demo"],  # a command
        ["--lang", "en", "user", "add", "X"],
        ["--help"],
        ["-h"],
        ["--verbose"],  # unknown to the root: typer's message
        ["--lang"],  # no value
        ["--lang", "fr"],  # not a choice
        ["--lang", "--data-dir", "x"],  # a value that looks like an option
        ["--data-dir="],
        ["--", "--lang", "en"],
        ["--lan", "en"],  # click takes no abbreviations: its "did you mean"
    ],
)
def test_anything_but_the_root_options_goes_to_typer(argv: list[str]) -> None:
    assert fast_options(argv) is None


def test_paths_click_refuses_go_to_typer(tmp_path: Path) -> None:
    a_file = tmp_path / "f"
    a_file.write_text("", encoding="utf-8")
    assert fast_options(["--data-dir", str(a_file)]) is None  # file_okay=False
    assert fast_options(["--config", str(tmp_path)]) is None  # dir_okay=False
    assert fast_options(["--data-dir", str(tmp_path / "new")]) == {
        "data_dir": str(tmp_path / "new")
    }


def _started(monkeypatch: pytest.MonkeyPatch) -> list[Options]:
    seen: list[Options] = []

    def run_tui(env: Env) -> None:
        seen.append(env.opts)

    monkeypatch.setattr(gateui.cli.start, "run_tui", run_tui)
    return seen


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--lang", "EN", "--data-dir", "D"],
        ["--lang=zh", "--config=site.toml", "--checkpoint", "S1", "--data-dir=D"],
        ["--checkpoint", "N1", "--checkpoint", "S1"],  # the last one wins
    ],
)
def test_fast_path_and_typer_start_the_terminal_with_the_same_options(
    argv: list[str], home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _started(monkeypatch)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    monkeypatch.setattr(sys, "argv", ["gateui", *argv])
    gateui.cli.main()  # the fast path: the same run_tui, given the same options
    assert len(seen) == 2 and seen[0] == seen[1]


def test_fast_path_reports_errors_as_typer_does(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "site.toml"
    bad.write_text("[site\n", encoding="utf-8")
    argv = ["--lang", "en", "--config", str(bad)]
    typer_result = CliRunner().invoke(app, argv)
    monkeypatch.setattr(sys, "argv", ["gateui", *argv])
    with pytest.raises(SystemExit) as exited:
        gateui.cli.main()
    assert exited.value.code == typer_result.exit_code == 1
    assert capsys.readouterr().err == typer_result.output
    assert "site.toml" in typer_result.output
