"""Real storage faults under the gate screen: SQLite itself refuses the write.

- Read-only: the database file is made really read-only (as root, permission bits do not
  stop writes, so the file gets the immutable attribute, which stops root too; otherwise it
  is chmod 0444). SQLite then opens it read-only and answers a write with SQLITE_READONLY,
  "attempt to write a readonly database". A connection opened earlier keeps its writable
  descriptor (WAL writes go to the -wal file), and SQLite reuses such a descriptor for a
  new connection in the same process while another one still holds the file, so both
  engines' pools are emptied: every connection then opens the file as it now is, as after
  a restart.
- Full: `PRAGMA max_page_count` on the writer's connections caps the file at the pages it
  has; SQLite answers the next write that needs a page with SQLITE_FULL, "database or disk
  is full", exactly as on a full disk.

In both cases the gate must say so in the guard's language, keep what was typed on screen,
lose nothing already saved, and carry on once the fault is gone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select
from textual.app import App

from gateui.config import SiteConfig
from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.errors import StorageError
from gateui.services import passages, presence
from gateui.services.context import GateContext, open_gate
from gateui.services.lookup import find
from gateui.store.db import Database
from gateui.store.models import ChangeLog, Entry
from gateui.tui.app import create_app
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.walk_in import WalkInScreen
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text


def chain(ctx: GateContext) -> list[ChainLink]:
    with ctx.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
        return [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]


def entry_ids(ctx: GateContext) -> list[str]:
    with ctx.db.read() as s:
        return list(s.exec(select(Entry.id).order_by(col(Entry.id))).all())


def notices(app: App[None]) -> list[str]:
    return [str(n.message) for n in app._notifications]


@contextmanager
def read_only_file(db: Database) -> Iterator[str]:
    """Make the database file read-only for real; yields how it was done."""
    path = str(db.path)
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is needed to make a file read-only for root")
        done = subprocess.run(["chattr", "+i", path], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"this file system has no immutable attribute: {done.stderr.strip()}")
        how = "chattr +i"

        def undo() -> None:
            subprocess.run(["chattr", "-i", path], check=True)
    else:
        os.chmod(path, 0o444)
        how = "chmod 0444"

        def undo() -> None:
            os.chmod(path, 0o644)

    db.dispose()
    try:
        yield how
    finally:
        undo()
        db.dispose()


@contextmanager
def full_database(db: Database) -> Iterator[None]:
    """Every writer connection capped at the pages the file has now."""

    def cap(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    event.listen(db.writer, "connect", cap)
    db.writer.dispose()
    try:
        yield
    finally:
        event.remove(db.writer, "connect", cap)
        db.writer.dispose()


def fill_until_full(tui: TuiGate) -> list[str]:
    """Save passages until SQLite says full; returns the ids saved (before the cap bit)."""
    ctx, saved = tui.ctx, []
    answers = normal_answers(ctx.checklist)
    person = tui.gate.people["曾小贤"]
    for i in range(5000):
        direction = Direction.IN if i % 2 == 0 else Direction.OUT
        request = passages.PersonPassage(person, direction, answers)
        try:
            saved.append(passages.register_person(ctx, tui.gate.guard_id, request).entry_id)
        except StorageError as exc:
            assert exc.code == "storage.disk_full"
            assert "database or disk is full" in str(exc.params["detail"])
            return saved
    raise AssertionError("the capped database never filled up")


async def test_read_only_database_keeps_the_card_and_loses_nothing(tui: TuiGate) -> None:
    ctx = tui.ctx
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)  # a login is a write too: done before the file turns read-only
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        saved = entry_ids(ctx)
        assert len(saved) == 1
        with read_only_file(ctx.db):
            # What SQLite itself says about the file now, without GateUI in the way.
            raw = sqlite3.connect(ctx.db.path, isolation_level=None)
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                raw.execute("INSERT INTO device (id, created_at) VALUES ('X', '2026-01-01')")
            raw.close()
            await scan(pilot, "GT1001")
            await pilot.press("f7", "right")  # health code yellow: typed by the guard
            await pilot.press("escape", "enter")
            await settle(pilot)
            assert any("数据库只读" in n for n in notices(app)), notices(app)
            assert app.screen is gate and gate.card is not None and gate.card.name == "单雄信"
            assert gate.pane.answers()["health_code"] == "yellow"
            assert entry_ids(ctx) == saved  # reading still works; nothing lost
            assert "张露" in str(gate.query_one("#side").query_one("#recent").render())
        await pilot.press("enter")  # writable again: the same card saves
        await settle(pilot)
        assert gate.card is None
    entries = presence.recent_entries(ctx, limit=5)
    assert [(e.name, e.outcome) for e in entries] == [("单雄信", "referred"), ("张露", "admitted")]
    assert set(saved) <= set(entry_ids(ctx)) and len(entry_ids(ctx)) == 2
    assert verify_chain(chain(ctx)) is None and ctx.db.integrity_check() == "ok"


async def test_a_tui_started_on_a_read_only_file_says_so_at_login(tui: TuiGate) -> None:
    app = tui.app("en")
    with read_only_file(tui.ctx.db):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*"B1001", "enter", *"1234", "enter")
            await settle(pilot)
            shown = " ".join(notices(app)) + str(app.screen.query_one("#login-error").render())
            assert "read-only" in shown
            assert app.is_running and not isinstance(app.screen, GateScreen)


async def test_full_database_keeps_the_entry_and_the_walk_in_form(tui: TuiGate) -> None:
    ctx = tui.ctx
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        with full_database(ctx.db):
            saved = fill_until_full(tui)
            before = entry_ids(ctx)
            assert set(saved) <= set(before)
            await scan(pilot, "GT1000")
            await pilot.press("f7", "right", "escape", "enter")
            await settle(pilot)
            assert any("磁盘已满" in n for n in notices(app)), notices(app)
            assert gate.card is not None and gate.card.name == "张露"
            assert gate.pane.answers()["health_code"] == "yellow"
            assert entry_ids(ctx) == before
            # A walk-in typed in full is kept too.
            await pilot.press("escape", "escape")
            await scan(pilot, "刘备")
            form = app.screen
            assert isinstance(form, WalkInScreen)
            await type_text(pilot, "110101199003071233")
            await pilot.press("enter")
            await type_text(pilot, "13900001111")
            await pilot.press("f10")
            await settle(pilot)
            assert app.screen is form and form.field("phone").value == "13900001111"
            assert form.field("id_number").value == "110101199003071233"
            assert find(ctx, "刘备") == []
        await pilot.press("f10")  # room again: the same form saves
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        assert [m.label for m in find(ctx, "刘备")] == ["刘备"]
    assert set(before) <= set(entry_ids(ctx))
    assert verify_chain(chain(ctx)) is None and ctx.db.integrity_check() == "ok"


async def test_two_terminals_on_one_file_register_alternately(tui: TuiGate) -> None:
    """Two gate apps, each with its own engines on the same file, saving turn by turn."""
    first = tui.app()
    other_ctx = open_gate(tui.ctx.db.path, SiteConfig(), clock=tui.gate.clock)
    second = create_app(other_ctx, "zh", cursor_blink=False)
    assert other_ctx.device_id == tui.ctx.device_id  # one file, one device, one chain
    codes = ["GT1000", "GT1001", "GT1002"]
    try:
        async with first.run_test(size=SIZE) as p1, second.run_test(size=SIZE) as p2:
            await login(p1)
            await login(p2, "L2001", "5678")
            for turn in range(12):
                pilot = p1 if turn % 2 == 0 else p2
                await scan(pilot, codes[turn % 3])
                await pilot.press("enter")
                await settle(pilot)
                assert pilot.app.screen.card is None  # type: ignore[attr-defined]
            # Each terminal's list shows the other's entries too.
            first_side = str(first.screen.query_one("#recent").render())
            assert "单雄信" in first_side and "曾小贤" in first_side
    finally:
        other_ctx.db.dispose()
    entries = presence.recent_entries(tui.ctx, limit=50)
    assert len(entries) == 12 and len({e.id for e in entries}) == 12
    guards = [e.guard_name for e in reversed(entries)]
    assert guards == ["王强", "李娜"] * 6
    links = chain(tui.ctx)
    assert [link.seq for link in links] == list(range(1, len(links) + 1))
    assert verify_chain(links) is None
    entry_changes = [link for link in links if link.kind == "entry.recorded"]
    assert len(entry_changes) == 12
