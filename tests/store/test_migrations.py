"""The alembic migrations are the schema: they must build exactly what the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import gateui.store.models  # noqa: F401
from gateui.store.db import Database
from gateui.store.migrate import current_revision, head_revision, upgrade_to_head


def test_empty_database_upgrades_to_head_and_matches_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    assert current_revision(db) is None
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()
    with db.reader.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    upgrade_to_head(db)
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()


def test_pragmas_are_durable(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    upgrade_to_head(db)
    with db.writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
