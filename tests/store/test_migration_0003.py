"""Revision 0003 (fewer pages per save) on a file a working terminal filled at 0002."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import chain_check, passages, registry
from gateui.services.context import open_gate
from gateui.store.db import Database
from gateui.store.migrate import alembic_config, current_revision, head_revision, upgrade_to_head
from tests.conftest import FakeClock, make_gate
from tests.store.test_migrations import storage_shape


def _fill(path: Path, clock: FakeClock) -> None:
    """People and a vehicle passing, some still on site: entries of both subjects, presence
    rows and the change log that goes with them."""
    gate = make_gate(path, clock)
    ctx = gate.ctx
    normal = normal_answers(ctx.checklist)
    truck = registry.register_vehicle(ctx, "豫C7G356", "coal_truck", "运输队")
    registry.add_watch(ctx, "test", plate="豫A12345")
    for i, person in enumerate(gate.people.values()):
        clock.advance(60)
        passages.register_person(
            ctx, gate.guard_id, passages.PersonPassage(person, Direction.IN, normal)
        )
        if i % 2:
            clock.advance(60)
            req = passages.PersonPassage(person, Direction.OUT, normal)
            passages.register_person(ctx, gate.guard_id, req)
    driver = passages.PersonPassage(gate.people["张露"], Direction.IN, normal)
    passages.register_vehicle(
        ctx, gate.guard_id, passages.VehiclePassage(truck, Direction.IN, driver, cargo="煤")
    )
    ctx.db.dispose()


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version' ORDER BY name"
    )
    return [r[0] for r in rows]


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        out = {}
        for table in _tables(conn):
            columns = sorted(r[1] for r in conn.execute(f"PRAGMA table_info('{table}')"))
            names = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)
        return out
    finally:
        conn.close()


def _at_0002_with_rows_of(source: Path, path: Path) -> None:
    db = Database(path)
    cfg = alembic_config()
    with db.writer.begin() as migrating:
        cfg.attributes["connection"] = migrating
        command.upgrade(cfg, "0002")
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)  # foreign keys off: any copy order
    try:
        conn.execute("ATTACH DATABASE ? AS source", (str(source),))
        conn.execute("BEGIN")
        for table in _tables(conn):
            info = conn.execute(f"PRAGMA table_info('{table}')")
            columns = ", ".join(f'"{r[1]}"' for r in info)
            conn.execute(
                f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM source."{table}"'
            )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE source")
    finally:
        conn.close()


def test_a_0002_file_with_data_upgrades_to_head_intact(tmp_path: Path, clock: FakeClock) -> None:
    work, old = tmp_path / "work.db", tmp_path / "old.db"
    _fill(work, clock)
    _at_0002_with_rows_of(work, old)
    before = _rows(old)
    assert before == _rows(work) and before["entry"] and before["presence"]
    shape = storage_shape(old)
    assert shape["presence"][0] is False and len(shape["change_log"][1]) == 2  # 0002's shape

    db = Database(old)
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()
    db.dispose()
    assert _rows(old) == before
    assert storage_shape(old) == storage_shape(work)
    conn = sqlite3.connect(old)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()

    # The terminal goes on with the upgraded file: same chain, presence kept up to date.
    conn = sqlite3.connect(old)
    try:
        guard = conn.execute("SELECT id FROM app_user WHERE badge_code = 'B1001'").fetchone()[0]
        key = conn.execute("SELECT subject_key FROM presence WHERE subject_key LIKE 'p:%'")
        person = key.fetchone()[0][2:]
    finally:
        conn.close()
    ctx = open_gate(old, SiteConfig(), clock=clock)
    try:
        assert chain_check.verify_local_chain(ctx) is None
        clock.advance(60)
        req = passages.PersonPassage(person, Direction.OUT, normal_answers(ctx.checklist))
        assert passages.register_person(ctx, guard, req).admitted
        assert chain_check.verify_local_chain(ctx) is None
    finally:
        ctx.db.dispose()
    presence = _rows(old)["presence"]
    assert len(presence) == len(before["presence"]) - 1
    assert f"p:{person}" not in {r[2] for r in presence}  # columns sorted: subject_key last
