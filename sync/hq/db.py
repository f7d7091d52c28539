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
from collections.abc import Callable, Iterator, Sequence
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
from sync.hq.models import HQDevice, UTCDateTime

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
        self._copy_plans: dict[
            tuple[str, tuple[str, ...]], tuple[str, list[str], list[tuple[int, Any]]]
        ] = {}

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
        """Insert many rows (all with the same keys) in the caller's transaction."""
        if rows:
            names = list(rows[0])
            self.insert_rows(session, table, names, [[row[n] for n in names] for row in rows])

    def insert_rows(
        self,
        session: Session,
        table: Table,
        names: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """Insert many rows, each a sequence of values in the order of `names`, in the
        caller's transaction (see `row_writer`)."""
        if rows:
            with self.row_writer(session, table, names) as write:
                for row in rows:
                    write(row)

    @contextmanager
    def row_writer(
        self, session: Session, table: Table, names: Sequence[str]
    ) -> Iterator[Callable[[Sequence[Any]], None]]:
        """A function that inserts one row (values in the order of `names`; timestamps are
        aware datetimes, as the models want them) in the caller's transaction.

        PostgreSQL: binary COPY, much faster than executemany, and streamed: rows go to the
        server while the caller computes the next ones, so the database stores while Python
        works. SQLite: the rows are collected and inserted with executemany at the end."""
        conn = session.connection()
        if self.is_sqlite:
            rows: list[Sequence[Any]] = []
            yield rows.append
            if rows:
                conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
            return
        sql, types, converting = self._copy_plan(conn.dialect, table, tuple(names))
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            copy.set_types(types)
            if not converting:
                yield copy.write_row
                return

            def write(row: Sequence[Any]) -> None:
                values = list(row)
                for i, process in converting:
                    values[i] = process(values[i])
                copy.write_row(values)

            yield write

    def _copy_plan(
        self, dialect: Any, table: Table, names: tuple[str, ...]
    ) -> tuple[str, list[str], list[tuple[int, Any]]]:
        """(COPY statement, binary types, (index, bind processor) of the columns whose
        values need converting) for these columns of `table`, computed once."""
        key = (table.name, names)
        plan = self._copy_plans.get(key)
        if plan is None:
            quote = dialect.identifier_preparer.quote
            columns = [table.c[name] for name in names]
            sql = (
                f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)})"
                " FROM STDIN (FORMAT BINARY)"
            )
            types: list[str] = []
            converting: list[tuple[int, Any]] = []
            for i, column in enumerate(columns):
                if isinstance(column.type, UTCDateTime):
                    # Sent as timestamptz: its binary form is microseconds since 2000-01-01
                    # UTC, the very bytes of that instant as a naive-UTC `timestamp`, which is
                    # how the column stores it; psycopg refuses a naive datetime here, as
                    # UTCDateTime does. Saves a per-value conversion in Python.
                    types.append("timestamptz")
                    continue
                types.append(_pg_binary_type(column.type))
                process = column.type.bind_processor(dialect)
                if process is not None:
                    converting.append((i, process))
            plan = self._copy_plans[key] = (sql, types, converting)
        return plan

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
