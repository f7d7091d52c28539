"""The checklist of everyone aboard a vehicle, person by person.

Everyone starts with the normal answers, so a vehicle whose people are all well costs no
keystroke here: the guard opens this only when someone is not. PgDn/PgUp (or Enter) move
from person to person; ← → change an answer; F10 keeps the answers, Esc drops the changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gateui.domain.checklist import ChecklistItem, Outcome, decide
from gateui.domain.errors import ValidationError
from gateui.i18n import Translator
from gateui.tui.screens.base import gate_app, settle_inputs
from gateui.tui.text import outcome_label, outcome_mark, reasons_text
from gateui.tui.widgets.cards import mark_outcome
from gateui.tui.widgets.checklist import ChecklistPanel, fit_answers
from gateui.tui.widgets.keybar import KeyBar

_OUTCOMES = {Outcome.ADMIT: "admitted", Outcome.REFER: "referred", Outcome.DENY: "denied"}
Answers = dict[str, dict[str, str]]


@dataclass(frozen=True)
class Aboard:
    """One person in the vehicle: id, name, and whether they drive."""

    id: str
    name: str
    driver: bool = False


def preview(
    t: Translator, checklist: tuple[ChecklistItem, ...], answers: dict[str, str]
) -> tuple[str, str]:
    """(outcome, words) of what these answers will give, before anything is saved."""
    try:
        decision = decide(checklist, answers)
    except ValidationError as exc:
        return "denied", t.error(exc)[1]
    outcome = _OUTCOMES[decision.outcome]
    words = outcome_label(t, outcome)
    if decision.reasons:
        words += " — " + reasons_text(t, [f"{r.item_key}:{r.answer}" for r in decision.reasons])
    return outcome, words


def is_normal(checklist: tuple[ChecklistItem, ...], answers: dict[str, str]) -> bool:
    try:
        return decide(checklist, answers).outcome is Outcome.ADMIT
    except ValidationError:
        return False


class PeopleChecksScreen(ModalScreen[Answers | None]):
    CSS_PATH = "people_checks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "pagedown", "step(1)", "key.next_person", key_display="PgDn", id="people_checks.next"
        ),
        Binding(
            "pageup", "step(-1)", "key.prev_person", key_display="PgUp", id="people_checks.prev"
        ),
        Binding("f10,ctrl+s", "done", "key.done", id="people_checks.done"),
        Binding("escape", "cancel", "key.cancel", id="people_checks.cancel"),
        Binding("enter", "next_or_done", show=False, id="people_checks.enter"),
    ]

    def __init__(
        self,
        people: list[Aboard],
        answers: Answers,
        checklist: tuple[ChecklistItem, ...],
        start: int = 0,
    ) -> None:
        super().__init__()
        self.people = people
        # Fitted: answers kept from before HQ changed the checklist may lack or name items.
        self.answers: Answers = {
            p.id: fit_answers(checklist, answers.get(p.id, {})) for p in people
        }
        self.checklist = checklist
        self.index = max(0, min(start, len(people) - 1))

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        with Vertical(id="checks-box") as box:
            box.border_title = t("people_checks.title")
            yield Static("", id="checks-who")
            yield Static("", id="checks-verdict")
            yield ChecklistPanel(t, self.checklist, id="people-checklist")
            yield Static("", id="checks-everyone")
            yield Static(t("people_checks.hint"), id="checks-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        self.show_person()

    @property
    def panel(self) -> ChecklistPanel:
        return self.query_one(ChecklistPanel)

    @property
    def current(self) -> Aboard:
        return self.people[self.index]

    def show_person(self) -> None:
        t = gate_app(self).t
        person = self.current
        role = t("people_checks.driver") if person.driver else t("people_checks.passenger")
        who = Text(no_wrap=True, overflow="ellipsis")
        who.append(f"{role} ", "bold")
        who.append(person.name, "bold")
        who.append(f"  ({self.index + 1}/{len(self.people)})")
        self.query_one("#checks-who", Static).update(who)
        self.panel.set_answers(self.answers[person.id])
        self.render_verdicts()
        self.panel.focus_first()

    def keep_current(self) -> None:
        """The widgets hold the truth for the person shown; copy it before moving on."""
        self.answers[self.current.id] = self.panel.answers()

    def render_verdicts(self) -> None:
        t = gate_app(self).t
        outcome, words = preview(t, self.checklist, self.answers[self.current.id])
        verdict = self.query_one("#checks-verdict", Static)
        verdict.update(t("gate.verdict", note=words))
        mark_outcome(verdict, outcome)
        everyone = Text(no_wrap=False)
        for index, person in enumerate(self.people):
            if index:
                everyone.append(" · ")
            result, _words = preview(t, self.checklist, self.answers[person.id])
            everyone.append(
                outcome_mark(result) + person.name, "bold" if result != "admitted" else ""
            )
        self.query_one("#checks-everyone", Static).update(everyone)

    def on_checklist_panel_changed(self, event: ChecklistPanel.Changed) -> None:
        event.stop()
        self.keep_current()
        self.render_verdicts()

    def on_choice_row_typed(self, event: object) -> None:
        """No scan belongs here; letters typed on an answer row are dropped."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next_or_done()

    def action_step(self, step: int) -> None:
        self.keep_current()
        self.index = (self.index + step) % len(self.people)
        self.show_person()

    def action_next_or_done(self) -> None:
        if self.index < len(self.people) - 1:
            self.action_step(1)
        else:
            self.action_done()

    def action_done(self) -> None:
        """Keep everyone's answers, unless one cannot be judged (a mistyped temperature)."""
        self.keep_current()
        t = gate_app(self).t
        for index, person in enumerate(self.people):
            try:
                decide(self.checklist, self.answers[person.id])
            except ValidationError as exc:
                self.index = index
                self.show_person()
                verdict = self.query_one("#checks-verdict", Static)
                verdict.update(t("people_checks.fix", name=person.name, error=t.error(exc)[1]))
                mark_outcome(verdict, "denied")
                return
        self.dismiss(self.answers)

    def action_cancel(self) -> None:
        self.dismiss(None)
