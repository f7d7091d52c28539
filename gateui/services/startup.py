"""Starting the gate terminal: the login screen first, the database opened behind it.

Opening the database means loading SQLAlchemy, SQLModel and the table models, about half a
second on a gate terminal, longer than Textual needs to draw the whole login screen. When
the file is ready as it is (at the newest schema, with users to log in), the terminal paints
the login screen first and opens the database while the guard reads it and scans a badge;
the PIN check waits for the open if it has not finished. A file that needs creating or
upgrading, or that has no users yet, is opened before the first screen, as before, so that
a migration or a "no users" message is never hidden behind a screen.

The site file is glanced at the same way (`gateui.config_glance`): when `gateui` can paint
from a glance, the opener validates the whole file first, and a file it refuses is `fatal`:
the app ends and `gateui` reports it as it would have before any screen.

This module is imported on that fast path: it must not import SQLAlchemy, SQLModel or
pydantic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from gateui.config_glance import FirstScreenSite
from gateui.errors import ConfigError
from gateui.store.peek import ready_at_head_with_users

if TYPE_CHECKING:
    from gateui.services.context import GateContext


def can_open_after_paint(db_path: Path) -> bool:
    """True when the database can be opened after the first screen: nothing to migrate,
    somebody to log in."""
    return ready_at_head_with_users(db_path)


def start_checkpoints(ctx: GateContext) -> None:
    """The terminal checkpoints its WAL in a background thread, not in the guard's save
    (gateui.store.checkpoint). Idempotent; `Database.dispose()` stops it too."""
    ctx.db.start_checkpointer()


def stop_checkpoints(ctx: GateContext) -> None:
    ctx.db.stop_checkpointer()


def _utc_now() -> datetime:
    return datetime.now(UTC)


class GateOpening:
    """A gate database being opened: what the first screen needs now (site, checkpoint,
    clock), the context itself once `open()` has run, in whatever thread runs it first."""

    def __init__(
        self,
        site: FirstScreenSite,
        checkpoint_code: str,
        opener: Callable[[], GateContext],
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.site = site
        self.checkpoint_code = checkpoint_code
        self.clock = clock
        self._opener = opener
        self._lock = threading.Lock()
        self._ctx: GateContext | None = None
        self.fatal: ConfigError | None = None

    def now(self) -> datetime:
        return self.clock()

    @property
    def opened(self) -> bool:
        return self._ctx is not None

    def open(self) -> GateContext:
        """The context; opens it on the first call, or waits for the call already opening it.

        A failure (a locked or unreadable file) is raised to this caller and not kept: the
        next call tries again, so the guard's next login attempt can succeed. A site file or
        environment the opener refuses (ConfigError) is kept in `fatal`: no retry mends it.
        """
        with self._lock:
            if self.fatal is not None:
                raise self.fatal
            if self._ctx is None:
                try:
                    self._ctx = self._opener()
                except ConfigError as exc:
                    self.fatal = exc
                    raise
                start_checkpoints(self._ctx)
            return self._ctx

    def stop_checkpoints(self) -> None:
        """Stop the background checkpoints if the database is open; never waits for an
        open in progress (the caller's `dispose()` stops what that one starts)."""
        ctx = self._ctx
        if ctx is not None:
            stop_checkpoints(ctx)

    def settle(self) -> None:
        """Wait for an open in progress to finish (never starts one): after the app quits,
        so that the caller closes a database that is fully open."""
        with self._lock:
            pass
