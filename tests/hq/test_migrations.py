"""HQ's alembic migrations are its schema: they must build exactly what the models describe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sync.hq.core.config import HQSettings
from sync.hq.db import HQDatabase
from sync.hq.migrate import current_revision, head_revision, upgrade_to_head
from sync.hq.models import HQBase
from tests.hq.conftest import BACKENDS, database_url


@pytest.fixture(params=BACKENDS)
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HQDatabase]:
    with database_url(request.param, tmp_path) as url:
        db = HQDatabase(HQSettings(database_url=url))
        yield db
        db.dispose()


def test_empty_database_upgrades_to_head_and_matches_the_models(empty_db: HQDatabase) -> None:
    assert current_revision(empty_db) is None
    upgrade_to_head(empty_db)
    assert current_revision(empty_db) == head_revision() is not None
    with empty_db.reader.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), HQBase.metadata)
        tables = set(conn.dialect.get_table_names(conn))
    assert diff == [], f"models and migrations differ: {diff}"
    assert set(HQBase.metadata.tables) <= tables
    upgrade_to_head(empty_db)  # a second upgrade is a no-op
    assert current_revision(empty_db) == head_revision()


def test_sqlite_is_durable_and_shared_safely(tmp_path: Path) -> None:
    db = HQDatabase(HQSettings(database_url=str(tmp_path / "hq.db")))
    upgrade_to_head(db)
    with db.writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 5000
    db.dispose()
    assert db.url.database == str((tmp_path / "hq.db").resolve())
