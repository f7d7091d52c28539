"""A vehicle's passage in words: who aboard may not leave (exit permits) before the save,
and what was saved after it.

Under the site's exit-permit rules (`[site.permits]`), the vehicle screen shows, for each
person aboard who needs a permit and holds no valid one, the same sentence the gate shows
for a person on foot ("May not leave: …"). services.passages.register_vehicle checks again
in the transaction that saves the passage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from textual.dom import DOMNode

from gateui.domain.direction import Direction
from gateui.i18n import Translator
from gateui.services import permits
from gateui.services.passages import PassageResult
from gateui.services.views import PersonCard
from gateui.tui.screens.base import attempt, gate_app
from gateui.tui.text import direction_label, outcome_label, outcome_mark, reasons_text


@dataclass(frozen=True)
class VehicleSaved:
    plate: str
    direction: str
    result: PassageResult
    refused_names: tuple[str, ...] = ()  # the people aboard who were not admitted


def saved_vehicle_text(t: Translator, saved: VehicleSaved) -> str:
    result = saved.result
    admitted = sum(1 for r in result.passenger_results if r.admitted)
    text = outcome_mark(result.outcome) + t(
        "saved.vehicle",
        plate=saved.plate,
        direction=direction_label(t, saved.direction),
        outcome=outcome_label(t, result.outcome),
        people=len(result.passenger_results),
    )
    refused = len(result.passenger_results) - admitted
    if refused:
        text += t("saved.people_refused", count=refused)
        if saved.refused_names:
            sep = "、" if t.lang == "zh" else ", "
            text += t("saved.refused_names", names=sep.join(saved.refused_names))
    # The truck's or anybody's aboard: the guard should see that a leader authorised it.
    if result.overridden or any(r.overridden for r in result.passenger_results):
        text += t("saved.overridden")
    if result.reasons:
        text += "\n" + reasons_text(t, result.reasons)
    return text


def exit_refusals(
    node: DOMNode, direction: Direction, people: Sequence[PersonCard]
) -> dict[str, str]:
    """person id -> why they may not leave ("permit.none", ...), on the way out only."""
    ctx = gate_app(node).ctx
    rules = permits.site_permit_config(ctx)
    if direction is not Direction.OUT or not (rules.statuses or rules.kinds):
        return {}
    refused: dict[str, str] = {}
    for person in people:
        check = attempt(node, partial(permits.check_exit, ctx, person.id))
        if check is not None and check.needed and not check.allowed:
            refused[person.id] = check.reason or "permit.none"
    return refused


def exit_alarms(t: Translator, people: Sequence[PersonCard], refusals: dict[str, str]) -> list[str]:
    """One line per person refused: "<name>: May not leave: <reason>"."""
    return [
        f"{p.name}: {t('permit.exit_refused', reason=t(refusals[p.id]))}"
        for p in people
        if p.id in refusals
    ]
