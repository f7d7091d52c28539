"""Create or upgrade the schema with alembic (never `create_all`: the migrations are the truth).

Every start of the terminal asks "is this file at the newest schema?". Alembic answers in
~0.2 s, most of it importing alembic itself, so the common answer (yes) is found without it:
the head is read from the revision files' own `revision` / `down_revision` lines and compared
with the file's `alembic_version` row. Whenever that quick look is unsure (a merge, an
unusual file, no version table) alembic decides, exactly as before.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

    from gateui.store.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(
    r"^(down_revision|revision)\s*(?::[^=\n]*)?=\s*(?:(None)|[\"']([^\"'\n]+)[\"'])\s*$",
    re.MULTILINE,
)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def quick_head_revision(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The single head of the revision files, read without alembic; None when unsure.

    Each file must say `revision = "…"` and `down_revision = "…"` (or None) once, as alembic
    writes them; a merge revision (a tuple), a missing line or two heads give None, and the
    caller then asks alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(versions.glob("*.py")):
        found: dict[str, list[str | None]] = {"revision": [], "down_revision": []}
        for m in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")):
            found[m.group(1)].append(None if m.group(2) else m.group(3))
        if len(found["revision"]) != 1 or len(found["down_revision"]) != 1:
            return None
        revision, parent = found["revision"][0], found["down_revision"][0]
        if revision is None:
            return None
        revisions.add(revision)
        if parent is not None:
            parents.add(parent)
    heads = revisions - parents
    if len(heads) != 1 or not parents <= revisions:
        return None
    return heads.pop()


def stored_revision(db: Database) -> str | None:
    """The file's `alembic_version`, read with one plain query; None for a new file."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.reader.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except SQLAlchemyError:  # no such table yet: a new or foreign file, alembic decides
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.reader.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(db: Database) -> None:
    """Bring the file to the newest schema; a no-op when it is already there."""
    head = quick_head_revision()
    if head is not None and stored_revision(db) == head:
        return  # the usual start: already at the newest schema, alembic not even imported
    if current_revision(db) == head_revision():
        return
    from alembic import command

    cfg = alembic_config()
    # The writer engine begins with BEGIN IMMEDIATE: two processes upgrading at once
    # serialize instead of racing.
    with db.writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
