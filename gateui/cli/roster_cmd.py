"""`gateui roster show|export|generate`: the duty roster from the command line.

    gateui roster show [--from DATE] [--to DATE] [--checkpoint CODE]
    gateui roster export --format text|csv|xlsx [--output FILE] [--from …] [--to …]
    gateui roster generate [--from …] [--to …] [--checkpoint CODE]
                           [--apply --leader BADGE [--pin PIN]]

Dates are YYYY-MM-DD in the site's time zone. `show` and `export` default to this week
(Monday to Sunday); `generate` to the four weeks from next Monday, and only previews
unless --apply is given with a shift leader's badge and PIN (asked for, hidden, when
--pin is not given). Locked cells are never changed.
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from gateui.cli.common import Options, command_env, echo_err, global_options, signing_leader
from gateui.i18n import Translator
from gateui.services import roster
from gateui.services.context import GateContext
from gateui.services.reports import write_atomically
from gateui.services.roster_export import roster_bytes
from gateui.services.roster_views import GenerationReport

roster_app = typer.Typer(
    help="Duty roster: show, export, generate. 值班表：查看、导出、自动排班。",
    no_args_is_help=True,
)


class RosterFormat(StrEnum):
    text = "text"
    csv = "csv"
    xlsx = "xlsx"


FromOpt = Annotated[
    str | None,
    typer.Option("--from", help="First day, YYYY-MM-DD in the site's zone.", show_default=False),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", help="Last day, YYYY-MM-DD (included).", show_default=False),
]
OnlyCheckpointOpt = Annotated[
    str | None,
    typer.Option(
        "--checkpoint",
        help="Only this checkpoint (code, e.g. N1). Default: all.",
        show_default=False,
    ),
]


def _day(t: Translator, text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(t("cli.roster.bad_date", text=text), param_hint=option) from None


def _period(
    t: Translator, today: date, first: str | None, last: str | None, *, weeks: int, ahead: bool
) -> tuple[date, date]:
    """The period asked for; by default `weeks` weeks from this (or next) Monday."""
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7 if ahead else 0)
    start = _day(t, first, "--from") if first else monday
    end = _day(t, last, "--to") if last else start + timedelta(days=7 * weeks - 1)
    return start, end


def _pad(text: str, width: int) -> str:
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


@global_options("data_dir", "config", "lang")
def show_command(
    ctx: typer.Context,
    first: FromOpt = None,
    last: ToOpt = None,
    checkpoint: OnlyCheckpointOpt = None,
    *,
    opts: Options,
) -> None:
    """Print the roster of a period: who stands where, short shifts, every rule broken."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        start, end = _period(t, _today(gate), first, last, weeks=1, ahead=False)
        typer.echo(roster.publish_text(gate, start, end, env.lang, checkpoint))


@global_options("data_dir", "config", "lang")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[
        RosterFormat, typer.Option("--format", "-f", help="text, csv or xlsx")
    ] = RosterFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file (needed for xlsx).", dir_okay=False
        ),
    ] = None,
    first: FromOpt = None,
    last: ToOpt = None,
    checkpoint: OnlyCheckpointOpt = None,
    *,
    opts: Options,
) -> None:
    """Export the roster of a period: the work-group text, CSV (one row per shift and
    checkpoint) or XLSX (the roster as a table, and the rows). Files are written whole or
    not at all."""
    with command_env(ctx, opts) as env:
        t = env.t
        if output is None and fmt is RosterFormat.xlsx:
            raise typer.BadParameter(t("cli.roster.xlsx_needs_output"), param_hint="--output")
        gate = env.gate(create=False)
        start, end = _period(t, _today(gate), first, last, weeks=1, ahead=False)
        data = roster_bytes(gate, start, end, fmt.value, checkpoint, env.lang)
        shifts = len(roster.roster_view(gate, start, end, checkpoint).cells)
        if output is None:
            text = data.decode("utf-8-sig")  # no BOM on a terminal or a pipe
            sys.stdout.write(text)
            sys.stdout.flush()
            echo_err(t("cli.roster.exported", count=shifts, file="-"))
            return
        write_atomically(output, data)
        typer.echo(t("cli.roster.exported", count=shifts, file=str(output)))


