"""Create or upgrade the schema with alembic (never `create_all`: the migrations are the truth)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from gateui.store.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db: Database) -> None:
    """Bring the file to the newest schema; a no-op when it is already there."""
    if current_revision(db) == head_revision():
        return
    cfg = alembic_config()
    # The writer engine begins with BEGIN IMMEDIATE: two processes upgrading at once
    # serialize instead of racing.
    with db.writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
