"""A vehicle at the gate: its card, the driver and passengers found by the same search,
the cargo; saved as one vehicle passage with one linked person passage per person aboard.

Everyone aboard passes the checklist too: each person starts with the normal answers (so
the usual case costs no keystroke) and F6 opens everyone's answers, person by person, to
change what is not normal before saving; each person's passage is judged on their own.

On the way out, under the site's exit-permit rules, the screen says in words who aboard
may not leave and why; Enter then asks for a leader's override (like a hit on the way in),
and without one the passage is saved as refused, truck included, with the reasons.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from gateui.domain.direction import Direction, infer_direction, toggle
from gateui.services import lookup, passages
from gateui.services.passages import Override, PersonPassage, VehiclePassage
from gateui.services.views import Match, PersonCard, VehicleCard
from gateui.tui.screens.base import attempt, gate_app, header_line, settle_inputs
from gateui.tui.screens.override import OverrideScreen
from gateui.tui.screens.people_checks import Aboard, Answers, PeopleChecksScreen, preview
from gateui.tui.screens.vehicle_exit import (
    VehicleSaved,
    exit_alarms,
    exit_refusals,
    saved_vehicle_text,
)
from gateui.tui.screens.walk_in import WalkIn, WalkInScreen, offers_walk_in
from gateui.tui.text import direction_label, outcome_mark
from gateui.tui.widgets.cards import (
    CardView,
    alarm_text,
    mark_outcome,
    match_text,
    vehicle_card_text,
)
from gateui.tui.widgets.checklist import fit_answers
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.scan import ScanInput

__all__ = ["VehicleSaved", "VehicleScreen", "saved_vehicle_text"]


class VehicleScreen(Screen[VehicleSaved | None]):
    CSS_PATH = "vehicle.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "key.save", show=False, id="vehicle.save"),
        Binding("f2", "toggle_direction", "key.direction", id="vehicle.direction"),
        Binding("f3", "change_driver", "key.change_driver", id="vehicle.change_driver"),
        Binding("f6", "people_checks", "key.people_checks", id="vehicle.people_checks"),
        Binding("f7", "remove_passenger", "key.remove_passenger", id="vehicle.remove_passenger"),
        Binding("f8", "override", "key.override", id="vehicle.override"),
        Binding("escape", "back", "key.back", id="vehicle.back"),
        Binding("up", "move_match(-1)", show=False, id="vehicle.match_up"),
        Binding("down", "move_match(1)", show=False, id="vehicle.match_down"),
    ]

    def __init__(self, vehicle_id: str) -> None:
        super().__init__()
        self.vehicle_id = vehicle_id
        self.card: VehicleCard | None = None
        self.direction = Direction.IN
        self.driver: PersonCard | None = None
        self.passengers: list[PersonCard] = []
        self.matches: list[Match] = []
        self.alarms: list[str] = []
        self.answers: Answers = {}  # person id -> answers; absent means the normal ones
        # On the way out: person id -> why their exit is refused ("permit.none", ...).
        self.exit_refusals: dict[str, str] = {}
        self.last_added: str | None = None
        self._typing = False

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        with Vertical(id="vehicle-main"):
            yield CardView("", id="vehicle-card")
            yield Static("", id="vehicle-alarm")
            yield Static("", id="vehicle-direction")
            scan = ScanInput(placeholder=t("vehicle.scan_placeholder"), id="person-scan")
            scan.border_title = t("vehicle.scan_title")
            yield scan
            matches = OptionList(id="vehicle-matches")
            matches.can_focus = False
            yield matches
            yield Static("", id="vehicle-people")
            yield FormField("cargo", t("vehicle.cargo"), max_length=60)
            yield Static("", id="vehicle-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        ctx = gate_app(self).ctx
        card = attempt(self, lambda: lookup.vehicle_card(ctx, self.vehicle_id))
        if card is None:
            self.dismiss(None)
            return
        self.card = card
        last = Direction(card.last_passage.direction) if card.last_passage else None
        self.direction = infer_direction(last)
        if card.driver_id:
            # The usual driver is the likely one; F3 changes it.
            self.driver = attempt(self, lambda: lookup.person_card(ctx, card.driver_id or ""))
        self.render_all()
        self.scan.focus()

    @property
    def scan(self) -> ScanInput:
        return self.query_one("#person-scan", ScanInput)

    def people(self) -> list[PersonCard]:
        return ([self.driver] if self.driver else []) + self.passengers

    def render_all(self) -> None:
        app = gate_app(self)
        t = app.t
        card = self.card
        if card is None:
            return
        self.exit_refusals = exit_refusals(self, self.direction, self.people())
        self.query_one("#vehicle-card", CardView).update(
            vehicle_card_text(t, card, app.ctx.site.zone)
        )
        vehicle_alarm = [alarm_text(t, card.status, card.watch_reasons)]
        self.alarms = (vehicle_alarm if card.needs_override else []) + [
            f"{p.name}: {alarm_text(t, p.status, p.watch_reasons)}"
            for p in self.people()
            if p.needs_override
        ]
        self.alarms += exit_alarms(t, self.people(), self.exit_refusals)
        alarms = self.alarms
        alarm = self.query_one("#vehicle-alarm", Static)
        alarm.set_class(bool(alarms), "-shown")
        alarm.update("\n".join(alarms))
        self.query_one("#vehicle-direction", Static).update(
            t("gate.direction", direction=direction_label(t, self.direction.value))
        )
        people = Text(no_wrap=True, overflow="ellipsis")
        people.append(t("vehicle.driver") + " ", "bold")
        if self.driver:
            people.append(self.person_label(self.driver))
        else:
            people.append(t("vehicle.no_driver"))
        people.append("\n")
        people.append(t("vehicle.passengers", count=len(self.passengers)) + " ", "bold")
        people.append("、".join(self.person_label(p) for p in self.passengers) or "—")
        people.append("\n")
        people.append(self.checks_summary())
        self.query_one("#vehicle-people", Static).update(people)
        self.refresh_bindings()

    def answers_of(self, person: PersonCard) -> dict[str, str]:
        # Fitted to the checklist in force: HQ may have changed it since F6 kept these.
        return fit_answers(gate_app(self).ctx.checklist, self.answers.get(person.id, {}))

    def person_label(self, person: PersonCard) -> str:
        """A name, marked ✖ or ⚠ when this person's answers (or, on the way out, the lack
        of an exit permit) will not let them pass."""
        if person.id in self.exit_refusals:
            return outcome_mark("denied") + person.name
        t, checklist = gate_app(self).t, gate_app(self).ctx.checklist
        outcome, _words = preview(t, checklist, self.answers_of(person))
        return outcome_mark(outcome) + person.name if outcome != "admitted" else person.name

    def checks_summary(self) -> str:
        t, checklist = gate_app(self).t, gate_app(self).ctx.checklist
        abnormal = []
        for person in self.people():
            outcome, words = preview(t, checklist, self.answers_of(person))
            if outcome != "admitted":
                abnormal.append(f"{person.name}: {words}")
        if not abnormal:
            return t("vehicle.checks_normal")
        sep = "；" if t.lang == "zh" else "; "
        return t("vehicle.checks_abnormal", people=sep.join(abnormal))

    def say(self, message: str, outcome: str | None = None) -> None:
        status = self.query_one("#vehicle-status", Static)
        mark_outcome(status, outcome)
        status.update(message)

    def key_hints(self) -> list[tuple[str, str]]:
        t = gate_app(self).t
        return [("Enter", t("key.add_person" if self.scan.value.strip() else "key.save"))]

    # --- finding people ---------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "person-scan":
            return
        text = event.value.strip()
        if bool(text) != self._typing:
            self._typing = bool(text)
            self.refresh_bindings()  # Enter changes meaning: add <-> save
        self.matches = self.find_people(text)
        options = self.query_one("#vehicle-matches", OptionList)
        options.clear_options()
        t = gate_app(self).t
        options.add_options([Option(match_text(t, m)) for m in self.matches])
        if self.matches:
            options.highlighted = 0

    def find_people(self, text: str) -> list[Match]:
        ctx = gate_app(self).ctx
        found = attempt(self, lambda: lookup.find(ctx, text, limit=6)) if text else []
        return [m for m in found or [] if m.kind == "person"]

    def action_move_match(self, step: int) -> None:
        options = self.query_one("#vehicle-matches", OptionList)
        if self.matches and options.highlighted is not None:
            options.highlighted = max(0, min(len(self.matches) - 1, options.highlighted + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "person-scan":
            self.scan.focus()  # Enter in the cargo field goes back to scanning
            return
        text = event.value.strip()
        if not text:
            self.action_save()
            return
        matches = self.find_people(text)
        if not matches:
            if offers_walk_in(text):
                self.app.push_screen(WalkInScreen(text), lambda r: self.walked_in(r, text))
            else:
                self.say(gate_app(self).t("gate.not_found", text=text), "referred")
                self.scan.restore(text)
            return
        index = 0
        highlighted = self.query_one("#vehicle-matches", OptionList).highlighted
        if matches == self.matches and highlighted is not None:
            index = highlighted
        self.add_person(matches[index].id)

    def walked_in(self, result: WalkIn | None, typed: str) -> None:
        if result is not None:
            self.add_person(result.person_id)
        else:
            self.scan.restore(typed)
        self.scan.focus()

    def add_person(self, person_id: str) -> None:
        t = gate_app(self).t
        ctx = gate_app(self).ctx
        if any(p.id == person_id for p in self.people()):
            self.say(t("vehicle.already_aboard"), "referred")
            return
        card = attempt(self, lambda: lookup.person_card(ctx, person_id))
        if card is None:
            return
        if self.driver is None:
            self.driver = card
        else:
            self.passengers.append(card)
        self.last_added = card.id
        self.say(t("vehicle.added", name=card.name))
        self.render_all()
        self.scan.focus()

    # --- actions -----------------------------------------------------------------------

    def action_toggle_direction(self) -> None:
        self.direction = toggle(self.direction)
        self.render_all()

    def action_change_driver(self) -> None:
        self.driver = None
        self.say(gate_app(self).t("vehicle.scan_driver"))
        self.render_all()
        self.scan.focus()

    def action_remove_passenger(self) -> None:
        if self.passengers:
            gone = self.passengers.pop()
            self.answers.pop(gone.id, None)
            self.render_all()
        self.scan.focus()

    def action_people_checks(self) -> None:
        """Everyone's checklist, starting with the person scanned last."""
        people = self.people()
        if not people:
            self.say(gate_app(self).t("vehicle.nobody_aboard"), "referred")
            self.scan.focus()
            return
        aboard = [Aboard(p.id, p.name, p is self.driver) for p in people]
        ids = [p.id for p in people]
        start = ids.index(self.last_added) if self.last_added in ids else 0
        checklist = gate_app(self).ctx.checklist

        def checked(answers: Answers | None) -> None:
            if answers is not None:
                self.answers.update(answers)
                self.render_all()
            self.scan.focus()

        self.app.push_screen(PeopleChecksScreen(aboard, self.answers, checklist, start), checked)

    def needs_override(self) -> bool:
        if self.card is None:
            return False
        if self.direction is Direction.OUT:
            return bool(self.exit_refusals)  # leaving without a valid exit permit
        return self.card.needs_override or any(p.needs_override for p in self.people())

    def override_screen(self) -> OverrideScreen:
        t = gate_app(self).t
        reasons = "\n".join(self.alarms) or t("alarm.none")
        return OverrideScreen(self.card.plate if self.card else "", reasons)

    def action_save(self) -> None:
        if self.needs_override():
            self.app.push_screen(self.override_screen(), self.register)
        else:
            self.register(None)

    def action_override(self) -> None:
        if self.direction is not Direction.IN:
            return

        def granted(override: Override | None) -> None:
            if override is not None:
                self.register(override)
            else:
                self.scan.focus()

        self.app.push_screen(self.override_screen(), granted)

    def register(self, override: Override | None) -> None:
        app = gate_app(self)
        card, user = self.card, app.user
        if card is None or user is None:
            return

        out = self.direction is Direction.OUT

        def passage(p: PersonCard) -> PersonPassage:
            # The override goes to whoever it is for: a hit on the way in, a refused exit.
            refused = p.id in self.exit_refusals if out else p.needs_override
            applies = override if refused else None
            return PersonPassage(p.id, self.direction, self.answers_of(p), override=applies)

        request = VehiclePassage(
            card.id,
            self.direction,
            driver=passage(self.driver) if self.driver else None,
            passengers=tuple(passage(p) for p in self.passengers),
            cargo=self.query_one("#field-cargo", FormField).value.strip() or None,
            override=override,
        )
        result = attempt(self, lambda: passages.register_vehicle(app.ctx, user.id, request))
        if result is None:
            self.scan.focus()  # everything stays on screen for another try
            return
        aboard = zip(self.people(), result.passenger_results, strict=True)
        refused = tuple(p.name for p, r in aboard if not r.admitted)
        self.dismiss(VehicleSaved(card.plate, self.direction.value, result, refused))

    def action_back(self) -> None:
        if self.scan.value:
            self.scan.value = ""
            self.scan.focus()
        elif not self.scan.has_focus:
            self.scan.focus()
        else:
            self.dismiss(None)
