"""The local SQLite database shared by the TUI, the sync daemon and exports.

Invariant 1 of DESIGN.md: WAL journal, synchronous=FULL, foreign keys on, a busy timeout.
Two engines on the same file: writes start with BEGIN IMMEDIATE so that two processes
never both read the change log's last sequence and then both try to append (a deferred
BEGIN would upgrade to a write lock late and fail with SQLITE_BUSY); reads use a plain
deferred BEGIN so exports never hold the write lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from gateui.errors import StorageError

BUSY_TIMEOUT_MS = 10_000


def _make_engine(path: Path, begin_sql: str) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module (it would BEGIN lazily).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin_sql)

    return engine


def storage_error_code(exc: BaseException) -> str:
    """Name the storage failure in words a guard can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "full" in text:
        return "storage.disk_full"
    if "readonly" in text or "read-only" in text or "read only" in text:
        return "storage.read_only"
    if "locked" in text or "busy" in text:
        return "storage.locked"
    if "unable to open" in text:
        return "storage.cannot_open"
    return "storage.failed"


class Database:
    """One SQLite file; `write()` is the only way to change it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("storage.cannot_open", path=str(path), detail=str(exc)) from exc
        self.writer = _make_engine(path, "BEGIN IMMEDIATE")
        self.reader = _make_engine(path, "BEGIN")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any exception."""
        session = Session(self.writer, expire_on_commit=False, autoflush=True)
        try:
            yield session
            session.commit()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            raise StorageError(storage_error_code(exc), detail=str(exc.orig)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = Session(self.reader, expire_on_commit=False)
        try:
            yield session
        except (OperationalError, DBAPIError) as exc:
            raise StorageError(storage_error_code(exc), detail=str(exc.orig)) from exc
        finally:
            session.close()

    def integrity_check(self) -> str:
        with self.reader.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()
