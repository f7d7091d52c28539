"""The local SQLite database shared by the TUI, the sync daemon and exports.

Invariant 1 of DESIGN.md: WAL journal, synchronous=FULL, foreign keys on, a busy timeout.
Two engines on the same file: writes start with BEGIN IMMEDIATE so that two processes
never both read the change log's last sequence and then both try to append (a deferred
BEGIN would upgrade to a write lock late and fail with SQLITE_BUSY); reads use a plain
deferred BEGIN so exports never hold the write lock.

The gate's save path (an entry, its presence and its change, ~10 times a minute per gate
and measured by scripts/bench_gate.py) does not go through the ORM's unit of work: it runs
a few cached SQL statements on the writer's own sqlite3 connection (`SqlTx`), inside the
same BEGIN IMMEDIATE ... COMMIT, with the same pragmas, so "returned" still means "on disk".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session

from gateui.errors import StorageError
from gateui.store.checkpoint import BACKSTOP_PAGES, SQLITE_DEFAULT_AUTOCHECKPOINT, Checkpointer

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


@dataclass
class SqlTx:
    """A write transaction at the sqlite3 level: the writer connection, already inside
    BEGIN IMMEDIATE, and a scratch dict for what the transaction may remember (the
    change log's tail: nobody else can append while the write lock is held)."""

    conn: sqlite3.Connection
    info: dict[str, Any] = field(default_factory=dict)


def session_tx(session: Session, flush: bool = True) -> SqlTx:
    """The session's own transaction as an SqlTx (same connection, same BEGIN IMMEDIATE).

    Pending ORM objects are flushed first, so that plain statements see them (foreign keys
    are checked at once); `flush=False` for statements that depend on no other row (the
    change log), so a bulk import keeps its batched inserts. `info` is the session's, so
    the change log's cached tail is shared by every append of the transaction.
    """
    if flush:
        session.flush()
    pooled = session.connection().connection
    return SqlTx(cast(sqlite3.Connection, pooled.driver_connection), session.info)


def _rollback(conn: sqlite3.Connection) -> bool:
    """Roll back if a transaction is open; False if even that failed (an I/O error): the
    caller then discards the connection rather than pool it. After a failed COMMIT SQLite
    may already have rolled back, and a second ROLLBACK would hide the first error."""
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return True
    except sqlite3.Error:
        return False


class Database:
    """One SQLite file; `write()` and `write_sql()` are the only ways to change it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError("storage.cannot_open", path=str(path), detail=str(exc)) from exc
        self.writer = _make_engine(path, "BEGIN IMMEDIATE")
        self.reader = _make_engine(path, "BEGIN")
        # Background checkpoints (gateui.store.checkpoint), for the gate terminal only.
        self.checkpointer: Checkpointer | None = None
        self._autocheckpoint = SQLITE_DEFAULT_AUTOCHECKPOINT

        @event.listens_for(self.writer, "checkout")
        def _on_checkout(dbapi_conn: sqlite3.Connection, record: Any, _proxy: Any) -> None:
            # Only when it changed: a dict look-up per checkout otherwise.
            if record.info.get("wal_autocheckpoint") != self._autocheckpoint:
                dbapi_conn.execute(f"PRAGMA wal_autocheckpoint={self._autocheckpoint}")
                record.info["wal_autocheckpoint"] = self._autocheckpoint

    def start_checkpointer(
        self, checkpointer: Checkpointer | None = None, backstop_pages: int = BACKSTOP_PAGES
    ) -> Checkpointer:
        """Checkpoint in a background thread from now on; the writer's own automatic
        checkpoint becomes a backstop at `backstop_pages`. Idempotent."""
        if self.checkpointer is None:
            self.checkpointer = checkpointer or Checkpointer(self.path)
            self.checkpointer.start()
            self._autocheckpoint = backstop_pages
        return self.checkpointer

    def stop_checkpointer(self) -> None:
        """Back to SQLite's automatic checkpoints in the commit (for the next checkout)."""
        checkpointer, self.checkpointer = self.checkpointer, None
        self._autocheckpoint = SQLITE_DEFAULT_AUTOCHECKPOINT
        if checkpointer is not None:
            checkpointer.stop()

    def _committed(self) -> None:
        checkpointer = self.checkpointer
        if checkpointer is not None:
            checkpointer.notify()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any exception."""
        session = Session(self.writer, expire_on_commit=False, autoflush=True)
        try:
            yield session
            session.commit()
            self._committed()
        except (OperationalError, DBAPIError) as exc:
            session.rollback()
            raise StorageError(storage_error_code(exc), detail=str(exc.orig)) from exc
        except sqlite3.Error as exc:  # from plain statements run through session_tx
            session.rollback()
            raise StorageError(storage_error_code(exc), detail=str(exc)) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def write_sql(self) -> Iterator[SqlTx]:
        """One transaction without a Session, for the hot save path: BEGIN IMMEDIATE on the
        writer's connection (WAL, synchronous=FULL, foreign keys, busy timeout as for
        `write()`), COMMIT on success, ROLLBACK on any exception."""
        try:
            pooled = self.writer.raw_connection()
        except (OperationalError, DBAPIError) as exc:
            raise StorageError(storage_error_code(exc), detail=str(exc.orig)) from exc
        conn = cast(sqlite3.Connection, pooled.driver_connection)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield SqlTx(conn)
            conn.execute("COMMIT")
            self._committed()
        except sqlite3.Error as exc:
            if not _rollback(conn):
                pooled.invalidate()
            raise StorageError(storage_error_code(exc), detail=str(exc)) from exc
        except BaseException:
            if not _rollback(conn):
                pooled.invalidate()
            raise
        finally:
            pooled.close()

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
        self.stop_checkpointer()
        self.writer.dispose()
        self.reader.dispose()
