"""F10 on the gate: exit permits and the daily report (and a permit for the person on the
card, when there is one). A short menu: a digit, or ↑↓ and Enter."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gateui.services.permits import PermitView
from gateui.tui.screens.base import gate_app
from gateui.tui.screens.permit_list import PermitListScreen, ask_for_permit
from gateui.tui.screens.report_daily import DailyReportScreen
from gateui.tui.widgets.keybar import KeyBar


class DeskMenu(ModalScreen[None]):
    CSS_PATH = "report.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose('permits')", show=False, id="desk.permits"),
        Binding("2", "choose('report')", show=False, id="desk.report"),
        Binding("3", "choose('permit_for')", show=False, id="desk.permit_for"),
        Binding("escape", "cancel", "key.back", id="desk.back"),
    ]

    def __init__(self, person_id: str | None = None, person_name: str | None = None) -> None:
        super().__init__()
        self.person_id = person_id
        self.person_name = person_name or ""

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        options = [
            Option(t("desk.permits"), id="permits"),
            Option(t("desk.report"), id="report"),
        ]
        if self.person_id:
            options.append(Option(t("desk.permit_for", name=self.person_name), id="permit_for"))
        with Vertical(id="desk-box") as box:
            box.border_title = t("desk.title")
            yield OptionList(*options, id="desk-options")
            yield Static(t("desk.hint"), id="desk-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def key_hints(self) -> list[tuple[str, str]]:
        return [("Enter", gate_app(self).t("key.open"))]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option.id or "")

    def action_choose(self, what: str) -> None:
        if what == "permit_for" and not self.person_id:
            return
        screen = self.app.screen_stack[-2]  # what the menu was opened from
        self.dismiss(None)
        app = gate_app(screen)
        if what == "permits":
            app.push_screen(PermitListScreen())
        elif what == "report":
            app.push_screen(DailyReportScreen())
        elif what == "permit_for":

            def created(view: PermitView | None) -> None:
                if view is not None:
                    app.notify(app.t("permit.created", name=view.person_name), timeout=8)

            ask_for_permit(screen, self.person_id, self.person_name, done=created)

    def action_cancel(self) -> None:
        self.dismiss(None)
