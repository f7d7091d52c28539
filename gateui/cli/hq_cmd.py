"""`gateui hq …`: the headquarters receiver and its administration.

    gateui hq serve [--db URL] [--host H] [--port P] [--workers N]
    gateui hq enroll-code --site NAME      a one-time code, also as a QR in the terminal
    gateui hq devices                      per device: complete through N, last seen, skew…
    gateui hq verify                       re-check every device's chain and contiguity
    gateui hq revoke DEVICE
    gateui hq import people|vehicles FILE  registry rows that flow to the sites by pull
    gateui hq watch SUBJECT --reason R [--lift] [--site S]
    gateui hq import-bundle FILE           a signed bundle carried from a site on a stick
    gateui hq reports --date D             every site's daily report, zero report or MISSING
    gateui hq checklist --site S FILE.toml the site's checklist (or --clear: the site file's)
    gateui hq pass-key add BASE64 [--label L] | revoke KEY_ID | list
    gateui hq pass-revoke TOKEN|SHA256 --reason R (--site S | --all)

The database is `--db` or $GATEUI_HQ_DATABASE_URL (an SQLite path or a PostgreSQL URL).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from gateui.cli.common import EXIT_ERROR, LangOpt, Options, command_env, echo_err, fail
from gateui.cli.data import ImportWhat
from gateui.cli.hq_db import DbOpt, hq_settings
from gateui.cli.hq_site_cmd import register as register_site_commands
from gateui.services.importing import read_records
from gateui.services.passes import terminal_qr

hq_app = typer.Typer(
    help="Headquarters: receiver and administration. 总部服务。", no_args_is_help=True
)


@hq_app.command("serve")
def serve_command(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8750,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Run the HQ receiver (FastAPI on uvicorn)."""
    from sync.hq.main import serve

    serve(hq_settings(db), host, port, workers)


