"""A glance at a gate database file with the standard library only, before SQLAlchemy loads.

The terminal uses it to decide whether it may paint the login screen first and open the
database behind it (see `gateui.services.startup`): only a file that exists, is already at
the newest schema and has users qualifies. Anything unexpected answers "no", and the
terminal then opens the database before its first screen, as it always did.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gateui.store.migrate import quick_head_revision


def ready_at_head_with_users(path: Path) -> bool:
    """True when `path` is a gate database at the newest schema holding at least one user."""
    head = quick_head_revision()
    if head is None or not path.is_file():  # sqlite3 would create a missing file
        return False
    try:
        conn = sqlite3.connect(path, timeout=2.0)  # a writer holds the lock briefly
    except sqlite3.Error:
        return False
    try:
        versions = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        user = conn.execute("SELECT 1 FROM app_user LIMIT 1").fetchone()
    except sqlite3.Error:  # not a gate database, locked, damaged: the slow path tells why
        return False
    finally:
        conn.close()
    return versions == [(head,)] and user is not None
