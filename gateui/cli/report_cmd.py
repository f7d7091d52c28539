"""`gateui report daily|close|muster`: the daily report, its sign-off, the muster list.

    gateui report daily [--date D] [--format csv|xlsx|text] [--output FILE]
    gateui report close [--date D] --leader BADGE [--pin PIN]
    gateui report muster [--format csv|xlsx|text] [--output FILE]

Dates are days in the site's zone (YYYY-MM-DD): `daily` defaults to today (a live draft
until the day is closed), `close` to yesterday, the most recent day that is over. CSV and
XLSX go to --output or to daily-<site>-<day>.<format> / muster-<site>-<time>.<format> in
the current folder; text goes to the terminal unless --output is given. Files are written
to a temporary name and renamed: a reader never sees half a file.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gateui.cli.common import (
    Env,
    LeaderPinOpt,
    Options,
    command_env,
    global_options,
    signing_leader,
)
from gateui.i18n import Translator
from gateui.services import presence, reports
from gateui.services.lookup import today_local
from gateui.services.report_text import report_text

report_app = typer.Typer(
    help="Daily report, its sign-off, the muster list. 日报与在场名单。", no_args_is_help=True
)


class ReportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    text = "text"


FormatOpt = Annotated[ReportFormat, typer.Option("--format", help="csv, xlsx or text.")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="File to write.", dir_okay=False)
]
DateOpt = Annotated[str | None, typer.Option("--date", help="Day in the site's zone, YYYY-MM-DD.")]


def parse_day(t: Translator, text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(t("cli.report.bad_date", text=text), param_hint="--date") from None


def _write(env: Env, path: Path, data: bytes) -> None:
    reports.write_atomically(path, data)
    typer.echo(env.t("cli.report.wrote", file=str(path)))


@report_app.command("daily")
@global_options()
def daily_command(
    ctx: typer.Context,
    day: DateOpt = None,
    fmt: FormatOpt = ReportFormat.text,
    output: OutputOpt = None,
    *,
    opts: Options,
) -> None:
    """The daily report of a day: as closed, or counted live (a draft) if not closed yet."""
    with command_env(ctx, opts) as env:
        gate = env.gate(create=False)
        the_day = parse_day(env.t, day, today_local(gate))
        if fmt is ReportFormat.text:
            text = report_text(env.t, gate, reports.daily_report(gate, the_day))
            if output is None:
                typer.echo(text, nl=False)
            else:
                _write(env, output, text.encode("utf-8"))
            return
        path = output or Path(f"daily-{gate.site.code}-{the_day.isoformat()}.{fmt.value}")
        reports.export_daily_report(gate, the_day, path, fmt.value)
        typer.echo(env.t("cli.report.wrote", file=str(path)))


@report_app.command("close")
@global_options()
def close_command(
    ctx: typer.Context,
    leader: Annotated[str, typer.Option("--leader", help="The signing leader's badge code.")],
    day: DateOpt = None,
    pin: LeaderPinOpt = None,
    *,
    opts: Options,
) -> None:
    """Close a day that is over: count it, record the report signed off by the leader.

    A day with nothing abnormal is recorded as an explicit zero report. Sync carries the
    report to HQ. Refuses a day not yet over and a day already closed on this terminal.
    """
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        the_day = parse_day(t, day, today_local(gate) - timedelta(days=1))
        signer = signing_leader(gate, t, leader, pin)
        view = reports.close_day(gate, the_day, signer.id)
        kind = t("report.kind.zero" if view.totals.zero else "report.kind.report")
        typer.echo(t("cli.report.closed", day=the_day.isoformat(), leader=signer.name, kind=kind))


@report_app.command("muster")
@global_options()
def muster_command(
    ctx: typer.Context,
    fmt: FormatOpt = ReportFormat.text,
    output: OutputOpt = None,
    *,
    opts: Options,
) -> None:
    """Who and what is on site now, oldest arrival first (no ID numbers)."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        if fmt is ReportFormat.text:
            rows = presence.muster(gate)
            people = sum(1 for r in rows if r.subject == "person")
            lines = [t("cli.report.muster_title", people=people, vehicles=len(rows) - people)]
            zone = gate.site.zone
            for r in rows:
                since = r.since.astimezone(zone).strftime("%m-%d %H:%M")
                unit = r.unit or ""
                lines.append(f"  {since}  {r.checkpoint_code}  {r.label}  {unit}".rstrip())
            text = "\n".join(lines) + "\n"
            if output is None:
                typer.echo(text, nl=False)
            else:
                _write(env, output, text.encode("utf-8"))
            return
        stamp = gate.now().astimezone(gate.site.zone).strftime("%Y%m%d-%H%M")
        path = output or Path(f"muster-{gate.site.code}-{stamp}.{fmt.value}")
        reports.export_muster(gate, path, fmt.value)
        typer.echo(t("cli.report.wrote", file=str(path)))
