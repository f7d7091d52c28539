"""The handover at the end of a shift: the outgoing guard writes, the incoming one confirms.

Writing: the screen shows what the gate recorded during the shift (in/out, people and
vehicles, refusals with reasons, watch-list hits, overrides, corrections) above the note.
The terminal has no Chinese input method, so F2 puts in the usual "无异常" (all quiet);
anything else can be typed in pinyin or English. Saving stores the note with the summary
as it stands and the time. Confirming: after logging in, the incoming guard sees the note
and the summary and acknowledges them (the time is stored too); Esc leaves it for later,
from the shift screen (Ctrl+R on the gate screen).
"""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TextArea

from gateui.i18n import Translator
from gateui.services import roster
from gateui.services.roster_shiftchange import ShiftAt
from gateui.services.roster_store import calendar_for
from gateui.services.roster_views import HandoverView, ShiftSummary
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import day_text, join_lines, shift_label, stamp, summary_lines


class HandoverWriteScreen(Screen[HandoverView | None]):
    """Dismisses with the written handover, or None."""

    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "all_quiet", "key.roster_all_quiet", id="roster_handover.quiet"),
        Binding("f10,ctrl+s", "save", "key.roster_handover_save", id="roster_handover.save"),
        Binding("escape", "cancel", "key.cancel", id="roster_handover.cancel"),
    ]

    def __init__(self, user: UserView, shift: ShiftAt, *, locking: bool = False) -> None:
        super().__init__()
        self.user = user
        self.shift = shift
        self.locking = locking
        """Opened by F9 at the end of a shift: the gate locks when this screen closes."""

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        cp = self.shift.cell.checkpoint
        yield header_line(self, self.user.name)
        yield Static(
            t(
                "roster.ui.handover_title",
                checkpoint=f"{app.ctx.site.checkpoint(cp).name} {cp}",
                day=day_text(t, self.shift.day),
                shift=shift_label(t, self.shift.shift),
                start=self.shift.start,
                end=self.shift.end,
            ),
            id="handover-title",
        )
        yield Static("", id="handover-summary")
        note = TextArea("", id="handover-note")
        note.border_title = t("roster.ui.handover_note")
        yield note
        hint = t("roster.ui.handover_hint")
        if self.locking:
            hint = t("roster.ui.handover_then_lock") + "\n" + hint
        yield Static(hint, id="handover-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        app = gate_app(self)
        s = self.shift
        summary = attempt(
            self, lambda: roster.shift_summary(app.ctx, s.day, s.shift, s.cell.checkpoint)
        )
        if summary is not None:
            self.show_summary(summary)
        note = self.query_one("#handover-note", TextArea)
        note.cursor_blink = app.cursor_blink
        note.focus()

    def show_summary(self, summary: ShiftSummary) -> None:
        app = gate_app(self)
        head = app.t("roster.ui.summary_title", at=stamp(app.ctx.now(), app.ctx.site.zone))
        lines: list[str | Text] = [Text(head, style="bold"), *summary_lines(app.t, summary)]
        self.query_one("#handover-summary", Static).update(join_lines(lines))

    def action_all_quiet(self) -> None:
        note = self.query_one("#handover-note", TextArea)
        note.insert(gate_app(self).t("roster.ui.all_quiet"))
        note.focus()

    def action_save(self) -> None:
        app = gate_app(self)
        s = self.shift
        text = self.query_one("#handover-note", TextArea).text
        view = attempt(
            self,
            lambda: roster.write_handover(
                app.ctx, self.user.id, s.day, s.shift, text, s.cell.checkpoint
            ),
        )
        if view is None:
            return  # the note stays as typed
        app.notify(
            app.t("roster.ui.handover_saved", at=stamp(view.written_at, app.ctx.site.zone)),
            timeout=10,
        )
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)


def handover_text(t: Translator, view: HandoverView, zone: ZoneInfo) -> Text:
    """Who handed over when, the note, and the summary: what the incoming guard confirms."""
    lines: list[str | Text] = [
        t("roster.ui.handover_by", guard=view.outgoing.name, at=stamp(view.written_at, zone)),
        Text(view.note, style="bold"),
        "",
        *summary_lines(t, view.summary),
    ]
    if view.incoming is not None and view.acknowledged_at is not None:
        at = stamp(view.acknowledged_at, zone)
        lines.append(t("roster.ui.handover_acked", guard=view.incoming.name, at=at))
    return join_lines(lines)


class HandoverAckScreen(ModalScreen[HandoverView | None]):
    """Dismisses with the acknowledged handover, or None (later)."""

    CSS_PATH = "roster_modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f10", "acknowledge", "key.roster_acknowledge", id="roster_ack.go"),
        Binding("escape", "later", "key.roster_later", id="roster_ack.later"),
    ]

    def __init__(self, view: HandoverView, user: UserView) -> None:
        super().__init__()
        self.view = view
        self.user = user

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        cell = self.view.cell
        start, end = calendar_for(app.ctx).shift_times(cell.shift)
        with Vertical(id="roster-ack-box", classes="roster-box") as box:
            box.border_title = t(
                "roster.ui.ack_title",
                checkpoint=f"{app.ctx.site.checkpoint(cell.checkpoint).name} {cell.checkpoint}",
                day=day_text(t, cell.day),
                shift=shift_label(t, cell.shift),
                start=start,
                end=end,
            )
            yield Static(handover_text(t, self.view, app.ctx.site.zone), id="ack-body")
            yield Static(t("roster.ui.ack_hint"), id="ack-hint")
        yield KeyBar(t)

    def action_acknowledge(self) -> None:
        app = gate_app(self)
        view = attempt(
            self, lambda: roster.acknowledge_handover(app.ctx, self.view.id, self.user.id)
        )
        if view is None:
            return
        at = stamp(view.acknowledged_at or app.ctx.now(), app.ctx.site.zone)
        app.notify(app.t("roster.ui.acknowledged", at=at), timeout=8)
        self.dismiss(view)

    def action_later(self) -> None:
        self.dismiss(None)
