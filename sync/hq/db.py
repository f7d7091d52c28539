"""HQ's database: SQLite (one file, default) or PostgreSQL (psycopg 3, production).

Several uvicorn workers share one database, so every write transaction serialises on the
device it touches:
- SQLite: WAL, synchronous=FULL, a busy timeout, and writes begin with BEGIN IMMEDIATE, so
  two writers never both read a device's acked sequence and then both append.
- PostgreSQL: the device row is read with SELECT ... FOR UPDATE (`lock_device`), so two
  requests for the same device run one after the other; writes to the reference stream take
  a transaction-scoped advisory lock (`lock_ref_log`) so cursors commit in cursor order and a
  pull can never skip a row that commits late.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Engine,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlmodel import Session, col

from sync.hq.core.config import HQSettings
from sync.hq.models import HQDevice

BUSY_TIMEOUT_MS = 30_000
_REF_LOG_LOCK = 0x6A7E_0001  # pg_advisory_xact_lock key of the reference stream
_MIGRATION_LOCK = 0x6A7E_0002


def _sqlite_engine(url: str, begin_sql: str, echo: bool) -> Engine:
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
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


class HQDatabase:
    """Engines on HQ's database; `write()` and `read()` are one transaction each."""

    def __init__(self, settings: HQSettings) -> None:
        url = make_url(settings.database_url)
        self.url = url
        self.is_sqlite = url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            self.writer = _sqlite_engine(str(url), "BEGIN IMMEDIATE", settings.sql_echo)
            self.reader = _sqlite_engine(str(url), "BEGIN", settings.sql_echo)
        else:
            engine = create_engine(
                url, echo=settings.sql_echo, pool_pre_ping=True, pool_size=5, max_overflow=10
            )
            self.writer = self.reader = engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any exception."""
        session = Session(self.writer, expire_on_commit=False, autoflush=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = Session(self.reader, expire_on_commit=False, autoflush=False)
        try:
            yield session
        finally:
            session.close()  # ends the transaction; loaded rows stay readable

    def lock_device(self, session: Session, device_id: str) -> HQDevice | None:
        """The device's row, locked until the transaction ends (FOR UPDATE on PostgreSQL;
        on SQLite BEGIN IMMEDIATE already holds the database's write lock)."""
        stmt = select(HQDevice).where(col(HQDevice.id) == device_id).with_for_update()
        return session.execute(stmt).scalars().first()

    def bulk_insert(self, session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert many rows (all with the same keys) in the caller's transaction: binary
        COPY on PostgreSQL, much faster than executemany; executemany on SQLite."""
        if not rows:
            return
        conn = session.connection()
        if self.is_sqlite:
            conn.execute(insert(table), rows)
            return
        names = list(rows[0])
        columns = [table.c[name] for name in names]
        quote = conn.dialect.identifier_preparer.quote
        # Column types still convert the values (UTC datetimes become naive UTC).
        processors = [c.type.bind_processor(conn.dialect) for c in columns]
        converting = [(n, p) for n, p in zip(names, processors, strict=True) if p is not None]
        sql = (
            f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)})"
            " FROM STDIN (FORMAT BINARY)"
        )
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types([_pg_binary_type(c.type) for c in columns])
            for row in rows:
                if converting:
                    row = {**row, **{n: p(row[n]) for n, p in converting}}
                copy.write_row([row[n] for n in names])

    def lock_ref_log(self, session: Session) -> None:
        """Serialise writers of the reference stream until the transaction ends."""
        if not self.is_sqlite:
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _REF_LOG_LOCK})

    def lock_migrations(self, conn: Any) -> None:
        if not self.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})

    def dispose(self) -> None:
        self.writer.dispose()
        self.reader.dispose()


def _pg_binary_type(type_: Any) -> str:
    """The PostgreSQL type whose binary format a column's values are sent in by COPY."""
    impl = getattr(type_, "impl", type_)
    for kind, name in (
        (BigInteger, "int8"),
        (Integer, "int4"),
        (Float, "float8"),
        (Boolean, "bool"),
        (LargeBinary, "bytea"),
        (DateTime, "timestamp"),
        (String, "text"),
    ):
        if isinstance(impl, kind):
            return name
    raise TypeError(f"no binary COPY type for {type_!r}")


@contextmanager
def open_database(settings: HQSettings, migrate: bool = True) -> Iterator[HQDatabase]:
    """The database of `settings`, upgraded to the newest schema; disposed on exit."""
    db = HQDatabase(settings)
    try:
        if migrate:
            from sync.hq.migrate import upgrade_to_head

            upgrade_to_head(db)
        yield db
    finally:
        db.dispose()
