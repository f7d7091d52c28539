"""The site checklist ("two codes, one question", temperature, mask) and its decision.

HQ publishes the checklist as a list of plain dicts; each item names its normal answer and
which answers refer a person to the shift leader or deny entry. The worst outcome of all
answers wins. Labels are i18n keys: "checklist.<key>" and "checklist.<key>.<option>".
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, get_args

from gateui.domain.errors import ValidationError

ItemKind = Literal["choice", "temperature", "yesno"]
ITEM_KINDS: tuple[str, ...] = get_args(ItemKind)
YESNO_OPTIONS = ("yes", "no")
FEVER_CODE = "checklist.fever"

DEFAULT_MIN_TEMPERATURE = Decimal("35.0")
DEFAULT_MAX_TEMPERATURE = Decimal("42.0")
DEFAULT_FEVER_THRESHOLD = Decimal("37.3")
DEFAULT_NORMAL_TEMPERATURE = "36.5"

_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # becomes part of i18n keys
_TEMPERATURE = re.compile(r"[0-9]{2,3}(\.[0-9]{1,2})?")
_TEMPERATURE_UNITS = re.compile(r"\s*(℃|°C|°|C)\s*$", re.IGNORECASE)


class Outcome(enum.StrEnum):
    ADMIT = "admit"
    REFER = "refer"  # the shift leader decides
    DENY = "deny"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Outcome.ADMIT: 0, Outcome.REFER: 1, Outcome.DENY: 2}


@dataclass(frozen=True)
class ChecklistItem:
    """One question of the checklist. Construction validates, so no bad item exists."""

    key: str
    kind: ItemKind
    options: tuple[str, ...] = ()  # empty for temperature: the answer is a number
    normal: str = ""  # the answer pre-filled on the form
    deny: frozenset[str] = frozenset()
    refer: frozenset[str] = frozenset()
    min_value: Decimal | None = None  # temperature only: outside [min, max] is a typo
    max_value: Decimal | None = None
    threshold: Decimal | None = None  # temperature only: at or above it is fever
    fever_outcome: Outcome = Outcome.DENY

    def __post_init__(self) -> None:
        _validate_item(self)

    @property
    def label_key(self) -> str:
        return f"checklist.{self.key}"

    def option_label_key(self, option: str) -> str:
        return f"checklist.{self.key}.{option}"


@dataclass(frozen=True)
class Reason:
    """Why a person was not simply admitted: one item's answer and what it led to."""

    item_key: str
    answer: str
    outcome: Outcome
    code: str  # i18n key explaining it, e.g. "checklist.health_code.red", "checklist.fever"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: tuple[Reason, ...]  # items that did not admit, in checklist order


def default_checklist() -> tuple[ChecklistItem, ...]:
    """The usual checks: health code, travel code, the travel question, temperature, mask."""
    return (
        ChecklistItem(
            key="health_code",
            kind="choice",
            options=("green", "yellow", "red"),
            normal="green",
            refer=frozenset({"yellow"}),
            deny=frozenset({"red"}),
        ),
        ChecklistItem(
            key="travel_code",
            kind="choice",
            options=("normal", "risk_area"),
            normal="normal",
            refer=frozenset({"risk_area"}),
        ),
        ChecklistItem(key="travel_question", kind="yesno", normal="no", refer=frozenset({"yes"})),
        ChecklistItem(
            key="temperature",
            kind="temperature",
            normal=DEFAULT_NORMAL_TEMPERATURE,
            min_value=DEFAULT_MIN_TEMPERATURE,
            max_value=DEFAULT_MAX_TEMPERATURE,
            threshold=DEFAULT_FEVER_THRESHOLD,
        ),
        ChecklistItem(key="mask", kind="yesno", normal="yes", refer=frozenset({"no"})),
    )


def normal_answers(items: Iterable[ChecklistItem]) -> dict[str, str]:
    """The answers a form starts with: a healthy person needs no keystroke."""
    return {item.key: item.normal for item in items}


def label_keys(items: Iterable[ChecklistItem]) -> tuple[str, ...]:
    """Every i18n key the items' labels use, so the i18n layer can check it has them all."""
    keys: list[str] = []
    for item in items:
        keys.append(item.label_key)
        keys.extend(item.option_label_key(option) for option in item.options)
    return tuple(keys)


