"""The `gateui` command line (typer).

    gateui                         the gate terminal (TUI)
    gateui seed-demo               a deterministic demo site, printing the demo users
    gateui import people|vehicles FILE
    gateui export entries|people|vehicles --format csv|jsonl [--since DATE] [--output FILE]
    gateui user add NAME --role guard|leader|admin --badge CODE [--pin PIN]
    gateui enroll HQ_URL CODE      exchange HQ's one-time code for sync credentials
    gateui sync [--once]           the sync daemon; also `sync status`, `sync export-bundle FILE`
    gateui hq serve|enroll-code|devices|verify|revoke|import|watch|import-bundle|reports
    gateui pass issue PERSON… [--all-staff] [--days N] [--out DIR]   also `pass keys`
    gateui pass revoke TOKEN --reason TEXT --leader BADGE   one pass, refused from now on
    gateui report daily|close|muster   the daily report, its sign-off, the muster list
    gateui privacy purge [--days N]
    gateui roster show|export|generate [--from DATE] [--to DATE] [--checkpoint CODE]

Every command takes --data-dir, --config, --lang and --checkpoint. Exit codes: 0 ok,
1 a problem reported in the user's language on stderr, 2 a usage error.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

# The root command's options, each taking a value (`--lang en` or `--lang=en`), by the name
# of the start function's parameter. tests/cli/test_fast_start.py checks that typer's root
# command has exactly these.
ROOT_OPTIONS = {
    "--data-dir": "data_dir",
    "--config": "config",
    "--lang": "lang",
    "--checkpoint": "checkpoint",
}
_LANGUAGES = ("zh", "en")


def fast_options(argv: list[str]) -> dict[str, str] | None:
    """The root options of a command line that only starts the gate terminal, or None for
    anything else (a command, --help, an unknown option, a missing or doubtful value):
    typer parses those, with its own messages and exit codes."""
    given: dict[str, str] = {}
    rest = iter(argv)
    for arg in rest:
        name, eq, value = arg.partition("=")
        if name not in ROOT_OPTIONS:
            return None
        if not eq:
            value = next(rest, "")
        if not value or value.startswith("-"):
            return None  # typer says what is missing, or what it makes of it
        given[ROOT_OPTIONS[name]] = value  # the last one wins, as with click
    lang = given.get("lang")
    if lang is not None:
        if lang.lower() not in _LANGUAGES:
            return None
        given["lang"] = lang.lower()
    # click's checks of the two paths (file_okay=False, dir_okay=False)
    if "data_dir" in given and Path(given["data_dir"]).is_file():
        return None
    if "config" in given and Path(given["config"]).is_dir():
        return None
    return given


def main() -> None:
    """Console-script entry point (`gateui = gateui.cli:main`).

    `gateui` alone, or with only the root options, starts the gate terminal without loading
    typer, click and the commands (a guard waits for every millisecond of that start);
    everything else goes to the typer application."""
    given = fast_options(sys.argv[1:])
    if given is None:
        from gateui.cli.root import main as typer_main

        typer_main()
        return
    from gateui.cli.env import Options, report_unexpected
    from gateui.cli.start import start_gate

    opts = Options(
        data_dir=Path(given["data_dir"]) if "data_dir" in given else None,
        config=Path(given["config"]) if "config" in given else None,
        lang=given.get("lang"),
        checkpoint=given.get("checkpoint"),
    )
    try:
        start_gate(opts)
    except SystemExit:
        raise
    except BaseException as exc:  # as `run_app` does for typer
        report_unexpected(exc)


def __getattr__(name: str) -> Any:
    # `from gateui.cli import app` (tests, tools) loads typer only when asked for.
    if name == "app":
        from gateui.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


app: typer.Typer  # provided by __getattr__ above

__all__ = ["ROOT_OPTIONS", "app", "fast_options", "main"]
