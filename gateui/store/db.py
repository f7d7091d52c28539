"""The local SQLite database shared by the TUI, the sync daemon and exports.

Invariant 1 of DESIGN.md: WAL journal, synchronous=FULL, foreign keys on, a busy timeout.
Two engines on the same file: writes start with BEGIN IMMEDIATE so that two processes
never both read the change log's last sequence and then both try to append (a deferred
BEGIN would upgrade to a write lock late and fail with SQLITE_BUSY); reads use a plain
deferred BEGIN so exports never hold the write lock.

The gate's save path (an entry, its presence and its change, ~10 times a minute per gate
and measured by scripts/bench_gate.py) does not go through the ORM's unit of work: it runs
a few cached SQL statements on a writer sqlite3 connection (`SqlTx`), inside the same
BEGIN IMMEDIATE ... COMMIT, with the same pragmas, so "returned" still means "on disk".
Those connections are the writer engine's (its connect and checkout events set them up) but
kept out of its pool, in a list of idle ones: checking one out of SQLAlchemy's pool and
back (with its reset-on-return ROLLBACK) cost ~25 µs a save. A connection is used by one
thread at a time (popped from the list, pushed back when its transaction has ended); two
threads saving at once use two connections, and SQLite's lock and busy timeout arbitrate
between them exactly as between processes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, MutableMapping
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import Pool
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


def storage_error(exc: BaseException) -> StorageError:
    """The StorageError for an SQLite failure, raised by SQLAlchemy (the driver's error in
    `.orig`) or by the sqlite3 module itself."""
    return StorageError(storage_error_code(exc), detail=str(getattr(exc, "orig", exc)))


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


def _set_autocheckpoint(
    conn: sqlite3.Connection, info: MutableMapping[str, Any], pages: int
) -> None:
    """`PRAGMA wal_autocheckpoint`, only when it changed: a dict look-up per use otherwise."""
    if info.get("wal_autocheckpoint") != pages:
        conn.execute(f"PRAGMA wal_autocheckpoint={pages}")
        info["wal_autocheckpoint"] = pages


@dataclass
class _SqlConnection:
    """A writer connection of `write_sql`, with what was set on it since it was opened and
    the writer's pool of that time: `writer.dispose()` replaces the pool, and like the
    pool's own connections this one is then closed rather than used again (tests cap or
    lock the file that way, and every connection must then open it afresh)."""

    conn: sqlite3.Connection
    info: dict[str, Any]
    pool: Pool


class _SqlWrite:
    """`Database.write_sql()`: a plain class rather than a @contextmanager generator, whose
    machinery cost a few µs of every save."""

    __slots__ = ("_db", "_sql_conn")

    def __init__(self, db: Database) -> None:
        self._db = db

    def __enter__(self) -> SqlTx:
        db = self._db
        sql_conn = db._sql_connection()
        conn = sql_conn.conn
        try:
            _set_autocheckpoint(conn, sql_conn.info, db._autocheckpoint)
            conn.execute("BEGIN IMMEDIATE")
        except BaseException as exc:
            db._sql_release(sql_conn, _rollback(conn))
            if isinstance(exc, sqlite3.Error):
                raise storage_error(exc) from exc
            raise
        self._sql_conn = sql_conn
        return SqlTx(conn)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        db, sql_conn = self._db, self._sql_conn
        conn = sql_conn.conn
        clean = True
        try:
            if exc is None:
                try:
                    conn.execute("COMMIT")
                except BaseException as failed:
                    clean = _rollback(conn)
                    if isinstance(failed, sqlite3.Error):
                        raise storage_error(failed) from failed
                    raise
                db._committed()
                return
            clean = _rollback(conn)
            if isinstance(exc, sqlite3.Error):
                raise storage_error(exc) from exc
            # any other exception goes on as it is
        finally:
            db._sql_release(sql_conn, clean)


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
        # Idle connections of write_sql; list.pop() and append() are atomic, so threads
        # need no lock to take one each.
        self._sql_idle: list[_SqlConnection] = []

        @event.listens_for(self.writer, "checkout")
        def _on_checkout(dbapi_conn: sqlite3.Connection, record: Any, _proxy: Any) -> None:
            _set_autocheckpoint(dbapi_conn, record.info, self._autocheckpoint)

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
        """Back to SQLite's automatic checkpoints in the commit (from the next transaction)."""
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
            raise storage_error(exc) from exc
        except sqlite3.Error as exc:  # from plain statements run through session_tx
            session.rollback()
            raise storage_error(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _sql_connection(self) -> _SqlConnection:
        """An idle write_sql connection, or a new one made by the writer engine (its connect
        event sets WAL, synchronous=FULL, foreign keys, busy timeout) and detached from its
        pool: this class owns it from then on and closes it."""
        pool = self.writer.pool
        while True:
            try:
                idle = self._sql_idle.pop()
            except IndexError:
                break
            if idle.pool is pool:
                return idle
            self._sql_close(idle)  # the engine was disposed since
        try:
            pooled = self.writer.raw_connection()
        except (OperationalError, DBAPIError) as exc:
            raise storage_error(exc) from exc
        # Both read before detaching, which forgets them.
        conn, info = cast(sqlite3.Connection, pooled.driver_connection), dict(pooled.info)
        pooled.detach()
        return _SqlConnection(conn, info, pool)

    def _sql_release(self, sql_conn: _SqlConnection, clean: bool) -> None:
        """Back to the idle list; closed instead when its ROLLBACK failed (an I/O error:
        the connection may be unusable) or the engine was disposed meanwhile."""
        if clean and sql_conn.pool is self.writer.pool:
            self._sql_idle.append(sql_conn)
        else:
            self._sql_close(sql_conn)

    @staticmethod
    def _sql_close(sql_conn: _SqlConnection) -> None:
        with suppress(sqlite3.Error):
            sql_conn.conn.close()

    def write_sql(self) -> AbstractContextManager[SqlTx]:
        """One transaction without a Session, for the hot save path: BEGIN IMMEDIATE on a
        writer connection (WAL, synchronous=FULL, foreign keys, busy timeout as for
        `write()`), COMMIT on success, ROLLBACK on any exception; SQLite's errors become
        StorageError, as in `write()`."""
        return _SqlWrite(self)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = Session(self.reader, expire_on_commit=False)
        try:
            yield session
        except (OperationalError, DBAPIError) as exc:
            raise storage_error(exc) from exc
        finally:
            session.close()

    def integrity_check(self) -> str:
        with self.reader.connect() as conn:
            return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())

    def dispose(self) -> None:
        self.stop_checkpointer()
        # Idle ones now; one in use is closed when its transaction ends (the writer's pool
        # is a new one by then). A disposed Database stays usable, as its engines do.
        while True:
            try:
                idle = self._sql_idle.pop()
            except IndexError:
                break
            self._sql_close(idle)
        self.writer.dispose()
        self.reader.dispose()
