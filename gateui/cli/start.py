"""`gateui` with no command: start the gate terminal.

The login screen is painted before the database is opened whenever the file allows it
(`gateui.services.startup`): a guard sees the terminal in about the time Textual alone
needs, and the half second of loading SQLAlchemy and the tables happens while they read
the screen and scan their badge. Nothing here imports SQLAlchemy on that path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from gateui.cli.common import EXIT_ERROR, Env, echo_err
from gateui.services.startup import GateOpening, can_open_after_paint

if TYPE_CHECKING:
    from gateui.services.context import GateContext


def run_tui(env: Env) -> None:
    """Open the gate database (now, or behind the first screen) and run the Textual app
    until the guard quits."""
    site = env.site  # a broken site file is reported before anything starts
    gate: GateContext | GateOpening
    if can_open_after_paint(env.settings.db_path):
        checkpoint = site.checkpoint(env.checkpoint)  # an unknown code is reported now
        gate = GateOpening(site, checkpoint.code, env.gate)
    else:  # to create, to upgrade, or nobody to log in: before any screen
        from gateui.services.auth import list_users

        gate = env.gate()
        if not list_users(gate):
            echo_err(env.t("cli.tui.no_users", data_dir=str(env.settings.home)))
            raise typer.Exit(EXIT_ERROR)
    from gateui.tui.app import create_app  # Textual loads only when the TUI runs

    try:
        create_app(gate, env.lang, high_contrast=site.high_contrast).run()
    finally:
        if isinstance(gate, GateOpening):
            gate.settle()  # a quick Ctrl+Q may come while the database is still opening
