"""Background WAL checkpoints (gateui.store.checkpoint) on a real gate database file."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages
from gateui.store.checkpoint import BACKSTOP_PAGES, SQLITE_DEFAULT_AUTOCHECKPOINT, Checkpointer
from tests.conftest import GateFixture

# A hang guard only: the test waits for an event, it never asserts how long anything took.
HANG_GUARD_S = 60.0


def _save(gate: GateFixture, n: int) -> list[str]:
    normal = normal_answers(gate.ctx.checklist)
    people = list(gate.people.values())
    ids = []
    for i in range(n):
        pid = people[i % len(people)]
        direction = Direction.IN if (i // len(people)) % 2 == 0 else Direction.OUT
        req = passages.PersonPassage(pid, direction, normal)
        ids.append(passages.register_person(gate.ctx, gate.guard_id, req).entry_id)
    return ids


def _writer_autocheckpoint(gate: GateFixture) -> int:
    with gate.ctx.db.write_sql() as tx:
        return int(tx.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def _wal_frames(db_path: Path) -> int:
    """Frames the -wal file has room for: it is reused from its start after a checkpoint,
    never truncated, so its size is the most the WAL ever held."""
    wal = db_path.with_name(db_path.name + "-wal")
    page_size = sqlite3.connect(db_path).execute("PRAGMA page_size").fetchone()[0]
    return max(0, (wal.stat().st_size - 32) // (page_size + 24))


class _Counted(Checkpointer):
    """The real checkpointer, with an event per checkpoint so the test can wait for one."""

    def __init__(self, path: Path, every_commits: int) -> None:
        super().__init__(path, every_commits=every_commits, idle_seconds=3600)
        self.ran = threading.Event()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        super().checkpoint(conn)
        self.ran.set()


def test_saves_are_checkpointed_into_the_database_file(gate: GateFixture, tmp_path: Path) -> None:
    db = gate.ctx.db
    checkpointer = _Counted(db.path, every_commits=5)
    db.start_checkpointer(checkpointer)
    ids = _save(gate, 5)
    assert checkpointer.ran.wait(HANG_GUARD_S)
    assert checkpointer.checkpoints == 1 and checkpointer.failures == 0
    # The database file alone, without its -wal, holds every saved entry: the pages were
    # copied into it by the background checkpoint (the writer's backstop never fired).
    copy = tmp_path / "main-file-only.db"
    shutil.copyfile(db.path, copy)
    conn = sqlite3.connect(copy)
    try:
        marks = ",".join("?" * len(ids))
        found = conn.execute(f"SELECT count(*) FROM entry WHERE id IN ({marks})", ids).fetchone()
        assert found[0] == len(ids)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert _writer_autocheckpoint(gate) == BACKSTOP_PAGES
    db.stop_checkpointer()


def test_stopping_gives_the_writer_back_sqlite_default(gate: GateFixture) -> None:
    db = gate.ctx.db
    db.start_checkpointer()
    assert db.checkpointer is not None and db.checkpointer.running
    checkpointer = db.checkpointer
    db.stop_checkpointer()
    assert not checkpointer.running and db.checkpointer is None
    assert _writer_autocheckpoint(gate) == SQLITE_DEFAULT_AUTOCHECKPOINT


def test_backstop_bounds_the_wal_when_the_thread_is_not_running(gate: GateFixture) -> None:
    db = gate.ctx.db
    backstop = 200
    checkpointer = Checkpointer(db.path)
    db.start_checkpointer(checkpointer, backstop_pages=backstop)
    checkpointer.stop()  # as if the thread had died: the writer keeps the backstop only
    assert db.checkpointer is checkpointer and not checkpointer.running
    before = _wal_frames(db.path)
    _save(gate, 300)  # ~14 pages a save: ~4,000 pages written
    frames = _wal_frames(db.path)
    # At most the backstop plus the one save that crossed it (and the frames of before),
    # and well under SQLite's default of 1,000: the backstop is the setting in force.
    assert frames <= max(before, backstop + 50)
    assert frames < SQLITE_DEFAULT_AUTOCHECKPOINT
    assert frames >= backstop  # the WAL did grow to the backstop: not a vacuous bound
    db.stop_checkpointer()


async def test_the_terminal_checkpoints_while_it_runs(gate: GateFixture) -> None:
    from gateui.tui.app import create_app

    db = gate.ctx.db
    app = create_app(gate.ctx, "en", cursor_blink=False)
    async with app.run_test():
        checkpointer = db.checkpointer
        assert checkpointer is not None and checkpointer.running
        assert _writer_autocheckpoint(gate) == BACKSTOP_PAGES
    assert db.checkpointer is None and not checkpointer.running
    assert _writer_autocheckpoint(gate) == SQLITE_DEFAULT_AUTOCHECKPOINT
