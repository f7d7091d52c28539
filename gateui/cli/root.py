"""The typer application of the `gateui` command (see `gateui.cli` for the commands).

`gateui.cli.main` comes here for anything but the plain start of the gate terminal.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer import _click as click  # typer's own copy of click: its commands are these
from typer.core import TyperGroup

from gateui.cli.common import Options, command_env, global_options, run_app

# Each command's module is imported only when that command runs (or --help lists it):
# `gateui` alone starts the gate terminal, and a guard should not wait for the HQ server,
# the sync client, openpyxl and every other command to load first.
# name -> (module, attribute, "group" for a typer app or "command" for a function)
_LAZY: dict[str, tuple[str, str, str]] = {
    "user": ("gateui.cli.root", "_user_app", "group"),
    "sync": ("gateui.cli.sync_cmd", "sync_app", "group"),
    "hq": ("gateui.cli.hq_cmd", "hq_app", "group"),
    "pass": ("gateui.cli.pass_cmd", "pass_app", "group"),
    "report": ("gateui.cli.report_cmd", "report_app", "group"),
    "privacy": ("gateui.cli.pass_cmd", "privacy_app", "group"),
    "roster": ("gateui.cli.roster_cmd", "roster_app", "group"),
    "enroll": ("gateui.cli.sync_cmd", "enroll_command", "command"),
    "seed-demo": ("gateui.cli.admin", "seed_demo_command", "command"),
    "import": ("gateui.cli.data", "import_command", "command"),
    "export": ("gateui.cli.data", "export_command", "command"),
}


def _user_app() -> typer.Typer:
    from gateui.cli.admin import user_add_command

    user_app = typer.Typer(
        help="Users: guards, shift leaders, admins. 用户管理。", no_args_is_help=True
    )
    user_app.command("add")(user_add_command)
    return user_app


def _load(name: str) -> click.Command:
    """Build one top-level command the way typer builds it when registered up front."""
    module, attribute, kind = _LAZY[name]
    target: Any = getattr(importlib.import_module(module), attribute)
    if callable(target) and not isinstance(target, typer.Typer) and kind == "group":
        target = target()  # a factory of the typer app
    holder = typer.Typer()
    holder.callback()(_no_op)  # a callback makes typer build a group, as for the real root
    if kind == "group":
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return group.commands[name]


def _no_op() -> None:
    """Placeholder callback of the throwaway app a lazy command is built in."""


class LazyGroup(TyperGroup):
    """The root command: lists every command, imports one only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in _LAZY if n not in self.commands)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY:
            self.commands[cmd_name] = _load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in _LAZY:
            # Not a command name: load them all, so that "did you mean …?" knows every name.
            for name in _LAZY:
                self.get_command(ctx, name)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="gateui",
    cls=LazyGroup,
    help="GateUI: offline-first gate terminal. 卡口登记终端。",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
@global_options()
def _root(ctx: typer.Context, *, opts: Options) -> None:
    """GateUI: register every person and vehicle at the gate, offline. Without a command,
    starts the gate terminal."""
    ctx.obj = opts  # the options given before the command: `root_options` finds them here
    if ctx.invoked_subcommand is None:
        from gateui.cli.start import run_tui

        with command_env(ctx) as env:
            run_tui(env)


def main() -> None:
    """`gateui` through typer: every command, --help, and every usage error."""
    run_app(app)
