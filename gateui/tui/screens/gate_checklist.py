"""The gate's checklist panel follows the checklist in force.

HQ may publish a new checklist while the gate runs; GateContext.checklist re-reads it (one
key lookup, the same tuple while nothing changed). The panel is checked when a card is
shown, so the next person gets the new items at their normal answers. A pull may also land
while a card is on screen: the save itself names the checklist the guard answered
(`PersonPassage.checklist`) and its transaction refuses it if another is in force
(`ChecklistChangedError`). Then the panel follows the new one, keeping what the guard
answered for every item still asked. A change that adds a question, or changes what the
verdict says, stops that save and asks the guard to look again: a new question must not be
saved as answered "normal" behind the guard's back. Any other change is saved at once with
the answers fitted to it (a leader's override given meanwhile still applies). The scan
field is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from gateui.domain.checklist import ChecklistItem, decide
from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.services.passages import ChecklistChangedError, PassageResult, PersonPassage
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


def follow_changed(gate: GateScreen, in_force: tuple[ChecklistItem, ...]) -> dict[str, str] | None:
    """After a save was refused for another checklist in force: the panel shows that one
    with the answers given so far; those answers fitted to it when the save may go on, or
    None when the guard has to look first (said on screen)."""
    pane = gate.pane
    answers, old = pane.answers(), pane.checklist
    fitted = fit_answers(in_force, answers)
    pane.use_checklist(in_force, fitted)
    if pane.direction is Direction.OUT:
        return fitted  # leaving is recorded whatever the answers say
    added = {i.key for i in in_force} - {i.key for i in old}
    if added or _verdict(old, answers) != _verdict(in_force, fitted):
        gate.say(gate_app(gate).t("gate.checklist_changed"), "referred")
        return None
    return fitted


def save_following_checklist(
    gate: GateScreen, save: Callable[[PersonPassage], PassageResult], request: PersonPassage
) -> PassageResult | None:
    """`save(request)`; if another checklist was in force, the panel follows it and the
    save goes again with the answers fitted to it, unless the guard has to look first."""
    try:
        return save(request)
    except ChecklistChangedError as changed:  # a pull landed since the card came
        fitted = follow_changed(gate, changed.in_force)
        if fitted is None:
            return None
        return save(replace(request, answers=fitted, checklist=changed.in_force))
