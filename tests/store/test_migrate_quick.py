"""The quick schema check at start: the head read from the revision files, the stored
revision read with one query, alembic only when they differ or the look is unsure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic import command

from gateui.config import SiteConfig
from gateui.services import auth
from gateui.services.context import open_gate
from gateui.store.db import Database
from gateui.store.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    quick_head_revision,
    stored_revision,
    upgrade_to_head,
)
from gateui.store.peek import ready_at_head_with_users

ROOT = Path(__file__).resolve().parents[2]


def test_quick_head_is_alembic_head() -> None:
    assert quick_head_revision() == head_revision() is not None


def _revision(versions: Path, name: str, revision: str, down: str) -> None:
    (versions / f"{name}.py").write_text(
        f'"""{name}"""\n\nrevision = "{revision}"\ndown_revision = {down}\n', encoding="utf-8"
    )


def test_quick_head_is_none_whenever_the_files_are_unusual(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    _revision(versions, "a", "0001", "None")
    _revision(versions, "b", "0002", '"0001"')
    assert quick_head_revision(versions) == "0002"
    # Annotated lines, as newer alembic templates write them, read the same.
    (versions / "c.py").write_text(
        'revision: str = "0003"\ndown_revision: str | None = "0002"\n', encoding="utf-8"
    )
    assert quick_head_revision(versions) == "0003"
    _revision(versions, "d", "0004", '"0002"')  # a second head
    assert quick_head_revision(versions) is None
    (versions / "d.py").write_text('revision = "0004"\ndown_revision = ("0002", "0003")\n')
    assert quick_head_revision(versions) is None  # a merge: alembic decides
    (versions / "d.py").unlink()
    _revision(versions, "e", "0005", '"0009"')  # a parent nobody has
    assert quick_head_revision(versions) is None


def test_a_file_behind_head_is_still_upgraded(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    try:
        assert stored_revision(db) is None  # a new file: no version table yet
        cfg = alembic_config()
        with db.writer.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        assert stored_revision(db) == "0001" != quick_head_revision()
        upgrade_to_head(db)
        assert stored_revision(db) == current_revision(db) == head_revision()
    finally:
        db.dispose()


def test_opening_a_file_at_head_does_not_load_alembic(tmp_path: Path) -> None:
    path = tmp_path / "gate.db"
    open_gate(path, SiteConfig()).db.dispose()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from gateui.config import SiteConfig\n"
        "from gateui.services.context import open_gate\n"
        f"ctx = open_gate(Path({str(path)!r}), SiteConfig())\n"
        "ctx.db.dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_peek_says_ready_only_at_head_with_users(tmp_path: Path) -> None:
    path = tmp_path / "gate.db"
    assert not ready_at_head_with_users(path)
    assert not path.exists()  # looking did not create the file
    ctx = open_gate(path, SiteConfig())
    try:
        assert not ready_at_head_with_users(path)  # nobody could log in
        auth.create_user(ctx, "王强", "guard", "B1001", "1234")
        assert ready_at_head_with_users(path)
        with ctx.db.writer.begin() as conn:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
        assert not ready_at_head_with_users(path)  # behind head: opened (and upgraded) first
    finally:
        ctx.db.dispose()
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert not ready_at_head_with_users(tmp_path / "junk.db")
