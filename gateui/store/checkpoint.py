"""WAL checkpoints off the guard's save: a background thread of the gate terminal.

In WAL mode every commit appends its pages to the -wal file, and SQLite copies them back
into the database file (a checkpoint: write the pages, fsync the WAL, fsync the database)
from inside the commit that takes the WAL past `wal_autocheckpoint` pages (1,000 by
default). A gate save writes ~10 pages (an entry with its indexes, the change log, the
presence row; ~14 before migration 0003), so one save in ~70-100 paid for that checkpoint
and set the save's p99 (scripts/bench_gate.py). While a `Checkpointer` runs, the
terminal's writer connection only checkpoints itself as a backstop (`BACKSTOP_PAGES`) and
this thread, with its own connection, runs `PRAGMA wal_checkpoint(PASSIVE)` after every
`EVERY_COMMITS` commits, or `IDLE_SECONDS` after the last commit when fewer came.

Durability is SQLite's own and unchanged: a commit is on disk when it returns (WAL,
synchronous=FULL); a checkpoint only copies committed pages into the database file, and a
PASSIVE one never waits for nor blocks the writer. Should the thread not run (stopped,
or its checkpoints failing), the backstop still bounds the WAL; other processes on the
file (the sync daemon, the CLI) keep SQLite's default and checkpoint their own commits.

Imports nothing but the standard library: the terminal's start-up path may import it.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

# ~10 pages a save: ~320 pages between checkpoints, under SQLite's default of 1,000.
EVERY_COMMITS = 32
IDLE_SECONDS = 2.0
# 10,000 pages of 4 KiB: the WAL stays under ~40 MB even with no checkpointer at all.
BACKSTOP_PAGES = 10_000
SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000


class Checkpointer:
    """One daemon thread checkpointing one database file; `notify()` after each commit."""

    def __init__(
        self,
        path: Path,
        *,
        every_commits: int = EVERY_COMMITS,
        idle_seconds: float = IDLE_SECONDS,
        busy_timeout_ms: int = 10_000,
    ) -> None:
        self.path = path
        self.every_commits = every_commits
        self.idle_seconds = idle_seconds
        self.busy_timeout_ms = busy_timeout_ms
        self.checkpoints = 0  # checkpoints run so far (for tests and the benchmark)
        self.failures = 0  # checkpoints that raised (the next one tries again)
        self._pending = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="gateui-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and wait for it (a checkpoint under way finishes first)."""
        thread = self._thread
        if thread is None:
            return
        self._stopping = True
        self._wake.set()
        thread.join()
        self._thread = None

    def notify(self) -> None:
        """A commit went in (called by the writer right after COMMIT). Cheap: a counter,
        and the thread is woken on the first commit since a checkpoint and at the
        threshold only."""
        with self._lock:
            self._pending += 1
            pending = self._pending
        if pending == 1 or pending >= self.every_commits:
            self._wake.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")
            conn.execute("PRAGMA synchronous=FULL")
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    return
                # Woken by the first commit: let more come, up to the threshold or a pause.
                while not self._stopping and self._pending_now() < self.every_commits:
                    if not self._wake.wait(self.idle_seconds):
                        break
                    self._wake.clear()
                if self._stopping:
                    return
                with self._lock:
                    self._pending = 0
                self.checkpoint(conn)
        finally:
            conn.close()

    def _pending_now(self) -> int:
        with self._lock:
            return self._pending

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.checkpoints += 1
        except sqlite3.Error:
            # A busy or failing disk: the next commits wake us again, and the writer's
            # backstop bounds the WAL meanwhile. Never a reason to stop the terminal.
            self.failures += 1
