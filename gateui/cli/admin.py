"""`gateui seed-demo` and `gateui user add` (starting the TUI is in `gateui.cli.start`)."""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated, Literal

import typer

from gateui.cli.common import Options, command_env, global_options
from gateui.config import SiteConfig
from gateui.services.auth import create_user
from gateui.services.registry import PERSON_KINDS
from gateui.services.seed import ensure_empty, seed_demo

Role = Literal["guard", "leader", "admin"]


def site_toml(site: SiteConfig) -> str:
    """The site file of a site, with the fields a site usually edits."""
    lines = [
        "# GateUI site file, written by `gateui seed-demo`. Edit freely; see the README.",
        "[site]",
        f"code = {_q(site.code)}",
        f"name = {_q(site.name)}",
        f"timezone = {_q(site.timezone)}",
        f"language = {_q(site.language)}",
        f"idle_lock_seconds = {site.idle_lock_seconds}",
        f"high_contrast = {'true' if site.high_contrast else 'false'}",
    ]
    for cp in site.checkpoints:
        lines += ["", "[[site.checkpoints]]", f"code = {_q(cp.code)}", f"name = {_q(cp.name)}"]
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where a Chinese character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


@global_options()
def seed_demo_command(
    ctx: typer.Context,
    people: Annotated[int, typer.Option("--people", min=5, help="How many people.")] = 2000,
    vehicles: Annotated[int, typer.Option("--vehicles", min=0, help="How many vehicles.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same demo.")] = 42,
    *,
    opts: Options,
) -> None:
    """Create a deterministic demo site and print the demo users' badge codes and PINs.

    People of every kind, vehicles, a watch list and demo users. Refuses a database that
    already holds people.
    """
    with command_env(ctx, opts) as env:
        t = env.t
        gate = env.gate()
        ensure_empty(gate)
        typer.echo(t("cli.seed.working", people=people, vehicles=vehicles))
        summary = seed_demo(gate, people=people, vehicles=vehicles, seed=seed)
        typer.echo(
            t(
                "cli.seed.done",
                people=summary.people,
                vehicles=summary.vehicles,
                path=str(env.settings.db_path),
            )
        )
        kinds = ", ".join(
            f"{t('cli.kind.' + k)} {summary.people_by_kind[k]}"
            for k in PERSON_KINDS
            if k in summary.people_by_kind
        )
        if not env.config_given and not env.config_path.exists():
            # Write down the settings the demo used (the defaults), as a file to edit.
            env.config_path.write_text(site_toml(env.site), encoding="utf-8")
            typer.echo(t("cli.seed.wrote_site", path=str(env.config_path)))
        typer.echo(t("cli.seed.people_by_kind", kinds=kinds))
        typer.echo(
            t(
                "cli.seed.checkpoints",
                checkpoints=", ".join(f"{code} {name}" for code, name in summary.checkpoints),
            )
        )
        typer.echo(
            t(
                "cli.seed.flags",
                watch=summary.watch_entries,
                statuses=sum(summary.statuses.values()),
            )
        )
        typer.echo("")
        typer.echo(t("cli.seed.users_title"))
        rows = [(t("cli.seed.role"), t("cli.seed.name"), t("cli.seed.badge"), t("cli.seed.pin"))]
        rows += [(t("cli.role." + u.role), u.name, u.badge, u.pin) for u in summary.users]
        for row in rows:
            typer.echo("  " + "".join(_pad(cell, 10) for cell in row).rstrip())
        if summary.rota_guards:
            typer.echo(
                t(
                    "cli.seed.rota_guards",
                    count=len(summary.rota_guards),
                    first=summary.rota_guards[0].badge,
                    last=summary.rota_guards[-1].badge,
                    pin=summary.rota_guards[0].pin,
                )
            )
        typer.echo("")
        typer.echo(
            t(
                "cli.seed.try",
                card=summary.sample_card,
                suffix=summary.sample_id_suffix,
                plate=summary.sample_plate,
            )
        )


@global_options()
def user_add_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The user's name, e.g. 王建军.")],
    role: Annotated[Role, typer.Option("--role", help="guard, leader or admin")],
    badge: Annotated[str, typer.Option("--badge", help="Badge code (what the scanner reads).")],
    pin: Annotated[
        str | None,
        typer.Option("--pin", help="PIN of 4-8 digits; asked for (hidden) when not given."),
    ] = None,
    *,
    opts: Options,
) -> None:
    """Create a guard, shift leader or admin who logs in with badge (or name) and PIN."""
    with command_env(ctx, opts) as env:
        t = env.t
        if pin is None:
            pin = typer.prompt(
                t("cli.user.pin_prompt"),
                hide_input=True,
                confirmation_prompt=t("cli.user.pin_again"),
            )
        create_user(env.gate(), name, role, badge.strip(), pin.strip())
        typer.echo(t("cli.user.created", name=name, role=t("cli.role." + role), badge=badge))
