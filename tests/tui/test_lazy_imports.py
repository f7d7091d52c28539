"""What loads before the login screen's first paint, and behind it: the roster package
loads a submodule only when one of its names is used, and the shift screen (loaded behind
the login for every guard) leaves the roster grid, planning, publishing and export screens
until a leader opens them. Each check runs in a fresh interpreter, so nothing a test loaded
before hides what the import really pulls in."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROSTER_WORK = ("calendar", "events", "fairness", "generator", "rules", "schedule", "state")


def loaded_after(code: str, prefix: str) -> list[str]:
    """The modules under `prefix` that are loaded once `code` has run."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules"
    probe += f" if m.startswith({prefix!r}))))"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return modules


def test_the_site_file_model_loads_only_the_roster_config() -> None:
    # gateui.config (the site file, read before the first paint) needs RosterConfig alone.
    loaded = loaded_after("import gateui.config", "gateui.domain.roster")
    assert loaded == ["gateui.domain.roster", "gateui.domain.roster.config"]


def test_every_roster_name_still_imports_from_the_package() -> None:
    code = """
import gateui.domain.roster as roster
from importlib import import_module
homes = {}
for name in roster.__all__:
    value = getattr(roster, name)
    homes[name] = value.__module__
    assert getattr(import_module(value.__module__), name) is value
from gateui.domain.roster import CellKey, fold
assert fold is roster.fold and CellKey.__module__ == "gateui.domain.roster.calendar"
try:
    roster.no_such_name
except AttributeError as exc:
    assert "no_such_name" in str(exc)
else:
    raise SystemExit("a misspelt name must fail")
"""
    loaded = loaded_after(code, "gateui.domain.roster.")
    assert {m.rsplit(".", 1)[1] for m in loaded} >= {*ROSTER_WORK, "config"}


def test_the_shift_screen_leaves_the_roster_screens_until_opened() -> None:
    loaded = loaded_after("import gateui.tui.screens.roster_shift", "gateui.tui.screens.roster")
    assert "gateui.tui.screens.roster_handover" in loaded  # shown right after a login
    for heavy in ("roster", "roster_publish", "roster_plan", "roster_edit", "roster_attendance"):
        assert f"gateui.tui.screens.{heavy}" not in loaded
    assert "gateui.services.roster_export" not in loaded_after(
        "import gateui.tui.screens.roster_shift", "gateui.services.roster_export"
    )
