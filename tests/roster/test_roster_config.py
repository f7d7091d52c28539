"""Roster settings: defaults, cover rules, and refusing patterns that do not tile the day."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError as PydanticValidationError

from gateui.domain.errors import ValidationError
from gateui.domain.roster import CoverRule, RosterConfig, ShiftPattern, load_roster_config


def test_defaults_are_three_eight_hour_shifts_and_the_usual_rules() -> None:
    config = RosterConfig()
    assert [(s.code, s.start, s.end) for s in config.shifts] == [
        ("night", "00:00", "08:00"),
        ("day", "08:00", "16:00"),
        ("evening", "16:00", "24:00"),
    ]
    assert [s.is_night for s in config.shifts] == [True, False, False]
    assert all(s.duration_minutes == 480 for s in config.shifts)
    assert (config.required_guards, config.min_rest_hours) == (2, 16)
    assert (config.max_shifts_per_7_days, config.max_nights_in_a_row) == (6, 3)
    assert config.late_grace_minutes == 10


def test_a_pattern_crossing_midnight_is_accepted_and_its_night_shift_recognised() -> None:
    config = load_roster_config(
        {
            "shifts": [
                {"code": "a", "start": "06:00", "end": "14:00"},
                {"code": "b", "start": "14:00", "end": "22:00"},
                {"code": "c", "start": "22:00", "end": "06:00"},
            ]
        }
    )
    assert [s.is_night for s in config.shifts] == [False, False, True]
    assert config.shift("c").duration_minutes == 480


def test_most_specific_cover_rule_wins() -> None:
    config = RosterConfig(
        cover=[
            CoverRule(shift="night", guards=3),
            CoverRule(checkpoint="S1", guards=1),
            CoverRule(checkpoint="S1", shift="night", guards=2),
        ]
    )
    assert config.required("N1", "day") == 2
    assert config.required("N1", "night") == 3
    assert config.required("S1", "day") == 1
    assert config.required("S1", "night") == 2


def _code(shifts: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        load_roster_config({"shifts": shifts})
    return caught.value.code, caught.value.params


def test_overlapping_shifts_are_refused_naming_both() -> None:
    code, params = _code(
        [
            {"code": "a", "start": "00:00", "end": "09:00"},
            {"code": "b", "start": "08:00", "end": "16:00"},
            {"code": "c", "start": "16:00", "end": "24:00"},
        ]
    )
    assert code == "roster_config.shifts_overlap"
    assert params == {"first": "a", "second": "b"}


def test_a_gap_between_shifts_is_refused_with_the_uncovered_hours() -> None:
    code, params = _code(
        [
            {"code": "a", "start": "00:00", "end": "08:00"},
            {"code": "b", "start": "09:00", "end": "24:00"},
        ]
    )
    assert code == "roster_config.shifts_gap"
    assert params == {"first": "a", "second": "b", "start": "08:00", "end": "09:00"}


@pytest.mark.parametrize(
    ("shifts", "expected"),
    [
        ([], "roster_config.no_shifts"),
        ([{"code": "a", "start": "8:0", "end": "16:00"}], "roster_config.bad_time"),
        ([{"code": "a", "start": "25:00", "end": "16:00"}], "roster_config.bad_time"),
        ([{"code": "a", "start": "08:00", "end": "08:00"}], "roster_config.empty_shift"),
        ([{"code": "a", "start": "08:00", "end": "16:00"}], "roster_config.shifts_gap"),
        (
            [
                {"code": "a", "start": "00:00", "end": "12:00"},
                {"code": "a", "start": "12:00", "end": "24:00"},
            ],
            "roster_config.duplicate_shift",
        ),
        (
            [
                {"code": "a", "start": "00:00", "end": "12:00"},
                {"code": "b", "start": "00:00", "end": "12:00"},
                {"code": "c", "start": "12:00", "end": "24:00"},
            ],
            "roster_config.shifts_overlap",
        ),
    ],
)
def test_bad_patterns_are_refused_with_a_code(shifts: list[dict[str, Any]], expected: str) -> None:
    assert _code(shifts)[0] == expected


def test_building_the_model_directly_carries_the_code_inside_pydantic_error() -> None:
    with pytest.raises(PydanticValidationError) as caught:
        RosterConfig(
            shifts=[ShiftPattern(code="a", start="00:00", end="08:00")],
        )
    inner = caught.value.errors()[0]["ctx"]["error"]
    assert isinstance(inner, ValidationError) and inner.code == "roster_config.shifts_gap"


def test_other_bad_settings_name_the_field() -> None:
    with pytest.raises(ValidationError) as caught:
        load_roster_config({"required_guards": -1})
    assert caught.value.code == "roster_config.invalid"
    assert caught.value.params["field"] == "required_guards"
