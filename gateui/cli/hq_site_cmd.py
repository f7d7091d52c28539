"""`gateui hq …` commands for the data HQ publishes to the sites beyond the registry:

    gateui hq checklist --site S FILE.toml   the site's checklist ([[checklist]] or the site
                                             file's [[site.checklist]]); --clear withdraws it
    gateui hq pass-key add BASE64 [--label L] | revoke KEY_ID | list
    gateui hq pass-revoke TOKEN|SHA256 --reason R (--site S | --all)

Each publishes through sync.hq.site_reference; the gates apply it at their next pull. A site
or key HQ does not know (or a revoked key added again) is refused by `open_hq`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer

from gateui.cli.common import LangOpt, Options, command_env, echo_err, fail
from gateui.cli.hq_db import DbOpt, open_hq
from gateui.domain.checklist import checklist_from_config, label_keys
from gateui.i18n import Translator


def read_checklist_file(t: Translator, file: Path) -> list[dict[str, Any]]:
    """The checklist items of a TOML file: `[[checklist]]` tables, or the site file's own
    `[[site.checklist]]`, so a site's file can be sent as it is."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(t, "cli.hq.cannot_read", path=str(file), detail=exc.strerror or str(exc))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        fail(t, "cli.hq.bad_toml", path=str(file), detail=str(exc))
    section = data.get("site", data)
    items = section.get("checklist") if isinstance(section, dict) else None
    if not isinstance(items, list) or not items:
        fail(t, "cli.hq.no_checklist", path=str(file))
    return items


def checklist_command(
    ctx: typer.Context,
    site: Annotated[str, typer.Option("--site", help="The site whose gates use it.")],
    file: Annotated[
        Path | None, typer.Argument(help="TOML file: [[checklist]] or [[site.checklist]]")
    ] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Withdraw HQ's checklist: the site file's applies.")
    ] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Publish a checklist to a site's gates; each gate uses it from its next pull on."""
    from sync.hq.site_reference import publish_checklist

    with command_env(ctx, Options(lang=lang)) as env:
        t = env.t
        if (file is None) == (not clear):
            fail(t, "cli.hq.checklist_file_or_clear")
        items = read_checklist_file(t, file) if file is not None else None
        with open_hq(db, t) as hq:
            published = publish_checklist(hq, site, items)
        if items is not None:
            missing = [k for k in label_keys(checklist_from_config(items)) if not t.has(k)]
            if missing:
                echo_err(t("cli.hq.checklist_untranslated", keys=", ".join(missing)))
        if not published.changed:
            typer.echo(t("cli.hq.unchanged", cursor=published.cursor))
        elif items is None:
            typer.echo(t("cli.hq.checklist_cleared", site=site, cursor=published.cursor))
        else:
            typer.echo(
                t("cli.hq.checklist_done", site=site, count=len(items), cursor=published.cursor)
            )


pass_key_app = typer.Typer(
    help="HQ's pass keys: the sites verify passes with them. 总部通行证密钥。",
    no_args_is_help=True,
)


@pass_key_app.command("add")
def pass_key_add_command(
    ctx: typer.Context,
    public_key: Annotated[str, typer.Argument(help="Public key, base64 of the raw 32 bytes")],
    label: Annotated[str, typer.Option("--label", help="A name for people")] = "",
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Send a public key to every site; their gates then accept the passes it signs."""
    from sync.hq.site_reference import add_pass_key

    with command_env(ctx, Options(lang=lang)) as env:
        with open_hq(db, env.t) as hq:
            key_id, published = add_pass_key(hq, public_key, label)
        if published.changed:
            typer.echo(env.t("cli.hq.key_published", key_id=key_id, cursor=published.cursor))
        else:
            typer.echo(env.t("cli.hq.key_known", key_id=key_id))


@pass_key_app.command("revoke")
def pass_key_revoke_command(
    ctx: typer.Context,
    key_id: Annotated[str, typer.Argument(help="Key id (8 hex digits)")],
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Withdraw a key at every site: the passes it signed are refused from their next pull."""
    from sync.hq.site_reference import revoke_pass_key

    with command_env(ctx, Options(lang=lang)) as env:
        with open_hq(db, env.t) as hq:
            published = revoke_pass_key(hq, key_id)
        if published.changed:
            typer.echo(env.t("cli.hq.key_revoked", key_id=key_id.upper(), cursor=published.cursor))
        else:
            typer.echo(env.t("cli.hq.key_already_revoked", key_id=key_id.upper()))


@pass_key_app.command("list")
def pass_key_list_command(ctx: typer.Context, db: DbOpt = None, lang: LangOpt = None) -> None:
    """HQ's pass keys, revoked ones included."""
    from sync.hq.site_reference import list_pass_keys

    with command_env(ctx, Options(lang=lang)) as env:
        with open_hq(db, env.t) as hq:
            keys = list_pass_keys(hq)
        if not keys:
            typer.echo(env.t("cli.hq.no_keys"))
        for k in keys:
            state = (
                env.t("cli.hq.revoked") + " " + k.revoked_at.strftime("%Y-%m-%d %H:%M UTC")
                if k.revoked_at
                else env.t("cli.hq.active")
            )
            typer.echo(
                env.t(
                    "cli.hq.key_line",
                    key_id=k.key_id,
                    label=k.label or "-",
                    state=state,
                    public_key=k.public_key,
                )
            )


def pass_revoke_command(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="The pass as scanned (GP1…) or its SHA-256")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the revocation)")] = "",
    site: Annotated[str | None, typer.Option("--site", help="Only this site")] = None,
    all_sites: Annotated[bool, typer.Option("--all", help="Every site")] = False,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Withdraw one pass; the gates refuse it from their next pull on."""
    from sync.hq.site_reference import revoke_pass

    with command_env(ctx, Options(lang=lang)) as env:
        t = env.t
        if (site is None) == (not all_sites):
            fail(t, "cli.hq.site_or_all")
        if not reason.strip():
            fail(t, "cli.hq.reason_required")
        with open_hq(db, t) as hq:
            published = revoke_pass(hq, subject, reason, site)
        scope = site if site is not None else t("cli.hq.all_sites")
        if published.changed:
            typer.echo(t("cli.hq.pass_revoked", scope=scope, cursor=published.cursor))
        else:
            typer.echo(t("cli.hq.pass_already_revoked", scope=scope))


def register(hq_app: typer.Typer) -> None:
    hq_app.command("checklist")(checklist_command)
    hq_app.add_typer(pass_key_app, name="pass-key")
    hq_app.command("pass-revoke")(pass_revoke_command)
