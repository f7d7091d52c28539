"""Database.write_sql's own connections (kept out of SQLAlchemy's pool): one thread at a
time on each, SQLite's lock between them, closed by dispose()."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import event

from gateui.domain.change_chain import verify_chain
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages
from tests.conftest import GateFixture
from tests.services.test_save_path import chain

# A hang guard only: the tests wait for events, they never assert how long anything took.
HANG_GUARD_S = 60.0


def test_threads_saving_at_once_keep_one_gap_free_chain(gate: GateFixture) -> None:
    normal = normal_answers(gate.ctx.checklist)
    before = len(chain(gate.ctx.db))
    errors: list[BaseException] = []
    ids: list[str] = []

    def guard_at_work(person: str) -> None:
        try:
            for i in range(12):
                direction = Direction.IN if i % 2 == 0 else Direction.OUT
                req = passages.PersonPassage(person, direction, normal)
                ids.append(passages.register_person(gate.ctx, gate.guard_id, req).entry_id)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=guard_at_work, args=(p,)) for p in gate.people.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(HANG_GUARD_S)
    assert errors == []
    links = chain(gate.ctx.db)
    assert verify_chain(links) is None
    assert len(links) == before + 48 == before + len(set(ids))


def test_a_save_waits_for_another_threads_transaction(gate: GateFixture) -> None:
    """The second thread's BEGIN IMMEDIATE waits (busy timeout) instead of failing."""
    inside, release, saved = threading.Event(), threading.Event(), threading.Event()
    results: list[passages.PassageResult] = []

    def hold_the_lock() -> None:
        with gate.ctx.db.write_sql():
            inside.set()
            release.wait(HANG_GUARD_S)

    def save() -> None:
        req = passages.PersonPassage(
            gate.people["张露"], Direction.IN, normal_answers(gate.ctx.checklist)
        )
        results.append(passages.register_person(gate.ctx, gate.guard_id, req))
        saved.set()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert inside.wait(HANG_GUARD_S)
    saver = threading.Thread(target=save)
    saver.start()
    assert not saved.wait(0.2)  # still waiting for the lock
    release.set()
    holder.join(HANG_GUARD_S)
    saver.join(HANG_GUARD_S)
    assert [r.admitted for r in results] == [True]


def test_dispose_closes_idle_connections_and_the_database_stays_usable(
    gate: GateFixture,
) -> None:
    db = gate.ctx.db
    with db.write_sql() as tx:
        used = tx.conn
    db.dispose()
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        used.execute("SELECT 1")
    with db.write_sql() as tx:
        assert tx.conn is not used
        assert tx.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_an_error_inside_leaves_the_connection_outside_any_transaction(
    gate: GateFixture,
) -> None:
    db = gate.ctx.db
    with pytest.raises(RuntimeError), db.write_sql() as tx:
        conn = tx.conn
        conn.execute("DELETE FROM presence")
        raise RuntimeError("the caller failed")
    assert not conn.in_transaction
    with db.write_sql() as tx:
        assert tx.conn is conn  # reused, as clean as a new one


def test_after_the_writer_engine_is_disposed_saves_open_new_connections(
    gate: GateFixture,
) -> None:
    """As the pool's own connections: a connect hook added then applies to the next save
    (tests/tui/test_storage_faults.py caps the file this way)."""
    db = gate.ctx.db
    with db.write_sql() as tx:
        before = tx.conn

    def small_cache(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute("PRAGMA cache_size=-123")

    event.listen(db.writer, "connect", small_cache)
    try:
        with db.write_sql() as tx:
            assert tx.conn is before  # not disposed yet: the same connection
        db.writer.dispose()
        with db.write_sql() as tx:
            assert tx.conn is not before
            assert tx.conn.execute("PRAGMA cache_size").fetchone()[0] == -123
        with pytest.raises(sqlite3.ProgrammingError):
            before.execute("SELECT 1")
    finally:
        event.remove(db.writer, "connect", small_cache)