def parse_temperature(
    text: str,
    min_value: Decimal = DEFAULT_MIN_TEMPERATURE,
    max_value: Decimal = DEFAULT_MAX_TEMPERATURE,
) -> Decimal:
    """A body temperature in °C as typed ("36.8", "36,8", "36.8℃"), checked for plausibility."""
    cleaned = _TEMPERATURE_UNITS.sub("", unicodedata.normalize("NFKC", text).strip())
    cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise ValidationError("temperature.empty")
    # The regex keeps out what Decimal would accept but no thermometer shows: NaN, 1e2.
    if not _TEMPERATURE.fullmatch(cleaned):
        raise ValidationError("temperature.bad_format", text=text.strip())
    value = Decimal(cleaned)
    if not min_value <= value <= max_value:
        raise ValidationError(
            "temperature.out_of_range", value=str(value), min=str(min_value), max=str(max_value)
        )
    return value


def decide(items: Sequence[ChecklistItem], answers: Mapping[str, str]) -> Decision:
    """Judge a complete set of answers; the worst outcome of any item wins."""
    keys = {item.key for item in items}
    for key in answers:
        if key not in keys:
            raise ValidationError("checklist.unexpected_answer", key=key)
    reasons: list[Reason] = []
    for item in items:
        if item.key not in answers:
            raise ValidationError("checklist.missing_answer", key=item.key)
        reason = _judge(item, answers[item.key])
        if reason.outcome is not Outcome.ADMIT:
            reasons.append(reason)
    outcome = max((r.outcome for r in reasons), key=lambda o: o.severity, default=Outcome.ADMIT)
    return Decision(outcome=outcome, reasons=tuple(reasons))


def _judge(item: ChecklistItem, answer: str) -> Reason:
    if item.kind == "temperature":
        assert item.min_value is not None and item.max_value is not None  # validated
        assert item.threshold is not None
        value = parse_temperature(answer, item.min_value, item.max_value)
        if value >= item.threshold:
            return Reason(item.key, answer, item.fever_outcome, FEVER_CODE)
        return Reason(item.key, answer, Outcome.ADMIT, item.label_key)
    if answer not in item.options:
        raise ValidationError("checklist.bad_answer", key=item.key, answer=answer)
    if answer in item.deny:
        outcome = Outcome.DENY
    elif answer in item.refer:
        outcome = Outcome.REFER
    else:
        outcome = Outcome.ADMIT
    return Reason(item.key, answer, outcome, item.option_label_key(answer))


# --- validation and construction from HQ's config ------------------------------------------


def _validate_item(item: ChecklistItem) -> None:
    def fail(code: str, **params: Any) -> ValidationError:
        return ValidationError(code, key=item.key, **params)

    if not _KEY.fullmatch(item.key):
        raise fail("checklist_config.bad_key")
    if item.kind not in ITEM_KINDS:
        raise fail("checklist_config.unknown_kind", kind=item.kind)
    if item.kind == "temperature":
        _validate_temperature_item(item)
        return
    if item.kind == "yesno" and set(item.options) != set(YESNO_OPTIONS):
        # Constructing a yes/no item without options is the normal way: fill them in.
        if item.options:
            raise fail("checklist_config.bad_yesno_options")
        object.__setattr__(item, "options", YESNO_OPTIONS)
    if len(item.options) < 2:
        raise fail("checklist_config.too_few_options")
    for option in item.options:
        if item.options.count(option) > 1:
            raise fail("checklist_config.duplicate_option", option=option)
        if not _KEY.fullmatch(option):
            raise fail("checklist_config.bad_option", option=option)
    if item.normal not in item.options:
        raise fail("checklist_config.normal_not_an_option", normal=item.normal)
    for option in sorted(item.deny | item.refer):
        if option not in item.options:
            raise fail("checklist_config.unknown_option", option=option)
    if item.normal in item.deny or item.normal in item.refer:
        raise fail("checklist_config.normal_not_admitted", normal=item.normal)
    overlap = sorted(item.deny & item.refer)
    if overlap:
        raise fail("checklist_config.deny_refer_overlap", option=overlap[0])


def _validate_temperature_item(item: ChecklistItem) -> None:
    if item.options or item.deny or item.refer:
        raise ValidationError("checklist_config.unknown_field", key=item.key, field="options")
    low, high, threshold = item.min_value, item.max_value, item.threshold
    if low is None or high is None or threshold is None:
        raise ValidationError("checklist_config.missing_field", key=item.key, field="min/max")
    for value in (low, high, threshold):
        if not value.is_finite():
            raise ValidationError("checklist_config.bad_number", key=item.key, value=str(value))
    if not low < threshold <= high:
        raise ValidationError("checklist_config.bad_range", key=item.key)
    if item.fever_outcome is Outcome.ADMIT:
        raise ValidationError("checklist_config.bad_outcome", key=item.key, outcome="admit")
    try:
        normal = parse_temperature(item.normal, low, high)
    except ValidationError:
        raise ValidationError(
            "checklist_config.normal_not_admitted", key=item.key, normal=item.normal
        ) from None
    if normal >= threshold:
        raise ValidationError(
            "checklist_config.normal_not_admitted", key=item.key, normal=item.normal
        )


