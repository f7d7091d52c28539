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
    gateui report daily|close|muster   the daily report, its sign-off, the muster list
    gateui privacy purge [--days N]
    gateui roster show|export|generate [--from DATE] [--to DATE] [--checkpoint CODE]

Every command takes --data-dir, --config, --lang and --checkpoint. Exit codes: 0 ok,
1 a problem reported in the user's language on stderr, 2 a usage error.
"""

from __future__ import annotations

import typer

from gateui.cli.admin import run_tui, seed_demo_command, user_add_command
from gateui.cli.common import (
    CheckpointOpt,
    ConfigOpt,
    DataDirOpt,
    LangOpt,
    Options,
    command_env,
    run_app,
)
from gateui.cli.data import export_command, import_command
from gateui.cli.hq_cmd import hq_app
from gateui.cli.pass_cmd import pass_app, privacy_app
from gateui.cli.report_cmd import report_app
from gateui.cli.roster_cmd import roster_app
from gateui.cli.sync_cmd import enroll_command, sync_app

app = typer.Typer(
    name="gateui",
    help="GateUI: offline-first gate terminal. 卡口登记终端。",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
user_app = typer.Typer(
    help="Users: guards, shift leaders, admins. 用户管理。", no_args_is_help=True
)
app.add_typer(user_app, name="user")
app.add_typer(sync_app, name="sync")
app.add_typer(hq_app, name="hq")
app.add_typer(pass_app, name="pass")
app.add_typer(report_app, name="report")
app.add_typer(privacy_app, name="privacy")
app.add_typer(roster_app, name="roster")
app.command("enroll")(enroll_command)

app.command("seed-demo")(seed_demo_command)
app.command("import")(import_command)
app.command("export")(export_command)
user_app.command("add")(user_add_command)


@app.callback()
def _root(
    ctx: typer.Context,
    data_dir: DataDirOpt = None,
    config: ConfigOpt = None,
    lang: LangOpt = None,
    checkpoint: CheckpointOpt = None,
) -> None:
    """GateUI: register every person and vehicle at the gate, offline. Without a command,
    starts the gate terminal."""
    ctx.obj = Options(data_dir=data_dir, config=config, lang=lang, checkpoint=checkpoint)
    if ctx.invoked_subcommand is None:
        with command_env(ctx) as env:
            run_tui(env)


def main() -> None:
    """Console-script entry point (`gateui = gateui.cli:main`)."""
    run_app(app)


__all__ = ["app", "main"]
