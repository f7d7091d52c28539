"""What the guard reads about the person or vehicle in front of the gate."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from gateui.domain.resident_id import mask_id
from gateui.i18n import Translator
from gateui.services.views import Match, PersonCard, VehicleCard
from gateui.tui.text import (
    OUTCOME_CLASSES,
    kind_label,
    passage_text,
    status_label,
    vehicle_kind_label,
)


def person_card_text(t: Translator, card: PersonCard, zone: ZoneInfo, id_hint: str = "") -> Text:
    """`id_hint`, dim after the ID line, names the key to the leader's unmasked view."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(card.name, "bold")
    text.append(f"  {kind_label(t, card.kind)}")
    if card.unit:
        text.append(f"  {card.unit}")
    text.append("\n")
    # The full number is a leader's business; at the gate the last four are enough to compare.
    id_part = mask_id(card.id_number) if card.id_number else t("card.no_id")
    text.append(f"{t('card.id_number')} {id_part}")
    if card.responsible_name:
        text.append(f"  {t('card.responsible')} {card.responsible_name}")
    if id_hint:
        text.append(f"  {id_hint}", "dim")
    text.append("\n")
    text.append(f"{t('card.status')} {status_label(t, card.status)}  ")
    text.append(passage_text(t, card.last_passage, zone))
    return text


def vehicle_card_text(t: Translator, card: VehicleCard, zone: ZoneInfo) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(card.plate, "bold")
    text.append(f"  {vehicle_kind_label(t, card.kind)}")
    if card.unit:
        text.append(f"  {card.unit}")
    text.append("\n")
    text.append(f"{t('card.status')} {status_label(t, card.status)}  ")
    text.append(passage_text(t, card.last_passage, zone))
    return text


def alarm_text(t: Translator, status: str, watch_reasons: tuple[str, ...]) -> str:
    """The loud line of a watch-list or status hit: words as well as colour."""
    parts = []
    if status != "normal":
        parts.append(t("reason.status", status=status_label(t, status)))
    parts.extend(t("reason.watch", reason=r) for r in watch_reasons)
    sep = "；" if t.lang == "zh" else "; "
    return t("alarm.line", reasons=sep.join(parts))


class CardView(Static):
    DEFAULT_CSS = """
    CardView {
        height: auto;
        min-height: 3;
        padding: 0 1;
        background: $boost;
    }
    """


def mark_outcome(widget: Widget, outcome: str | None) -> None:
    """Colour a line by outcome (its text already says the outcome in words)."""
    for cls in OUTCOME_CLASSES.values():
        widget.remove_class(cls)
    if outcome is not None:
        widget.add_class(OUTCOME_CLASSES.get(outcome, "-warn"))


def match_text(t: Translator, match: Match) -> Text:
    """One search result: name or plate, masked ID or vehicle kind, and how it matched."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(match.label, "bold")
    detail = match.detail
    if match.kind == "vehicle" and detail:
        kind, _, unit = detail.partition(" ")
        detail = f"{vehicle_kind_label(t, kind)} {unit}".strip()
    if detail:
        prompt.append(f"  {detail}")
    prompt.append(f"  {t('matched_by.' + match.matched_by)}", "dim")
    return prompt