@global_options("data_dir", "config", "lang")
def generate_command(
    ctx: typer.Context,
    first: FromOpt = None,
    last: ToOpt = None,
    checkpoint: OnlyCheckpointOpt = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the roster (default: preview only).")
    ] = False,
    leader: Annotated[
        str | None,
        typer.Option("--leader", help="Badge code of the shift leader who applies it."),
    ] = None,
    pin: Annotated[
        str | None,
        typer.Option("--pin", help="The leader's PIN; asked for (hidden) when not given."),
    ] = None,
    *,
    opts: Options,
) -> None:
    """Generate a fair roster (default: the 4 weeks from next Monday) and show each guard's
    shifts, nights, weekend shifts and hours, and what could not be filled and why.
    Nothing is saved without --apply; locked cells are kept as they are."""
    with command_env(ctx, opts) as env:
        t = env.t
        if apply and not leader:
            raise typer.BadParameter(t("cli.roster.need_leader"), param_hint="--leader")
        gate = env.gate(create=False)
        start, end = _period(t, _today(gate), first, last, weeks=4, ahead=True)
        if not apply:
            report = roster.preview_generation(gate, start, end, checkpoint)
            _print_report(t, report, start, end)
            typer.echo(t("cli.roster.preview_only"))
            return
        assert leader is not None
        user = signing_leader(gate, t, leader, pin)
        report = roster.generate_and_apply(gate, user.id, start, end, checkpoint)
        _print_report(t, report, start, end)
        typer.echo(t("cli.roster.applied", changes=report.events, leader=user.name))


def _today(gate: GateContext) -> date:
    return gate.now().astimezone(gate.site.zone).date()


def _print_report(t: Translator, report: GenerationReport, first: date, last: date) -> None:
    result = report.result
    fair = result.fairness
    typer.echo(t("cli.roster.period", first=first.isoformat(), last=last.isoformat()))
    header = ["guard", "shifts", "nights", "weekends", "hours", "available"]
    typer.echo("  " + "".join(_pad(t(f"roster.ui.col_{h}"), 10) for h in header).rstrip())
    for load in sorted(fair.loads, key=lambda x: (x.name, x.guard_id)):
        cells = [
            load.name,
            str(load.shifts),
            str(load.nights),
            str(load.weekends),
            f"{load.hours:g}",
            f"{load.available:.0%}",
        ]
        typer.echo("  " + "".join(_pad(c, 10) for c in cells).rstrip())
    typer.echo(
        t(
            "roster.ui.gen_fairness",
            shifts=fair.spread_shifts,
            nights=fair.spread_nights,
            weekends=fair.spread_weekends,
            hours=f"{fair.spread_hours:g}",
        )
    )
    if not result.unfilled:
        typer.echo(t("roster.ui.gen_all_filled"))
        return
    typer.echo(t("roster.ui.gen_unfilled_title", count=len(result.unfilled)))
    sep = t("roster.publish.cell_separator")
    for u in result.unfilled:
        why = sep.join(t(code, count=n) for code, n in u.blocked) or t("roster.no_guards")
        typer.echo(
            "  "
            + t(
                "roster.ui.gen_unfilled",
                checkpoint=u.cell.checkpoint,
                day=f"{u.cell.day:%m-%d} {t(f'roster.weekday.{u.cell.day.weekday()}')}",
                shift=t(f"roster.shift.{u.cell.shift}")
                if t.has(f"roster.shift.{u.cell.shift}")
                else u.cell.shift,
                missing=u.missing,
                why=why,
            )
        )


roster_app.command("show")(show_command)
roster_app.command("export")(export_command)
roster_app.command("generate")(generate_command)