@hq_app.command("enroll-code")
def enroll_code_command(
    ctx: typer.Context,
    site: Annotated[str, typer.Option("--site", help="Site code the device belongs to.")],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Print a one-time enrollment code for a new terminal, with its QR."""
    from sync.hq.admin import make_enroll_code

    with command_env(ctx, Options(lang=lang)) as env:
        code = make_enroll_code(hq_settings(db), site)
        typer.echo(terminal_qr(code.qr_text, invert=True))
        typer.echo(
            env.t(
                "cli.hq.enroll_code",
                code=code.code,
                site=code.site,
                expires=code.expires_at.isoformat(timespec="minutes"),
            )
        )
        typer.echo(env.t("cli.hq.enroll_hint", text=code.qr_text))


@hq_app.command("devices")
def devices_command(ctx: typer.Context, db: DbOpt = None, lang: LangOpt = None) -> None:
    """Every device's stream: complete through N, last seen, pending, clock skew."""
    from sync.hq.admin import list_devices

    with command_env(ctx, Options(lang=lang)) as env:
        rows = list_devices(hq_settings(db))
        if not rows:
            typer.echo(env.t("cli.hq.no_devices"))
        for d in rows:
            skew = f"{d.clock_skew_seconds:+.0f}s" if d.clock_skew_seconds is not None else "-"
            seen = d.last_seen_at.isoformat(timespec="seconds") if d.last_seen_at else "-"
            typer.echo(
                env.t(
                    "cli.hq.device_line",
                    device=d.device,
                    site=d.site,
                    name=d.name or "-",
                    through=d.complete_through,
                    seen=seen,
                    pending="-" if d.pending_reported is None else d.pending_reported,
                    skew=skew,
                    state=env.t("cli.hq.revoked") if d.revoked_at else env.t("cli.hq.active"),
                )
            )
            if d.last_problem:
                typer.echo("    " + env.t("cli.hq.last_problem", problem=d.last_problem))


@hq_app.command("verify")
def verify_command(ctx: typer.Context, db: DbOpt = None, lang: LangOpt = None) -> None:
    """Re-check every device's hash chain and contiguity; exit 1 on any problem."""
    from sync.hq.admin import verify_all

    with command_env(ctx, Options(lang=lang)) as env:
        problems = verify_all(hq_settings(db))
        for line in problems:
            echo_err(line)
        if problems:
            raise typer.Exit(EXIT_ERROR)
        typer.echo(env.t("cli.hq.verified"))


@hq_app.command("revoke")
def revoke_command(
    ctx: typer.Context,
    device: Annotated[str, typer.Argument()],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Refuse every further request of a device."""
    from sync.hq.admin import revoke_device

    with command_env(ctx, Options(lang=lang)) as env:
        if not revoke_device(hq_settings(db), device):
            fail(env.t, "cli.hq.no_such_device", device=device)
        typer.echo(env.t("cli.hq.revoked_done", device=device))


@hq_app.command("import")
def import_command(
    ctx: typer.Context,
    what: Annotated[ImportWhat, typer.Argument(help="people or vehicles")],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file")],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Import registry rows at HQ; they reach the sites through pull."""
    from sync.hq.admin import import_people, import_vehicles

    with command_env(ctx, Options(lang=lang)) as env:
        records = read_records(file, what.value)
        rows = [r for _line, r in records]
        importer = import_people if what is ImportWhat.people else import_vehicles
        result = importer(hq_settings(db), rows, 0)
        for p in result.problems:
            line = records[p.line][0] if 0 <= p.line < len(records) else p.line
            echo_err(
                env.t("cli.hq.bad_row", line=line, field=p.field, reason=env.t(p.code, **p.params))
            )
        typer.echo(
            env.t(
                "cli.hq.imported",
                created=result.created,
                updated=result.updated,
                unchanged=result.unchanged,
                bad=len(result.problems),
            )
        )
        if result.problems:
            raise typer.Exit(EXIT_ERROR)


@hq_app.command("watch")
def watch_command(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="ID number or plate")],
    reason: Annotated[str, typer.Option("--reason", help="Why (shown at the gate)")] = "",
    lift: Annotated[bool, typer.Option("--lift", help="Take the subject off the list")] = False,
    site: Annotated[str | None, typer.Option("--site", help="Only this site")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Put an ID number or plate on the watch list (or lift it); sites get it by pull."""
    from sync.hq.admin import set_watch

    with command_env(ctx, Options(lang=lang)) as env:
        if not lift and not reason.strip():
            fail(env.t, "cli.hq.reason_required")
        cursor = set_watch(hq_settings(db), subject, reason, active=not lift, site=site)
        typer.echo(env.t("cli.hq.watch_done", subject=subject, cursor=cursor))


@hq_app.command("import-bundle")
def import_bundle_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Bundle written by `gateui sync export-bundle`")],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Apply a site's signed bundle with the same rules as a push."""
    from sync.hq.admin import import_bundle
    from sync.hq.errors import Refusal

    with command_env(ctx, Options(lang=lang)) as env:
        try:
            data = file.read_bytes()
        except OSError as exc:
            fail(env.t, "cli.hq.cannot_read", path=str(file), detail=exc.strerror or str(exc))
        try:
            acks = import_bundle(hq_settings(db), data)
        except Refusal as exc:
            problem = exc.problem
            fail(env.t, "cli.hq.bundle_refused", error=problem.error, detail=problem.message)
        last = acks[-1] if acks else None
        typer.echo(
            env.t(
                "cli.hq.bundle_done",
                stored=sum(a.stored for a in acks),
                device=last.device if last else "-",
                through=last.acked_seq if last else 0,
            )
        )


@hq_app.command("reports")
def reports_command(
    ctx: typer.Context,
    day: Annotated[str, typer.Option("--date", help="The day, YYYY-MM-DD.")],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Every site with its daily report, zero report, or MISSING, and its devices.

    A site is expected to report when it has an enrolled, non-revoked device; it has
    reported when any of its devices' signed reports of the day reached HQ.
    """
    from sync.hq.admin import daily_reports

    with command_env(ctx, Options(lang=lang)) as env:
        t = env.t
        try:
            the_day = date.fromisoformat(day.strip())
        except ValueError:
            raise typer.BadParameter(
                t("cli.report.bad_date", text=day), param_hint="--date"
            ) from None
        sites = daily_reports(hq_settings(db), the_day)
        typer.echo(t("cli.hq.reports_title", day=the_day.isoformat()))
        if not sites:
            typer.echo(t("cli.hq.no_sites"))
        for s in sites:
            status = t(f"hq.status.{s.status}")
            typer.echo(t("cli.hq.report_site", site=s.site, name=s.name, status=status))
            for r in s.reports:
                typer.echo(
                    t(
                        "cli.hq.report_line",
                        device=r.device,
                        kind=t("report.kind.zero" if r.zero else "report.kind.report"),
                        passages=r.passages,
                        denied=r.denied,
                        referred=r.referred,
                        hits=r.watch_hits,
                        overrides=r.overrides,
                        corrections=r.corrections,
                        signer=r.signed_name,
                        at=r.signed_at.strftime("%Y-%m-%d %H:%M UTC"),
                    )
                )
            for d in s.devices:
                seen = d.last_seen_at.strftime("%Y-%m-%d %H:%M UTC") if d.last_seen_at else "-"
                typer.echo(
                    t(
                        "cli.hq.report_device",
                        device=d.device,
                        through=d.complete_through,
                        seen=seen,
                        pending="-" if d.pending_reported is None else d.pending_reported,
                        reported=t("cli.hq.reported_yes" if d.reported else "cli.hq.reported_no"),
                    )
                )


register_site_commands(hq_app)  # checklist, pass-key, pass-revoke (hq_site_cmd.py)
