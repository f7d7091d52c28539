"""The gate's checklist panel follows the checklist in force.

HQ may publish a new checklist while the gate runs; GateContext.checklist re-reads it (one
key lookup, the same tuple while nothing changed). The panel is checked when a card is
shown, so the next person gets the new items at their normal answers, and before a save,
since a pull may land while a card is on screen. Under a card, what the guard answered is
kept for every item still asked. A change that adds a question, or changes what the verdict
says, stops that save and asks the guard to look again: a new question must not be saved
as answered "normal" behind the guard's back. The scan field is never touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateui.domain.checklist import ChecklistItem, decide
from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.tui.screens.base import attempt, gate_app
from gateui.tui.widgets.checklist import fit_answers

if TYPE_CHECKING:
    from gateui.tui.screens.gate import GateScreen

Verdict = tuple[str, tuple[str, ...]]


def _in_force(gate: GateScreen) -> tuple[ChecklistItem, ...] | None:
    ctx = gate_app(gate).ctx
    return attempt(gate, lambda: ctx.checklist)


def _verdict(items: tuple[ChecklistItem, ...], answers: dict[str, str]) -> Verdict:
    try:
        decision = decide(items, answers)
    except ValidationError as exc:
        return "invalid", (exc.code,)
    return decision.outcome.value, tuple(f"{r.item_key}:{r.answer}" for r in decision.reasons)


def follow_checklist(gate: GateScreen) -> None:
    """Before a card is shown: the panel of the checklist in force, at the normal answers."""
    items = _in_force(gate)
    if items is not None and items != gate.pane.checklist:
        gate.pane.use_checklist(items)


def answers_to_save(gate: GateScreen) -> dict[str, str] | None:
    """The card's answers for the checklist in force, or None when the save must wait: the
    checklist could not be read (the error is shown), or it changed in a way the guard has
    to see first (the panel now shows it, with the answers given so far)."""
    pane = gate.pane
    answers = pane.answers()
    items = _in_force(gate)
    if items is None:
        return None
    old = pane.checklist
    if items == old:
        return answers
    fitted = fit_answers(items, answers)
    pane.use_checklist(items, fitted)
    if pane.direction is Direction.OUT:
        return fitted  # leaving is recorded whatever the answers say
    added = {i.key for i in items} - {i.key for i in old}
    if added or _verdict(old, answers) != _verdict(items, fitted):
        gate.say(gate_app(gate).t("gate.checklist_changed"), "referred")
        return None
    return fitted