_FIELDS: dict[str, tuple[str, ...]] = {
    "choice": ("key", "kind", "options", "normal", "deny", "refer"),
    "yesno": ("key", "kind", "options", "normal", "deny", "refer"),
    "temperature": ("key", "kind", "normal", "min", "max", "threshold", "fever_outcome"),
}


def checklist_from_config(config: Sequence[Mapping[str, Any]]) -> tuple[ChecklistItem, ...]:
    """Build and check a checklist from HQ's config: a list of one dict per item.

    Unknown fields are refused rather than ignored: a typo such as "refr" must not quietly
    admit everyone. Numbers may be given as strings ("37.3") or numbers.
    """
    if isinstance(config, str | bytes) or not isinstance(config, Sequence) or not config:
        raise ValidationError("checklist_config.empty")
    items: list[ChecklistItem] = []
    for index, entry in enumerate(config):
        item = _item_from_config(index, entry)
        if any(existing.key == item.key for existing in items):
            raise ValidationError("checklist_config.duplicate_key", key=item.key)
        items.append(item)
    return tuple(items)


def _item_from_config(index: int, entry: object) -> ChecklistItem:
    position = f"#{index + 1}"  # names the item in messages until its key is known
    if not isinstance(entry, Mapping):
        raise ValidationError("checklist_config.not_a_mapping", key=position)
    key = _text_field(entry, "key", position)
    kind = _text_field(entry, "kind", key)
    if kind not in ITEM_KINDS:
        raise ValidationError("checklist_config.unknown_kind", key=key, kind=kind)
    for field in entry:
        if field not in _FIELDS[kind]:
            raise ValidationError("checklist_config.unknown_field", key=key, field=str(field))
    if kind == "temperature":
        return ChecklistItem(
            key=key,
            kind="temperature",
            normal=str(entry.get("normal", DEFAULT_NORMAL_TEMPERATURE)),
            min_value=_number_field(entry, "min", key, DEFAULT_MIN_TEMPERATURE),
            max_value=_number_field(entry, "max", key, DEFAULT_MAX_TEMPERATURE),
            threshold=_number_field(entry, "threshold", key, DEFAULT_FEVER_THRESHOLD),
            fever_outcome=_outcome_field(entry, key),
        )
    return ChecklistItem(
        key=key,
        kind="yesno" if kind == "yesno" else "choice",
        options=_texts_field(entry, "options", key),
        normal=_text_field(entry, "normal", key),
        deny=frozenset(_texts_field(entry, "deny", key)),
        refer=frozenset(_texts_field(entry, "refer", key)),
    )


def _text_field(entry: Mapping[str, Any], field: str, key: str) -> str:
    if field not in entry:
        raise ValidationError("checklist_config.missing_field", key=key, field=field)
    value = entry[field]
    if not isinstance(value, str):
        raise ValidationError("checklist_config.bad_field_type", key=key, field=field)
    return value


def _texts_field(entry: Mapping[str, Any], field: str, key: str) -> tuple[str, ...]:
    value = entry.get(field, ())
    if isinstance(value, str) or not isinstance(value, Sequence | frozenset | set):
        raise ValidationError("checklist_config.bad_field_type", key=key, field=field)
    if not all(isinstance(option, str) for option in value):
        raise ValidationError("checklist_config.bad_field_type", key=key, field=field)
    return tuple(value)


def _number_field(entry: Mapping[str, Any], field: str, key: str, default: Decimal) -> Decimal:
    value = entry.get(field, default)
    # bool is an int in Python, and True degrees is surely a mistake.
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValidationError("checklist_config.bad_field_type", key=key, field=field)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError("checklist_config.bad_number", key=key, value=str(value)) from None
    if not number.is_finite():
        raise ValidationError("checklist_config.bad_number", key=key, value=str(value))
    return number


def _outcome_field(entry: Mapping[str, Any], key: str) -> Outcome:
    value = entry.get("fever_outcome", Outcome.DENY.value)
    if value not in (Outcome.DENY.value, Outcome.REFER.value):
        raise ValidationError("checklist_config.bad_outcome", key=key, outcome=str(value))
    return Outcome(value)
