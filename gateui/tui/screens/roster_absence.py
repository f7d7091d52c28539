"""Leave, sickness, quarantine: the days a guard cannot work, entered by the leader.

The guard is found as in the cell window (name, badge, pinyin initials); the reason is
chosen with ← →; dates are typed as 2026-11-24 or 11-24. The periods already recorded for
the week are listed below; Tab reaches the list and Del removes the selected period.
Assigning a guard on a day they cannot work is refused; one already rostered is flagged
in the grid.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gateui.domain.roster import CellKey
from gateui.domain.roster.events import UNAVAILABILITY_REASONS
from gateui.services import roster
from gateui.services.roster import ClearUnavailable, SetUnavailable
from gateui.services.roster_choices import GuardChoice, absences, choice_matches, guard_choices
from gateui.services.roster_views import UnavailabilityView
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app, settle_inputs
from gateui.tui.widgets.choice import ChoiceRow
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import absence_text, parse_day

_ORDER = ("guard", "reason", "first", "last", "note")
LIST_WEEKS = 8


class AbsenceScreen(ModalScreen[bool]):
    """Dismisses with True when anything was recorded or removed."""

    CSS_PATH = "roster_modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "key.save", id="roster_absence.save"),
        Binding("delete", "remove", "key.roster_remove_absence", id="roster_absence.remove"),
        Binding("up", "move(-1)", show=False, id="roster_absence.up"),
        Binding("down", "move(1)", show=False, id="roster_absence.down"),
        Binding("enter", "next_field", show=False, id="roster_absence.next"),
        Binding("escape", "close", "key.roster_done", id="roster_absence.close"),
    ]

    def __init__(self, leader: UserView, cell: CellKey, first: date, last: date) -> None:
        super().__init__()
        self.leader = leader
        self.cell = cell
        self.periods: list[UnavailabilityView] = []
        self.first, self.last = first, last
        self.choices: list[GuardChoice] = []
        self.shown: list[GuardChoice] = []
        self.guard: GuardChoice | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        day = f"{self.cell.day:%Y-%m-%d}"
        with Vertical(id="roster-absence-box", classes="roster-box") as box:
            box.border_title = t("roster.ui.absence_title")
            yield FormField(
                "guard", t("roster.ui.absence_guard"), placeholder=t("roster.ui.find_hint")
            )
            matches = OptionList(id="absence-matches")
            matches.can_focus = False
            yield matches
            yield ChoiceRow(
                "reason",
                t("roster.ui.absence_reason"),
                [(r, t(f"roster.reason.{r}")) for r in UNAVAILABILITY_REASONS],
                "leave",
                label_width=14,
                id="reason",
            )
            yield FormField("first", t("roster.ui.absence_first"), day, max_length=10)
            yield FormField("last", t("roster.ui.absence_last"), day, max_length=10)
            yield FormField("note", t("roster.ui.absence_note"), max_length=60)
            yield Static(t("roster.ui.absence_list"), id="absence-list-title")
            yield OptionList(id="absence-list")
            yield Static("", id="edit-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        app = gate_app(self)
        try:
            self.choices = sorted(
                guard_choices(app.ctx, self.cell, self.first, self.last), key=lambda c: c.name
            )
        except Exception as exc:  # storage trouble: say it, keep the window
            self.say(app.t.error(exc)[1], ok=False)
        self.filter("")
        self.load_periods()
        self.field("guard").input.focus()

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def say(self, message: str, ok: bool = True) -> None:
        status = self.query_one("#edit-status", Static)
        status.set_class(not ok, "-bad")
        status.update(("✔ " if ok else "✖ ") + message if message else "")

    def filter(self, query: str) -> None:
        self.shown = [c for c in self.choices if choice_matches(c, query)]
        matches = self.query_one("#absence-matches", OptionList)
        matches.clear_options()
        matches.add_options([Option(f"{c.name}  {c.badge}") for c in self.shown])
        if self.shown:
            matches.highlighted = 0

    def load_periods(self) -> None:
        """Absences from the week on screen to eight weeks on: what a leader plans around."""
        app = gate_app(self)
        until = self.first + timedelta(weeks=LIST_WEEKS) - timedelta(days=1)
        try:
            self.periods = absences(app.ctx, self.first, until)
        except Exception as exc:  # storage trouble: say it, keep the window
            self.say(app.t.error(exc)[1], ok=False)
        listing = self.query_one("#absence-list", OptionList)
        listing.clear_options()
        zone = app.ctx.site.zone
        listing.add_options([Option(absence_text(app.t, p, zone)) for p in self.periods])
        if self.periods:
            listing.highlighted = 0
        else:
            listing.add_option(Option(app.t("roster.ui.absence_none"), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "guard-input":
            if self.guard is not None and event.value != self.guard.name:
                self.guard = None
            self.filter(event.value)

    def action_move(self, step: int) -> None:
        if self.focused is not self.field("guard").input:
            if step < 0:
                self.focus_previous()
            else:
                self.focus_next()
            return
        matches = self.query_one("#absence-matches", OptionList)
        if self.shown and matches.highlighted is not None:
            matches.highlighted = max(0, min(len(self.shown) - 1, matches.highlighted + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.advance((event.input.id or "").removesuffix("-input"))

    def action_next_field(self) -> None:
        if isinstance(self.focused, ChoiceRow):
            self.advance("reason")

    def advance(self, current: str) -> None:
        if current == "guard":
            highlighted = self.query_one("#absence-matches", OptionList).highlighted
            if not self.shown or highlighted is None:
                query = self.field("guard").value.strip()
                t = gate_app(self).t
                message = t("roster.ui.no_guard", query=query) if query else None
                self.field("guard").set_error(message or t("roster.ui.absence_pick_guard"))
                return
            self.guard = self.shown[highlighted]
            self.field("guard").input.value = self.guard.name
            self.field("guard").set_error(None)
        if current not in _ORDER or current == _ORDER[-1]:
            self.action_save()
            return
        following = _ORDER[_ORDER.index(current) + 1]
        if following == "reason":
            self.query_one("#reason", ChoiceRow).focus()
        else:
            self.field(following).input.focus()

    def read_dates(self) -> tuple[date, date] | None:
        t = gate_app(self).t
        out = []
        for name in ("first", "last"):
            field = self.field(name)
            day = parse_day(field.value, self.cell.day)
            field.set_error(None if day else t("roster.ui.bad_date", text=field.value))
            if day is None:
                field.input.focus()
                return None
            out.append(day)
        return out[0], out[1]

    def action_save(self) -> None:
        app = gate_app(self)
        t = app.t
        if self.guard is None:
            self.field("guard").set_error(t("roster.ui.absence_pick_guard"))
            self.field("guard").input.focus()
            return
        dates = self.read_dates()
        if dates is None:
            return
        reason = self.query_one("#reason", ChoiceRow).value
        note = self.field("note").value
        command = SetUnavailable(self.guard.id, dates[0], dates[1], reason, note)
        if not self.record([command]):
            return
        self.say(
            t(
                "roster.ui.absence_saved",
                guard=self.guard.name,
                reason=t(f"roster.reason.{reason}"),
                first=f"{dates[0]:%m-%d}",
                last=f"{dates[1]:%m-%d}",
            )
        )
        self.field("note").input.value = ""
        self.field("guard").input.value = ""
        self.guard = None
        self.field("guard").input.focus()

    def record(self, commands: list[SetUnavailable | ClearUnavailable]) -> bool:
        app = gate_app(self)
        try:
            roster.record_events(app.ctx, self.leader.id, commands)
        except Exception as exc:  # refused or storage: the reason in words, form kept
            self.say(app.t.error(exc)[1], ok=False)
            return False
        self.changed = True
        self.load_periods()
        return True

    def action_remove(self) -> None:
        listing = self.query_one("#absence-list", OptionList)
        index = listing.highlighted
        if self.focused is not listing or index is None or index >= len(self.periods):
            return
        period = self.periods[index]
        if self.record([ClearUnavailable(period.id)]):
            text = absence_text(gate_app(self).t, period, gate_app(self).ctx.site.zone)
            self.say(gate_app(self).t("roster.ui.absence_removed", period=text))

    def action_close(self) -> None:
        self.dismiss(self.changed)
