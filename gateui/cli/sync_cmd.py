"""`gateui enroll`, `gateui sync [--once]`, `gateui sync status`, `gateui sync export-bundle`.

The CLI is where the sync client meets the services: it hands the client a ServicePorts
object bound to this terminal's database, and nothing else.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from gateui.cli.common import Env, Options, command_env, echo_err, fail, global_options
from gateui.services import sync_io
from gateui.services.context import GateContext
from sync.client import (
    DaemonHooks,
    EnrollmentError,
    RoundResult,
    SyncClient,
    build_bundle,
    enroll,
    run_daemon,
)

# Exit codes of `gateui sync --once`, so scripts and systemd can tell what happened.
EXIT_SYNC_OFFLINE, EXIT_SYNC_REFUSED, EXIT_NOT_ENROLLED = 3, 4, 5

sync_app = typer.Typer(
    help="Sync with headquarters. 与总部同步。", invoke_without_command=True, no_args_is_help=False
)


def _credentials(env: Env) -> tuple[GateContext, sync_io.Credentials]:
    """This terminal's database and sync credentials; exit code 5 if it is not enrolled."""
    gate = env.gate()
    creds = sync_io.credentials(gate)
    if creds is None:
        echo_err(env.t("cli.sync.not_enrolled"))
        raise typer.Exit(EXIT_NOT_ENROLLED)
    return gate, creds


def _client(env: Env) -> SyncClient:
    gate, creds = _credentials(env)
    return SyncClient(sync_io.ServicePorts(gate), creds.device_id, creds.hq_url, creds.token)


def _describe(env: Env, result: RoundResult) -> str:
    return env.t(
        "cli.sync.round",
        pushed=result.pushed,
        pulled=result.pulled,
        pending=result.pending,
        error=result.error or "-",
    )


@sync_app.callback()
@global_options()
def sync_command(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One full round, then exit.")] = False,
    *,
    opts: Options,
) -> None:
    """Push every pending change to HQ and pull reference data; runs until stopped."""
    if ctx.invoked_subcommand is not None:
        return
    with command_env(ctx, opts) as env:
        client = _client(env)
        if once:
            result = client.run_round()
            typer.echo(_describe(env, result))
            if result.ok:
                return
            raise typer.Exit(EXIT_SYNC_OFFLINE if not result.online else EXIT_SYNC_REFUSED)
        stop = threading.Event()

        def _stop(_sig: int, _frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        ports = sync_io.ServicePorts(env.gate())
        hooks = DaemonHooks(
            local_version=ports.local_version,
            on_round=lambda r: print(_describe(env, r), file=sys.stderr, flush=True),
        )
        run_daemon(client, hooks, stop)


@sync_app.command("status")
@global_options("data_dir", "config", "lang")
def status_command(
    ctx: typer.Context,
    *,
    opts: Options,
) -> None:
    """What is pending, by kind, and how the link to HQ stands."""
    with command_env(ctx, opts) as env:
        status = sync_io.sync_status(env.gate(), by_kind=True)
        t = env.t
        typer.echo(t("cli.sync.status_device", device=status.device_id, hq=status.hq_url or "-"))
        typer.echo(
            t(
                "cli.sync.status_counts",
                last=status.last_seq,
                acked=status.acked_seq,
                pending=status.pending,
            )
        )
        for kind, count in sorted(status.pending_by_kind.items()):
            typer.echo(f"  {kind}: {count}")
        if status.last_error:
            typer.echo(t("cli.sync.status_error", error=status.last_error))
        if status.stream_stopped:
            typer.echo(t("cli.sync.status_stopped", reason=status.stream_stopped))


@sync_app.command("export-bundle")
@global_options("data_dir", "config", "lang")
def export_bundle_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write the bundle (e.g. a USB stick).")],
    *,
    opts: Options,
) -> None:
    """Write every change HQ has not acknowledged to a signed file, for when there is no link."""
    with command_env(ctx, opts) as env:
        gate, creds = _credentials(env)
        data, count = build_bundle(sync_io.ServicePorts(gate), creds.device_id, creds.token)
        if count == 0:
            typer.echo(env.t("cli.sync.bundle_empty"))
            return
        tmp = file.with_name(file.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(file)
        except OSError as exc:
            fail(
                env.t,
                "cli.sync.bundle_write_failed",
                path=str(file),
                detail=exc.strerror or str(exc),
            )
        typer.echo(env.t("cli.sync.bundle_written", count=count, path=str(file)))


@global_options("data_dir", "config", "lang")
def enroll_command(
    ctx: typer.Context,
    hq_url: Annotated[str, typer.Argument(help="HQ address, e.g. https://hq.example:8443")],
    code: Annotated[str, typer.Argument(help="One-time enrollment code printed by HQ")],
    name: Annotated[str, typer.Option("--name", help="A name for this terminal at HQ")] = "",
    *,
    opts: Options,
) -> None:
    """Exchange HQ's one-time code for this terminal's sync credentials."""
    with command_env(ctx, opts) as env:
        gate = env.gate()
        try:
            answer = enroll(hq_url, code, gate.device_id, name or gate.checkpoint_code)
        except EnrollmentError as exc:
            fail(env.t, "cli.sync.enroll_failed", detail=str(exc))
        sync_io.save_enrollment(gate, hq_url, answer.token, answer.site, answer.acked_seq)
        typer.echo(env.t("cli.sync.enrolled", device=answer.device, site=answer.site))
