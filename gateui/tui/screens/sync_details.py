"""Sync details: what is waiting to go to HQ, by kind; how far HQ has confirmed; why a
stream stopped; and "sync now", which asks the `gateui sync` daemon to run a round.

Everything here is read from the local database (the daemon writes its state there); the
TUI itself never talks to HQ.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from gateui.i18n import Translator
from gateui.services import sync_io
from gateui.services.context import GateContext
from gateui.services.sync_io import SyncStatus
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.widgets.cards import mark_outcome
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.sync_line import (
    REFRESH_SECONDS,
    daemon_silent,
    error_words,
    request_waiting,
    when_text,
)


def _request(ctx: GateContext) -> bool:
    sync_io.request_sync(ctx)
    return True


def kind_words(t: Translator, kind: str) -> str:
    """A change kind ("entry.recorded") in words, with the code for whoever calls HQ."""
    family = kind.split(".", 1)[0]
    key = f"sync.family.{family}"
    return f"{t(key)} ({kind})" if t.has(key) else kind


class SyncScreen(Screen[None]):
    CSS_PATH = "sync_details.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "sync_now", "key.sync_now", id="sync.now"),
        Binding("escape", "back", "key.back", id="sync.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: SyncStatus | None = None

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static(t("sync.details_title"), id="sync-title")
        with VerticalScroll(id="sync-body"):
            yield Static("", id="sync-facts")
            yield Static("", id="sync-kinds")
        yield Static("", id="sync-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)

    def reload(self) -> None:
        ctx = gate_app(self).ctx
        status = attempt(self, lambda: sync_io.sync_status(ctx, by_kind=True))
        if status is None:
            return
        self.status = status
        self.query_one("#sync-facts", Static).update(self.facts(status))
        self.query_one("#sync-kinds", Static).update(self.kinds(status))

    def tone(self, name: str) -> str:
        """A theme colour as a Rich style, so high contrast applies here too."""
        colour = self.app.theme_variables.get(name, "")
        return f"bold {colour}".strip()

    def facts(self, status: SyncStatus) -> Table:
        app = gate_app(self)
        t, zone, now = app.t, app.ctx.site.zone, app.ctx.now()
        ok, warn, bad = self.tone("success"), self.tone("warning"), self.tone("error")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")

        def row(label: str, value: str | Text) -> None:
            grid.add_row(t(label), value)

        if status.enrolled:
            row("sync.hq", status.hq_url or "—")
            state = t("sync.online") if status.online else t("sync.offline")
            row("sync.state", Text(state, ok if status.online else warn))
        else:
            row("sync.hq", Text(t("sync.not_connected"), warn))
            row("sync.state", t("sync.enroll_hint"))
        row("sync.device", status.device_id)
        row("sync.local_through", t("sync.seq", seq=status.last_seq))
        row("sync.acked_through", t("sync.acked", seq=status.acked_seq))
        row("sync.pending_label", str(status.pending))
        if status.last_success_at is not None:
            row("sync.last_success_label", when_text(status.last_success_at, zone, now))
        else:
            row("sync.last_success_label", t("sync.never"))
        if status.last_attempt_at is not None:
            row("sync.last_attempt_label", when_text(status.last_attempt_at, zone, now))
        if status.last_error:
            words = Text(error_words(t, status.last_error), bad)
            words.append(f"\n{status.last_error}", "dim")
            row("sync.last_error_label", words)
        if status.stream_stopped:
            stopped = Text(error_words(t, status.stream_stopped), bad)
            stopped.append(f"\n{status.stream_stopped}", "dim")
            stopped.append("\n" + t("sync.stopped_hint"))
            row("sync.stopped_label", stopped)
        if daemon_silent(status, now):
            row("sync.request_label", Text(t("sync.daemon_silent"), bad))
        elif request_waiting(status) and status.requested_at is not None:
            at = when_text(status.requested_at, zone, now)
            row("sync.request_label", t("sync.requested_at", at=at))
        return grid

    def kinds(self, status: SyncStatus) -> Table | str:
        t = gate_app(self).t
        if not status.pending_by_kind:
            return t("sync.nothing_pending")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right")
        grid.add_row(Text(t("sync.pending_by_kind"), "bold"), "")
        for kind, count in sorted(status.pending_by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
            grid.add_row("  " + kind_words(t, kind), str(count))
        return grid

    def say(self, message: str, outcome: str | None = None) -> None:
        line = self.query_one("#sync-status", Static)
        mark_outcome(line, outcome)
        line.update(message)

    def action_sync_now(self) -> None:
        app = gate_app(self)
        status = self.status
        if status is not None and not status.enrolled:
            self.say(app.t("sync.cannot_sync_now"), "referred")
            return
        if attempt(self, lambda: _request(app.ctx)) is None:
            return  # the error is on screen; nothing was asked
        self.say(app.t("sync.now_requested"), "admitted")
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
