"""One roster cell: put guards in and take them out, from the keyboard.

Typing filters the guards by name, badge or pinyin initials ("wjj" finds 王建军); ↑↓ pick
one; Enter puts them in the cell, or takes them out if they are in it already. Each
guard's line says what assigning them would mean: shifts this week, a rule it would break
(allowed, then flagged in the grid) or leave/sickness (refused). The window closes by
itself when an assignment fills the cell; Esc closes it any time.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gateui.i18n import Translator
from gateui.services import roster
from gateui.services.roster import Assign, Unassign
from gateui.services.roster_choices import GuardChoice, choice_matches, guard_choices
from gateui.services.roster_views import RosterCellView, RosterGridView
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app, settle_inputs
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import cell_heading, checkpoint_name, heading_of

_WARN, _BAD, _OK = "bold yellow", "bold red", "bold green"


def _pad(text: str, width: int) -> str:
    return text + " " * max(1, width - cell_len(text))


def choice_line(t: Translator, choice: GuardChoice) -> Text:
    """ "✔ 王建军  G1001  本周 3 班  已排（Enter 撤下）" — sign first, words after."""
    if choice.assigned:
        sign, style, note = "✔", _OK, t("roster.ui.pick_assigned")
    elif choice.unavailable:
        sign, style = "✖", _BAD
        note = t("roster.ui.pick_unavailable", reason=t(f"roster.reason.{choice.unavailable}"))
    elif choice.blocked:
        sign, style = "⚠", _WARN
        note = t("roster.ui.block." + choice.blocked.rsplit(".", 1)[-1])
    else:
        sign, style, note = " ", "", ""
    line = Text(f"{sign} ", style=style)
    line.append(_pad(choice.name, 10))
    line.append(_pad(choice.badge, 8))
    line.append(_pad(t("roster.ui.pick_shifts", count=choice.shifts), 12))
    if choice.role != "guard":
        line.append(t(f"cli.role.{choice.role}") + " ")
    line.append(note, style=style)
    return line


class CellEditScreen(ModalScreen[bool]):
    """Dismisses with True when the cell was changed."""

    CSS_PATH = "roster_modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False, id="roster_edit.up"),
        Binding("down", "move(1)", show=False, id="roster_edit.down"),
        Binding("escape", "close", "key.roster_done", id="roster_edit.close"),
    ]

    def __init__(
        self,
        leader: UserView,
        cell: RosterCellView,
        grid: RosterGridView,
        first: date,
        last: date,
    ) -> None:
        super().__init__()
        self.leader = leader
        self.view = cell
        self.grid = grid
        self.first, self.last = first, last
        self.choices: list[GuardChoice] = []
        self.shown: list[GuardChoice] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        cell = self.view.cell
        heading = heading_of(self.grid, cell.shift)
        name = checkpoint_name(self.grid, cell.checkpoint)
        with Vertical(id="roster-edit-box", classes="roster-box") as box:
            box.border_title = cell_heading(t, cell, name, heading.start, heading.end)
            yield Static("", id="edit-assigned")
            yield FormField("find", t("roster.ui.find_guard"), placeholder=t("roster.ui.find_hint"))
            options = OptionList(id="edit-options")
            options.can_focus = False  # typing stays in the field; ↑↓ move the selection
            yield options
            yield Static("", id="edit-status")
        yield KeyBar(t)

    def key_hints(self) -> list[tuple[str, str]]:
        t = gate_app(self).t
        return [("Enter", t("key.roster_toggle")), ("↑↓", t("key.select"))]

    def on_mount(self) -> None:
        settle_inputs(self)
        self.load()
        self.query_one("#find-input", Input).focus()

    def load(self) -> None:
        app = gate_app(self)
        cell = self.view.cell
        try:
            self.choices = guard_choices(app.ctx, cell, self.first, self.last)
        except Exception as exc:  # storage trouble: say it here, keep the window
            self.say(app.t.error(exc)[1], ok=False)
            return
        assigned = [c.name for c in self.choices if c.assigned]
        sep = app.t("roster.publish.name_separator")
        self.query_one("#edit-assigned", Static).update(
            app.t(
                "roster.ui.edit_assigned",
                assigned=len(assigned),
                required=self.view.required,
                names=sep.join(assigned) or app.t("roster.publish.nobody"),
            )
        )
        self.filter(self.query_one("#find-input", Input).value)

    def filter(self, query: str) -> None:
        t = gate_app(self).t
        self.shown = [c for c in self.choices if choice_matches(c, query)]
        options = self.query_one("#edit-options", OptionList)
        options.clear_options()
        options.add_options([Option(choice_line(t, c)) for c in self.shown])
        if self.shown:
            # Start on the first guard not yet in the cell: Enter then adds, never removes.
            free = [i for i, c in enumerate(self.shown) if not c.assigned]
            options.highlighted = free[0] if free and not query.strip() else 0
        elif query.strip():
            self.say(t("roster.ui.no_guard", query=query.strip()), ok=False)

    def say(self, message: str, ok: bool = True) -> None:
        status = self.query_one("#edit-status", Static)
        status.set_class(not ok, "-bad")
        status.update(("✔ " if ok else "✖ ") + message if message else "")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value:
            self.say("")  # typing again: the last message is done with
        self.filter(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#edit-options", OptionList)
        if self.shown and options.highlighted is not None:
            options.highlighted = max(0, min(len(self.shown) - 1, options.highlighted + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#edit-options", OptionList).highlighted
        if not self.shown or highlighted is None:
            return
        self.toggle(self.shown[highlighted])

    def toggle(self, choice: GuardChoice) -> None:
        app = gate_app(self)
        cell = self.view.cell
        command = Unassign(cell, choice.id) if choice.assigned else Assign(cell, choice.id)
        try:
            roster.record_events(app.ctx, self.leader.id, [command])
        except Exception as exc:  # refused (on leave, …) or storage: the reason in words
            self.say(app.t.error(exc)[1], ok=False)
            return
        self.changed = True
        key = "roster.ui.unassigned" if choice.assigned else "roster.ui.assigned"
        self.query_one("#find-input", Input).value = ""
        self.load()
        self.say(app.t(key, guard=choice.name))
        now_in = sum(1 for c in self.choices if c.assigned)
        if not choice.assigned and now_in == self.view.required:
            self.dismiss(True)  # this assignment filled the cell: back to the grid

    def action_close(self) -> None:
        self.dismiss(self.changed)
