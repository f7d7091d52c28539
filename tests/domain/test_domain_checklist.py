"""The site checklist: configuration, answers, and the worst outcome winning."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.checklist import (
    ChecklistItem,
    Decision,
    Outcome,
    Reason,
    checklist_from_config,
    decide,
    default_checklist,
    label_keys,
    normal_answers,
    parse_temperature,
)
from gateui.domain.errors import ValidationError

ITEMS = default_checklist()
DEFAULT_CONFIG: list[dict[str, Any]] = [
    {
        "key": "health_code",
        "kind": "choice",
        "options": ["green", "yellow", "red"],
        "normal": "green",
        "refer": ["yellow"],
        "deny": ["red"],
    },
    {
        "key": "travel_code",
        "kind": "choice",
        "options": ["normal", "risk_area"],
        "normal": "normal",
        "refer": ["risk_area"],
    },
    {"key": "travel_question", "kind": "yesno", "normal": "no", "refer": ["yes"]},
    {"key": "temperature", "kind": "temperature", "min": 35.0, "max": "42.0", "threshold": "37.3"},
    {"key": "mask", "kind": "yesno", "normal": "yes", "refer": ["no"]},
]


def answers(**changes: str) -> dict[str, str]:
    return normal_answers(ITEMS) | changes


def code_of(call: Any, *args: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return str(caught.value.code)


def test_default_checklist_is_the_two_codes_one_question_set() -> None:
    assert [item.key for item in ITEMS] == [
        "health_code",
        "travel_code",
        "travel_question",
        "temperature",
        "mask",
    ]
    assert normal_answers(ITEMS) == {
        "health_code": "green",
        "travel_code": "normal",
        "travel_question": "no",
        "temperature": "36.5",
        "mask": "yes",
    }


def test_normal_answers_admit_without_reasons() -> None:
    assert decide(ITEMS, normal_answers(ITEMS)) == Decision(Outcome.ADMIT, ())


@pytest.mark.parametrize(
    ("change", "outcome", "code"),
    [
        ({"health_code": "yellow"}, Outcome.REFER, "checklist.health_code.yellow"),
        ({"health_code": "red"}, Outcome.DENY, "checklist.health_code.red"),
        ({"travel_code": "risk_area"}, Outcome.REFER, "checklist.travel_code.risk_area"),
        ({"travel_question": "yes"}, Outcome.REFER, "checklist.travel_question.yes"),
        ({"mask": "no"}, Outcome.REFER, "checklist.mask.no"),
        ({"temperature": "37.3"}, Outcome.DENY, "checklist.fever"),
        ({"temperature": "39"}, Outcome.DENY, "checklist.fever"),
    ],
)
def test_single_departures(change: dict[str, str], outcome: Outcome, code: str) -> None:
    decision = decide(ITEMS, answers(**change))
    key, answer = next(iter(change.items()))
    assert decision == Decision(outcome, (Reason(key, answer, outcome, code),))


def test_temperature_just_below_threshold_admits() -> None:
    assert decide(ITEMS, answers(temperature="37.2")).outcome is Outcome.ADMIT
    assert decide(ITEMS, answers(temperature="37.29")).outcome is Outcome.ADMIT


def test_worst_outcome_wins_and_all_reasons_are_kept_in_order() -> None:
    decision = decide(ITEMS, answers(mask="no", health_code="red", travel_code="risk_area"))
    assert decision.outcome is Outcome.DENY
    assert [r.item_key for r in decision.reasons] == ["health_code", "travel_code", "mask"]


def test_answer_errors() -> None:
    partial = answers()
    del partial["mask"]
    assert code_of(decide, ITEMS, partial) == "checklist.missing_answer"
    assert code_of(decide, ITEMS, answers(health_code="blue")) == "checklist.bad_answer"
    assert code_of(decide, ITEMS, answers(extra="x")) == "checklist.unexpected_answer"
    assert code_of(decide, ITEMS, answers(temperature="34.9")) == "temperature.out_of_range"
    assert code_of(decide, ITEMS, answers(temperature="hot")) == "temperature.bad_format"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("36.5", "36.5"),
        (" 36,8 ", "36.8"),
        ("36.8℃", "36.8"),
        ("36.8°C", "36.8"),
        ("37", "37"),
        ("３６.５", "36.5"),
        ("35.0", "35.0"),
        ("42", "42"),
    ],
)
def test_parse_temperature(text: str, value: str) -> None:
    assert parse_temperature(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "temperature.empty"),
        ("℃", "temperature.empty"),
        ("NaN", "temperature.bad_format"),
        ("3.7e1", "temperature.bad_format"),
        ("36.55.1", "temperature.bad_format"),
        ("36.555", "temperature.bad_format"),
        ("-36", "temperature.bad_format"),
        ("34.99", "temperature.out_of_range"),
        ("42.01", "temperature.out_of_range"),
        ("98.6", "temperature.out_of_range"),
    ],
)
def test_refused_temperatures(text: str, code: str) -> None:
    assert code_of(parse_temperature, text) == code


def test_default_checklist_from_config_equals_the_built_in_one() -> None:
    assert checklist_from_config(DEFAULT_CONFIG) == ITEMS


def test_fever_can_be_configured_to_refer() -> None:
    config = [{"key": "temperature", "kind": "temperature", "fever_outcome": "refer"}]
    items = checklist_from_config(config)
    assert decide(items, {"temperature": "38.0"}).outcome is Outcome.REFER


def test_label_keys_cover_items_and_options() -> None:
    keys = label_keys(ITEMS)
    assert "checklist.health_code" in keys
    assert "checklist.health_code.red" in keys
    assert "checklist.mask.no" in keys
    assert "checklist.temperature" in keys
    assert len(keys) == len(set(keys)) == 5 + 3 + 2 + 2 + 2


def bad(index: int, **changes: Any) -> list[dict[str, Any]]:
    config = [dict(entry) for entry in DEFAULT_CONFIG]
    config[index].update(changes)
    return config


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ([], "checklist_config.empty"),
        ("health_code", "checklist_config.empty"),
        ([["key", "x"]], "checklist_config.not_a_mapping"),
        ([{"kind": "yesno", "normal": "no"}], "checklist_config.missing_field"),
        (bad(0, key=None), "checklist_config.bad_field_type"),
        (bad(0, options="green"), "checklist_config.bad_field_type"),
        (bad(0, options=["green", 1]), "checklist_config.bad_field_type"),
        (bad(0, refr=["yellow"]), "checklist_config.unknown_field"),
        (bad(3, options=["a", "b"]), "checklist_config.unknown_field"),
        (bad(0, kind="slider"), "checklist_config.unknown_kind"),
        (bad(0, key="Health Code"), "checklist_config.bad_key"),
        (bad(1, key="health_code"), "checklist_config.duplicate_key"),
        (bad(0, options=["green"], refer=[], deny=[]), "checklist_config.too_few_options"),
        (bad(0, options=["green", "red", "red"]), "checklist_config.duplicate_option"),
        (bad(0, options=["green", "Red!"], deny=[], refer=[]), "checklist_config.bad_option"),
        (bad(2, options=["yes", "no", "maybe"]), "checklist_config.bad_yesno_options"),
        (bad(0, normal="blue"), "checklist_config.normal_not_an_option"),
        (bad(0, deny=["purple"]), "checklist_config.unknown_option"),
        (bad(0, deny=["green", "red"]), "checklist_config.normal_not_admitted"),
        (bad(0, refer=["green"]), "checklist_config.normal_not_admitted"),
        (bad(0, refer=["red"]), "checklist_config.deny_refer_overlap"),
        (bad(3, threshold="high"), "checklist_config.bad_number"),
        (bad(3, threshold="NaN"), "checklist_config.bad_number"),
        (bad(3, min=True), "checklist_config.bad_field_type"),
        (bad(3, threshold="42.5"), "checklist_config.bad_range"),
        (bad(3, min="38", threshold="37.3"), "checklist_config.bad_range"),
        (bad(3, normal="37.5"), "checklist_config.normal_not_admitted"),
        (bad(3, normal="warm"), "checklist_config.normal_not_admitted"),
        (bad(3, fever_outcome="admit"), "checklist_config.bad_outcome"),
    ],
)
def test_bad_configs_are_refused(config: Any, code: str) -> None:
    assert code_of(checklist_from_config, config) == code


def test_item_constructor_validates_too() -> None:
    with pytest.raises(ValidationError) as caught:
        ChecklistItem(key="mask", kind="yesno", normal="no", deny=frozenset({"no"}))
    assert caught.value.code == "checklist_config.normal_not_admitted"


# --- properties -----------------------------------------------------------------------------

option_names = st.lists(
    st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z"), min_size=2, max_size=6, unique=True
)


@st.composite
def choice_items(draw: st.DrawFn, key: str) -> ChecklistItem:
    options = draw(option_names)
    normal = options[0]
    fates = [draw(st.sampled_from(Outcome)) for _ in options[1:]]
    return ChecklistItem(
        key=key,
        kind="choice",
        options=tuple(options),
        normal=normal,
        deny=frozenset(o for o, f in zip(options[1:], fates, strict=True) if f is Outcome.DENY),
        refer=frozenset(o for o, f in zip(options[1:], fates, strict=True) if f is Outcome.REFER),
    )


@st.composite
def checklists_with_answers(
    draw: st.DrawFn,
) -> tuple[tuple[ChecklistItem, ...], dict[str, str], Outcome]:
    count = draw(st.integers(1, 5))
    items: list[ChecklistItem] = [draw(choice_items(f"item_{i}")) for i in range(count)]
    items.append(default_checklist()[3])  # a temperature item too
    chosen = {item.key: draw(st.sampled_from(item.options)) for item in items[:-1]}
    tenths = draw(st.integers(350, 420))
    chosen["temperature"] = f"{tenths // 10}.{tenths % 10}"
    # The expected outcome, stated from the items' own sets, independently of decide().
    severities = {Outcome.ADMIT: 0, Outcome.REFER: 1, Outcome.DENY: 2}
    worst = Outcome.DENY if tenths >= 373 else Outcome.ADMIT
    for item in items[:-1]:
        answer = chosen[item.key]
        fate = (
            Outcome.DENY
            if answer in item.deny
            else Outcome.REFER
            if answer in item.refer
            else Outcome.ADMIT
        )
        if severities[fate] > severities[worst]:
            worst = fate
    return tuple(items), chosen, worst


@given(checklists_with_answers())
def test_decision_is_the_worst_outcome_of_any_answer(
    case: tuple[tuple[ChecklistItem, ...], dict[str, str], Outcome],
) -> None:
    items, chosen, worst = case
    decision = decide(items, chosen)
    assert decision.outcome is worst
    assert (decision.outcome is Outcome.ADMIT) == (decision.reasons == ())
    assert all(reason.outcome is not Outcome.ADMIT for reason in decision.reasons)
    assert all(reason.outcome.severity <= worst.severity for reason in decision.reasons)


@given(checklists_with_answers())
def test_normal_answers_always_admit(
    case: tuple[tuple[ChecklistItem, ...], dict[str, str], Outcome],
) -> None:
    items, _chosen, _worst = case
    assert decide(items, normal_answers(items)).outcome is Outcome.ADMIT


@given(st.text())
def test_parse_temperature_raises_only_validation_error(text: str) -> None:
    try:
        value = parse_temperature(text)
    except ValidationError:
        return
    assert Decimal("35.0") <= value <= Decimal("42.0")
