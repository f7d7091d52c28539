"""Create or upgrade HQ's schema with alembic (its own environment, not the terminal's)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from sync.hq.db import HQDatabase

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: HQDatabase) -> str | None:
    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db: HQDatabase) -> None:
    """Bring the database to the newest schema; a no-op when it is already there.

    Safe when several workers start at once: SQLite's BEGIN IMMEDIATE or PostgreSQL's
    advisory lock lets one of them migrate while the others wait, then find nothing to do.
    """
    if current_revision(db) == head_revision():
        return
    cfg = alembic_config()
    with db.writer.begin() as conn:
        db.lock_migrations(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
