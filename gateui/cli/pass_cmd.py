"""`gateui pass issue|keys|revoke` and `gateui privacy purge`.

    gateui pass issue PERSON… [--all-staff] [--days N] [--out DIR] [--key ID]
    gateui pass keys [--create-site-key [--label TEXT]] [--add-hq-key BASE64]
    gateui pass revoke TOKEN --reason TEXT --leader BADGE [--pin PIN]
    gateui privacy purge [--days N]

A person is named by ID number, card code or registry id. One pass is also printed as a QR
code in the terminal (dark on light, as phone scanners expect); every pass is written as a
PNG, and all of them on a printable A4 sheet (passes.pdf, eight to a page).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from gateui.cli.common import (
    LeaderPinOpt,
    Options,
    command_env,
    fail,
    global_options,
    signing_leader,
)
from gateui.services import passes, privacy
from gateui.services.pass_people import all_staff, resolve_people

pass_app = typer.Typer(
    help="QR passes: issue, list the keys, revoke one. 通行证。", no_args_is_help=True
)
privacy_app = typer.Typer(help="Personal data: purge old entries. 隐私清理。", no_args_is_help=True)


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


@pass_app.command("issue")
@global_options()
def issue_command(
    ctx: typer.Context,
    people: Annotated[
        list[str] | None,
        typer.Argument(help="ID numbers, card codes or registry ids of the holders."),
    ] = None,
    all_staff_: Annotated[
        bool, typer.Option("--all-staff", help="Every employee in normal status.")
    ] = False,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="Days of validity.")] = 30,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the PNGs and passes.pdf.", file_okay=False)
    ] = Path("passes"),
    key: Annotated[
        str | None, typer.Option("--key", help="Key id to sign with (if the site holds several).")
    ] = None,
    *,
    opts: Options,
) -> None:
    """Sign passes valid from now for --days; write PNGs and a printable sheet."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        holders = resolve_people(gate, people or [])
        if all_staff_:
            known = {h.id for h in holders}
            holders += [p for p in all_staff(gate) if p.id not in known]
        if not holders:
            fail(t, "cli.pass.no_staff" if all_staff_ else "cli.pass.nobody")
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(t, "cli.pass.cannot_create_dir", path=str(out), detail=exc.strerror or str(exc))
        now = gate.now()
        issued = passes.issue_passes(
            gate, [h.id for h in holders], key, now, now + timedelta(days=days), out
        )
        zone = gate.site.zone
        if len(issued) == 1:
            typer.echo(passes.terminal_qr(issued[0].token, invert=True))
            typer.echo(t("cli.pass.token", token=issued[0].token))
        for v in issued:
            typer.echo(
                t(
                    "cli.pass.issued_line",
                    name=v.name,
                    unit=v.unit or "-",
                    masked=v.masked_id or "-",
                    file=str(v.png_path),
                )
            )
        typer.echo(t("cli.pass.sheet", file=str(out / passes.SHEET_NAME)))
        typer.echo(
            t(
                "cli.pass.issued",
                count=len(issued),
                key_id=issued[0].key_id,
                valid_from=_local(issued[0].valid_from, zone),
                valid_until=_local(issued[0].valid_until, zone),
            )
        )


@pass_app.command("keys")
@global_options()
def keys_command(
    ctx: typer.Context,
    create_site_key: Annotated[
        bool, typer.Option("--create-site-key", help="Generate this site's own issuing key.")
    ] = False,
    label: Annotated[str, typer.Option("--label", help="A label for the new key.")] = "",
    add_hq_key: Annotated[
        str | None,
        typer.Option("--add-hq-key", help="Hold HQ's public key (base64, from HQ) to verify."),
    ] = None,
    *,
    opts: Options,
) -> None:
    """List the pass keys this site holds (and optionally add one)."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate()
        if add_hq_key is not None:
            typer.echo(t("cli.pass.key_added", key_id=passes.add_key(gate, add_hq_key, "hq")))
        if create_site_key:
            typer.echo(t("cli.pass.key_created", key_id=passes.create_site_key(gate, label)))
        keys = passes.list_keys(gate)
        if not keys:
            typer.echo(t("cli.pass.no_keys"))
        for k in keys:
            typer.echo(
                t(
                    "cli.pass.key_line",
                    key_id=k.key_id,
                    origin=k.origin,
                    use=t("cli.pass.key_can_issue" if k.can_issue else "cli.pass.key_verify_only"),
                    state=t("cli.pass.key_revoked" if k.revoked else "cli.pass.key_valid"),
                    created=_local(k.created_at, gate.site.zone),
                    label=k.label,
                ).rstrip()
            )


@pass_app.command("revoke")
@global_options()
def revoke_command(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="The pass code (GP1…), as scanned or printed.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: lost, left the company…")],
    leader: Annotated[str, typer.Option("--leader", help="The revoking leader's badge code.")],
    pin: LeaderPinOpt = None,
    *,
    opts: Options,
) -> None:
    """Revoke one pass before its end: the gate refuses it from now on; sync tells HQ."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        signer = signing_leader(gate, t, leader, pin)
        view = passes.revoke_pass(gate, token, reason, signer.id)
        typer.echo(
            t(
                "cli.pass.revoked",
                digest=view.pass_sha256[:12],
                holder=view.holder or t("cli.pass.unknown_holder"),
                key_id=view.key_id,
                until=_local(view.valid_until, gate.site.zone),
                reason=view.reason,
            )
        )


@privacy_app.command("purge")
@global_options()
def purge_command(
    ctx: typer.Context,
    days: Annotated[
        int | None,
        typer.Option("--days", min=1, help="Keep this many days (default: privacy_days)."),
    ] = None,
    *,
    opts: Options,
) -> None:
    """Replace health answers and full ID numbers of old entries HQ has acknowledged."""
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate(create=False)
        keep = days or env.site.privacy_days
        result = privacy.purge(gate, keep)
        if not result.purged and not result.payloads:
            typer.echo(t("cli.privacy.nothing", days=keep))
            return
        typer.echo(t("cli.privacy.done", count=result.purged, days=keep))
        if result.payloads:
            typer.echo(t("cli.privacy.payloads", count=result.payloads))
        typer.echo(t("cli.privacy.changes", ids=", ".join(result.changes)))
