"""Turning service values into words: times in the site's zone, outcomes, reasons, labels.

Every string a guard reads passes through the Translator; this module only chooses keys.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from gateui.i18n import Translator
from gateui.services.passages import PassageResult
from gateui.services.views import EntryView, PassageView

# Outcome -> the CSS class that colours it. Colour is never alone: the word is always shown.
OUTCOME_CLASSES = {"admitted": "-ok", "referred": "-warn", "denied": "-bad"}


def outcome_mark(outcome: str) -> str:
    """A sign before a saved message, so the outcome reads without colour."""
    return {"admitted": "✔ ", "referred": "⚠ ", "denied": "✖ "}.get(outcome, "")


def local_time(at: datetime, zone: ZoneInfo, fmt: str = "%H:%M") -> str:
    return at.astimezone(zone).strftime(fmt)


def direction_label(t: Translator, direction: str) -> str:
    return t(f"direction.{direction}")


def outcome_label(t: Translator, outcome: str) -> str:
    return t(f"outcome.{outcome}")


def kind_label(t: Translator, kind: str) -> str:
    return t(f"kind.{kind}") if t.has(f"kind.{kind}") else kind


def vehicle_kind_label(t: Translator, kind: str) -> str:
    return t(f"vehicle_kind.{kind}") if t.has(f"vehicle_kind.{kind}") else kind


def status_label(t: Translator, status: str) -> str:
    return t(f"status.{status}") if t.has(f"status.{status}") else status


def reason_text(t: Translator, reason: str) -> str:
    """One stored reason ("health_code:red", "watch:…", "status:barred") in words."""
    head, _, tail = reason.partition(":")
    if head == "watch":
        return t("reason.watch", reason=tail)
    if head == "status":
        return t("reason.status", status=status_label(t, tail))
    if head == "driver":
        return t("reason.driver", outcome=outcome_label(t, tail))
    if head == "permit":
        return t("reason.permit", reason=t(f"permit.{tail}"))
    if head == "pass" and t.has(f"pass.short.{tail}"):
        return t("reason.pass", reason=t(f"pass.short.{tail}"))
    if head == "temperature":
        return t("reason.temperature", value=tail)
    item = f"checklist.{head}"
    if t.has(item):
        option = f"{item}.{tail}"
        answer = t(option) if t.has(option) else tail
        return f"{t(item)}：{answer}" if t.lang == "zh" else f"{t(item)}: {answer}"
    return reason


def reasons_text(t: Translator, reasons: tuple[str, ...] | list[str]) -> str:
    sep = "；" if t.lang == "zh" else "; "
    return sep.join(reason_text(t, r) for r in reasons)


def passage_text(t: Translator, passage: PassageView | None, zone: ZoneInfo) -> str:
    if passage is None:
        return t("card.no_passage")
    return t(
        "card.last_passage",
        at=local_time(passage.at, zone, "%m-%d %H:%M"),
        direction=direction_label(t, passage.direction),
        checkpoint=passage.checkpoint_code,
    )


def entry_subject(entry: EntryView) -> str:
    return entry.name or entry.plate or "?"


def entry_flags(t: Translator, entry: EntryView) -> str:
    flags = []
    if entry.voided:
        flags.append(t("entry.voided"))
    elif entry.amended:
        flags.append(t("entry.amended"))
    if entry.override_by_name:
        flags.append(t("entry.overridden"))
    return " ".join(flags)


def saved_person_text(t: Translator, name: str, direction: str, result: PassageResult) -> str:
    text = outcome_mark(result.outcome) + t(
        "saved.person",
        name=name,
        direction=direction_label(t, direction),
        outcome=outcome_label(t, result.outcome),
    )
    if result.overridden:
        text += t("saved.overridden")
    if result.reasons:
        text += "\n" + reasons_text(t, result.reasons)
    return text
