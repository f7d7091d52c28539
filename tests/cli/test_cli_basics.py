"""Global options, users, configuration errors, starting the TUI, and exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from gateui.cli.common import run_app
from gateui.config import load_site_config
from gateui.services import auth
from gateui.services.context import open_gate
from tests.cli.conftest import Invoke

ADD_GUARD = ("user", "add", "王建军", "--role", "guard", "--badge", "G1", "--pin", "1234")


def test_user_add_then_login_and_errors_in_both_languages(gateui: Invoke, home: Path) -> None:
    ok = gateui("user", "add", "王建军", "--role", "guard", "--badge", "G7", "--pin", "2468")
    assert ok.exit_code == 0, ok.output
    assert "已添加门卫 王建军" in ok.stdout
    ctx = open_gate(home / "gate.db", load_site_config(home / "site.toml"))
    try:
        assert auth.login(ctx, "G7", "2468").role == "guard"
    finally:
        ctx.db.dispose()
    dup = gateui("user", "add", "李四", "--role", "leader", "--badge", "G7", "--pin", "1357")
    assert dup.exit_code == 1 and "工牌号 G7 已被使用" in dup.stderr
    short = gateui(
        "--lang", "en", "user", "add", "李四", "--role", "leader", "--badge", "L1", "--pin", "12"
    )
    assert short.exit_code == 1 and "The PIN must be 4–8 digits" in short.stderr
    assert "Traceback" not in short.output
    bad_role = gateui("user", "add", "李四", "--role", "king", "--badge", "K1", "--pin", "1234")
    assert bad_role.exit_code == 2


def test_pin_is_asked_hidden_when_not_given(gateui: Invoke) -> None:
    result = gateui(
        "user", "add", "赵志刚", "--role", "leader", "--badge", "L9", input="5678\n5678\n"
    )
    assert result.exit_code == 0, result.output
    assert "5678" not in result.stdout  # hidden input is not echoed


def test_global_options_before_or_after_the_command(gateui: Invoke, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    # Exporting never invents an empty site because of a mistyped directory.
    typo = gateui("--data-dir", str(elsewhere), "--lang", "en", "export", "people")
    assert typo.exit_code == 1 and "No gate database at" in typo.stderr
    assert not (elsewhere / "gate.db").exists()
    added = gateui("--data-dir", str(elsewhere), *ADD_GUARD)
    assert added.exit_code == 0 and (elsewhere / "gate.db").exists()
    before = gateui("--data-dir", str(elsewhere), "--lang", "en", "export", "people")
    assert before.exit_code == 0 and "Exported 0 people" in before.stderr
    after = gateui("export", "people", "--data-dir", str(elsewhere), "--lang", "zh")
    assert "已导出 0 名人员" in after.stderr
    # The command's own option wins over the one given before it.
    both = gateui("--lang", "zh", "export", "people", "--lang", "en", "--data-dir", str(elsewhere))
    assert "Exported 0 people" in both.stderr


def test_site_file_sets_language_and_checkpoint_is_checked(
    gateui: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "mine.toml"
    site.write_text('[site]\nlanguage = "en"\n[[site.checkpoints]]\ncode = "E1"\nname = "东门"\n')
    added = gateui("--config", str(site), *ADD_GUARD)
    assert added.exit_code == 0 and "Added guard 王建军" in added.stdout
    result = gateui("--config", str(site), "export", "vehicles")
    assert result.exit_code == 0 and "Exported 0 vehicles" in result.stderr
    wrong = gateui("--config", str(site), "--checkpoint", "X9", "export", "vehicles")
    assert wrong.exit_code == 1 and "No checkpoint X9 in the site file" in wrong.stderr
    monkeypatch.setenv("GATEUI_LANG", "zh")
    assert "已导出" in gateui("--config", str(site), "export", "vehicles").stderr


def test_config_problems_are_messages_not_tracebacks(
    gateui: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = gateui("--config", str(tmp_path / "nope.toml"), "export", "people")
    assert missing.exit_code == 1 and "找不到配置文件" in missing.stderr
    broken = tmp_path / "broken.toml"
    broken.write_text("[site\nname = ")
    bad = gateui("--config", str(broken), "--lang", "en", "export", "people")
    assert bad.exit_code == 1 and "is not valid TOML" in bad.stderr
    assert "Traceback" not in bad.output
    monkeypatch.setenv("GATEUI_LANG", "fr")
    env = gateui("export", "people")
    assert env.exit_code == 1 and "GATEUI_LANG" in env.stderr


def test_no_command_starts_the_tui_with_site_settings(
    gateui: Invoke, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gateui.tui.app as tui_app

    started: list[dict[str, Any]] = []

    class FakeApp:
        def __init__(self, ctx: Any, lang: str, high_contrast: bool) -> None:
            self.args = {"checkpoint": ctx.checkpoint_code, "lang": lang, "hc": high_contrast}

        def run(self) -> None:
            started.append(self.args)

    monkeypatch.setattr(tui_app, "create_app", FakeApp)
    # Without any user nobody could log in: say what to do instead of opening the TUI.
    empty = gateui()
    assert empty.exit_code == 1 and "gateui seed-demo" in empty.stderr and started == []

    home.mkdir(parents=True, exist_ok=True)
    (home / "site.toml").write_text("[site]\nhigh_contrast = true\n")
    assert (
        gateui(
            "user", "add", "王建军", "--role", "guard", "--badge", "G1", "--pin", "1234"
        ).exit_code
        == 0
    )
    assert gateui("--lang", "en", "--checkpoint", "S1").exit_code == 0
    assert started == [{"checkpoint": "S1", "lang": "en", "hc": True}]


def test_unexpected_errors_end_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GATEUI_DEBUG", raising=False)
    broken = typer.Typer()

    @broken.command()
    def boom(lang: str = "zh") -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sys.argv", ["gateui", "--lang", "en"])
    with pytest.raises(SystemExit) as exit_info:
        run_app(broken)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "RuntimeError: disk on fire" in err and "Traceback" not in err
    assert "GATEUI_DEBUG=1" in err
