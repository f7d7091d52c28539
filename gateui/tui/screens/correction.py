"""A leader's corrections: amend an entry's direction or void it, with a reason.

The original entry never changes; each correction is a new record naming the leader and
the reason, and the history below the list shows the original and every correction.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.domain.direction import Direction, toggle
from gateui.services import corrections, presence
from gateui.services.views import EntryView, UserView
from gateui.tui.screens.base import attempt, gate_app, header_line, settle_inputs
from gateui.tui.text import (
    direction_label,
    entry_flags,
    entry_subject,
    local_time,
    outcome_label,
)
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar


class CorrectionScreen(Screen[None]):
    CSS_PATH = "correction.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False, id="correction.up"),
        Binding("down", "move(1)", show=False, id="correction.down"),
        Binding("f2", "amend_direction", "key.amend_direction", id="correction.amend"),
        Binding("f8", "void", "key.void", id="correction.void"),
        Binding("escape", "back", "key.back", id="correction.back"),
    ]

    def __init__(self, leader: UserView) -> None:
        super().__init__()
        self.leader = leader
        self.entries: list[EntryView] = []

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static(t("correction.title", name=self.leader.name), id="correction-title")
        table: DataTable[str] = DataTable(id="correction-table", cursor_type="row")
        table.can_focus = False  # the reason field keeps the focus; ↑↓ move the selection
        table.add_columns(
            t("correction.at"),
            t("muster.checkpoint"),
            t("correction.direction"),
            t("muster.label"),
            t("correction.outcome"),
            t("correction.flags"),
        )
        yield table
        yield Static("", id="correction-history")
        yield FormField("correction_reason", t("correction.reason"), max_length=80)
        yield Static("", id="correction-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        self.reload()
        self.query_one("#correction_reason-input").focus()

    def key_hints(self) -> list[tuple[str, str]]:
        # ↑↓ belong to the focused reason field first (it skips them), so name them here.
        return [("↑↓", gate_app(self).t("key.select"))]

    @property
    def table(self) -> DataTable[str]:
        return self.query_one("#correction-table", DataTable)

    def selected(self) -> EntryView | None:
        row = self.table.cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def reload(self) -> None:
        app = gate_app(self)
        t = app.t
        entries = attempt(self, lambda: presence.recent_entries(app.ctx, limit=40, checkpoint="*"))
        if entries is None:
            return
        keep = self.table.cursor_row
        self.entries = entries
        self.table.clear()
        zone = app.ctx.site.zone
        for e in entries:
            self.table.add_row(
                local_time(e.at, zone, "%m-%d %H:%M"),
                e.checkpoint_code,
                direction_label(t, e.direction),
                entry_subject(e),
                outcome_label(t, e.outcome),
                entry_flags(t, e),
            )
        if entries:
            self.table.move_cursor(row=min(max(keep, 0), len(entries) - 1))
        self.show_history()

    def action_move(self, step: int) -> None:
        if self.entries:
            row = max(0, min(len(self.entries) - 1, self.table.cursor_row + step))
            self.table.move_cursor(row=row)
            self.show_history()

    def show_history(self) -> None:
        app = gate_app(self)
        t = app.t
        entry = self.selected()
        box = self.query_one("#correction-history", Static)
        if entry is None:
            box.update(t("correction.no_entries"))
            return
        history = attempt(self, lambda: corrections.entry_history(app.ctx, entry.id))
        zone = app.ctx.site.zone
        lines = [
            t(
                "correction.original",
                at=local_time(entry.at, zone, "%m-%d %H:%M"),
                subject=entry_subject(entry),
                outcome=outcome_label(t, entry.outcome),
                guard=entry.guard_name or "?",
            )
        ]
        for c in history or []:
            change = ""
            if "direction" in c.changes:
                new = direction_label(t, c.changes["direction"])
                change = t("correction.to_direction", direction=new)
            lines.append(
                t(
                    "correction.line",
                    at=local_time(c.at, zone, "%m-%d %H:%M"),
                    action=t(f"correction.action.{c.action}"),
                    change=change,
                    by=c.by_name,
                    reason=c.reason,
                )
            )
        box.update("\n".join(lines))

    def reason(self) -> FormField:
        return self.query_one("#field-correction_reason", FormField)

    def correct(self, action: str, changes: dict[str, str] | None = None) -> None:
        app = gate_app(self)
        entry = self.selected()
        if entry is None:
            return
        field = self.reason()
        field.set_error(None)
        if not field.value.strip():
            field.set_error(app.t("correction.reason_required"))
            field.input.focus()
            return
        done = attempt(
            self,
            lambda: corrections.correct_entry(
                app.ctx, entry.id, self.leader.id, action, field.value, changes
            ),
        )
        if done is None:
            return  # the reason stays typed for another try
        field.input.value = ""
        status = self.query_one("#correction-status", Static)
        status.update(app.t(f"correction.done.{action}", subject=entry_subject(entry)))
        self.reload()

    def action_amend_direction(self) -> None:
        entry = self.selected()
        if entry is not None:
            new = toggle(Direction(entry.direction)).value
            self.correct("amend", {"direction": new})

    def action_void(self) -> None:
        self.correct("void")

    def action_back(self) -> None:
        self.dismiss(None)
