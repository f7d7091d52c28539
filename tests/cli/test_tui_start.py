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
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "argon2", "openpyxl", "qrcode", "httpx", "pypinyin")
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
        from gateui.services.auth import list_users
        report["user_count"] = len(list_users(self.ctx))
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
