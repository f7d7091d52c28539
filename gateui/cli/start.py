"""`gateui` with no command: start the gate terminal.

The login screen is painted before the database is opened whenever the file allows it
(`gateui.services.startup`): a guard sees the terminal in about the time Textual alone
needs, and the half second of loading SQLAlchemy and the tables happens while they read
the screen and scan their badge. Nothing here imports SQLAlchemy on that path, nor typer:
`gateui.cli.main` calls `start_gate` without it when the command line holds only the root
options, and the typer root callback calls `run_tui` for anything else. `start_gate` paints
from a glance at the settings and site file (`gateui.config_glance`) when it can, so that
pydantic too loads behind the first screen, where the site file is validated in full.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateui.cli.env import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    Env,
    Options,
    _env_lang,
    echo_err,
    report_error,
)
from gateui.config_glance import StartGlance, glance_start
from gateui.errors import GateUIError
from gateui.i18n import Translator
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
            raise SystemExit(EXIT_ERROR)  # typer passes it on: same code
    _run_app(gate, env.lang)


def _run_app(gate: GateContext | GateOpening, lang: str) -> None:
    from gateui.tui.app import create_app  # Textual loads only when the TUI runs

    try:
        create_app(gate, lang, high_contrast=gate.site.high_contrast).run()
    finally:
        if isinstance(gate, GateOpening):
            gate.settle()  # a quick Ctrl+Q may come while the database is still opening


def _glance(opts: Options) -> StartGlance | None:
    """A glance that lets the login screen come before pydantic and the database."""
    glance = glance_start(opts.data_dir, opts.config, opts.lang, opts.checkpoint)
    return glance if glance is not None and can_open_after_paint(glance.db_path) else None


def run_glanced(glance: StartGlance, opts: Options) -> None:
    """Paint from the glance; behind the login screen, validate the environment and the
    whole site file as `Env` does, then open the database. What the validation refused is
    raised once the app has ended, for `start_gate` to report as before any screen."""
    validated: list[Env] = []  # the one Env, once the files passed; a retry reuses it

    def open_validated() -> GateContext:
        if not validated:
            env = Env(opts)
            env.site.checkpoint(env.checkpoint)  # ConfigError, as run_tui says it
            validated.append(env)
        return validated[0].gate()  # a failed open (a locked file) is tried again

    gate = GateOpening(glance.site, glance.checkpoint_code, open_validated)
    try:
        _run_app(gate, glance.lang)
    finally:
        for env in validated:
            env.close()
    if gate.fatal is not None:
        raise gate.fatal


def start_gate(opts: Options) -> None:
    """`gateui` with only the root options, parsed without typer: what the root callback
    does (`command_env` around `run_tui`), with the same messages and exit codes."""
    env: Env | None = None
    try:
        glance = _glance(opts)
        if glance is not None:
            run_glanced(glance, opts)
            return
        env = Env(opts)
        run_tui(env)
    except GateUIError as exc:
        lang = env.fallback_lang() if env is not None else _env_lang(opts)
        report_error(Translator(lang), exc)
        raise SystemExit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        raise SystemExit(EXIT_INTERRUPTED) from None
    finally:
        if env is not None:
            env.close()
