"""`gateui` alone starts the gate terminal: with a database ready as it is, the login
screen comes before SQLAlchemy and the other heavy libraries are loaded; otherwise the
database is created or upgraded (and checked for users) before any screen."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from alembic import command

from gateui.store.db import Database
from gateui.store.migrate import alembic_config, head_revision
from tests.cli.conftest import Invoke

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "argon2",
    "openpyxl",
    "qrcode",
    "httpx",
    "pypinyin",
    "pydantic",  # the site file is glanced at first, validated behind the login screen
    "pydantic_settings",
)
# Not heavy, but not needed either: `gateui` with only the root options parses them itself.
CLI = ("typer", "click", "shellingham")

# Runs the real `gateui` entry point with GateApp.run replaced by a report of what the app
# was given and which heavy packages were loaded by the time it would paint.
_PROBE = """
import json, sys
from gateui.tui.app import GateApp

def run(self, *args, **kwargs):
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    cli = sorted({m.split(".")[0] for m in sys.modules} & set(CLI))
    report = {"gate": type(self._opening or self._ctx).__name__, "heavy": heavy, "cli": cli,
              "checkpoint": self.checkpoint_code, "site": self.site.name}
    if self._opening is not None:  # and then the database opens, as in the worker
        try:
            from gateui.services.auth import list_users
            report["user_count"] = len(list_users(self.ctx))
        except Exception as exc:  # the app would end; `gateui` then reports it
            report["refused"] = type(exc).__name__
    print(json.dumps(report))

GateApp.run = run
sys.argv = ["gateui", "--data-dir", DATA]
from gateui.cli import main
main()
"""


def _start(home: Path) -> subprocess.CompletedProcess[str]:
    code = f"HEAVY = {HEAVY!r}\nCLI = {CLI!r}\nDATA = {str(home)!r}\n{_PROBE}"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_ready_database_opens_after_the_first_paint(gateui: Invoke, home: Path) -> None:
    assert gateui("user", "add", "王建军", "--role", "guard", "--badge", "G1", "--pin", "1234")
    done = _start(home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["gate"] == "GateOpening" and report["heavy"] == []
    assert report["cli"] == []  # the root options were parsed without typer
    assert report["checkpoint"] == "N1" and report["user_count"] == 1  # then it opens


def test_a_database_behind_head_is_upgraded_before_any_screen(home: Path) -> None:
    db = Database(home / "gate.db")
    cfg = alembic_config()
    with db.writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    db.dispose()
    done = _start(home)
    # Upgraded first; then, as the file has no users, a message instead of any screen.
    assert done.returncode == 1 and "gateui seed-demo" in done.stderr
    with sqlite3.connect(home / "gate.db") as conn:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    assert rows == [(head_revision(),)]


def test_a_site_file_refused_behind_the_login_screen_is_reported_as_before(
    gateui: Invoke, home: Path
) -> None:
    """The glance at the file is enough to paint (the keys it reads are fine), the full
    validation behind the login screen refuses the file: the same message and exit code as
    when `gateui` validates everything before any screen (as typer's root command does)."""
    assert gateui("user", "add", "王建军", "--role", "guard", "--badge", "G1", "--pin", "1234")
    (home / "site.toml").write_text('[site]\nname = "三号矿"\nprivacy_days = 0\n', "utf-8")
    done = _start(home)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["gate"] == "GateOpening" and report["heavy"] == []
    assert report["site"] == "三号矿" and report["refused"] == "ConfigError"
    before_any_screen = gateui()
    assert done.returncode == before_any_screen.exit_code == 1
    assert done.stderr == before_any_screen.output
    assert "privacy_days" in done.stderr
