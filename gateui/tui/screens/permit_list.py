"""Exit permits waiting for a signature or valid: the signers' to-do list and the leaders'.

F2 asks for a new permit (a leader creates it: the logged-in leader, or one who shows badge
and PIN), Enter or F3 signs the highlighted one (the signer's badge and PIN), F4 cancels it
(a leader's badge and PIN and a reason). Permits with both signatures stay listed until
they expire or are cancelled, so a leader can still withdraw them; the gate checks them
when their holder leaves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.services import permits
from gateui.services.permits import PermitView
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.screens.override import LeaderCheckScreen
from gateui.tui.screens.permit_cancel import PermitCancelScreen
from gateui.tui.screens.permit_form import PermitFormScreen
from gateui.tui.screens.permit_sign import PermitSignScreen, window_text
from gateui.tui.widgets.cards import mark_outcome
from gateui.tui.widgets.keybar import KeyBar


class PermitCreateCheck(LeaderCheckScreen):
    """A leader's badge and PIN before a permit is written in their name."""

    title_key = "permit.form_title"


def ask_for_permit(
    screen: Screen[Any],
    person_id: str | None = None,
    person_name: str = "",
    done: Callable[[PermitView | None], None] | None = None,
) -> None:
    """Open the new-permit form under a leader's name (asking for one if needed)."""
    app = gate_app(screen)

    def open_form(leader: UserView | None) -> None:
        if leader is not None:
            app.push_screen(PermitFormScreen(leader, person_id, person_name), done)

    if app.user is not None and app.user.is_leader:
        open_form(app.user)
    else:
        app.push_screen(PermitCreateCheck(), open_form)


class PermitListScreen(Screen[None]):
    CSS_PATH = "permit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "new", "key.permit_new", id="permits.new"),
        Binding("f3", "sign", "key.permit_sign", id="permits.sign"),
        Binding("f4", "cancel_permit", "key.permit_cancel", id="permits.cancel"),
        Binding("f5", "reload", "key.reload", id="permits.reload"),
        Binding("escape", "back", "key.back", id="permits.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.permits: list[PermitView] = []

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static(t("permit.current_title"), id="permits-title")
        table: DataTable[str] = DataTable(id="permits-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(
            t("permit.col.person"),
            t("permit.col.window"),
            t("permit.col.reason"),
            t("permit.col.signatures"),
            t("permit.col.next"),
        )
        yield table
        yield Static("", id="permits-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    def key_hints(self) -> list[tuple[str, str]]:
        return [("Enter", gate_app(self).t("key.permit_sign"))] if self.permits else []

    def say(self, message: str, outcome: str | None = "admitted") -> None:
        status = self.query_one("#permits-status", Static)
        mark_outcome(status, outcome)
        status.update(message)

    def reload(self) -> None:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        rows = attempt(self, lambda: permits.current_permits(app.ctx))
        if rows is None:
            return
        self.permits = rows
        table = self.query_one(DataTable)
        table.clear()
        for p in rows:
            start, end = window_text(p, zone)
            signed = "、".join(s.signer_name for s in p.signatures) or "-"
            step = t(f"permit.step_{p.next_step}") if p.next_step else t("permit.step_done")
            table.add_row(p.person_name, f"{start}–{end}", p.reason, signed, step)
        waiting = sum(1 for p in rows if not p.complete)
        title = (
            t("permit.current_count", count=len(rows), open=waiting)
            if rows
            else t("permit.none_current")
        )
        self.query_one("#permits-title", Static).update(title)
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()

    def action_new(self) -> None:
        ask_for_permit(self, done=self.created)

    def created(self, view: PermitView | None) -> None:
        if view is not None:
            self.reload()
            self.say(gate_app(self).t("permit.created", name=view.person_name))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_sign()

    def highlighted(self) -> PermitView | None:
        table = self.query_one(DataTable)
        if not self.permits or not 0 <= table.cursor_row < len(self.permits):
            return None
        return self.permits[table.cursor_row]

    def action_sign(self) -> None:
        permit = self.highlighted()
        if permit is None:
            self.say(gate_app(self).t("permit.none_selected"), "denied")
            return
        if permit.complete:
            self.say(gate_app(self).t("permit.already_complete"), "denied")
            return
        self.app.push_screen(PermitSignScreen(permit), self.signed)

    def action_cancel_permit(self) -> None:
        permit = self.highlighted()
        if permit is None:
            self.say(gate_app(self).t("permit.none_selected"), "denied")
            return
        self.app.push_screen(PermitCancelScreen(permit), self.cancelled)

    def cancelled(self, view: PermitView | None) -> None:
        if view is None or view.cancelled is None:
            return
        t = gate_app(self).t
        self.reload()
        self.say(t("permit.cancel_done", name=view.person_name, leader=view.cancelled.by_name))

    def signed(self, view: PermitView | None) -> None:
        if view is None:
            return
        t = gate_app(self).t
        last = view.signatures[-1]
        if view.complete:
            self.say(t("permit.complete", name=view.person_name))
        else:
            step = t(f"permit.step_{last.step}")
            self.say(t("permit.signed", signer=last.signer_name, step=step))
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
