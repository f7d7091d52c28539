"""Shift instances in the site's zone: midnight crossings and DST days, stored as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.domain.roster import RosterConfig, ShiftCalendar, load_roster_config, wall_to_utc

DEFAULT = RosterConfig()
CROSSING = load_roster_config(
    {
        "shifts": [
            {"code": "early", "start": "06:00", "end": "14:00"},
            {"code": "late", "start": "14:00", "end": "22:00"},
            {"code": "night", "start": "22:00", "end": "06:00"},
        ]
    }
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_shanghai_shifts_are_eight_hours_behind_in_utc() -> None:
    cal = ShiftCalendar.for_config(DEFAULT, "Asia/Shanghai")
    night, day, evening = cal.instances(date(2026, 11, 23), date(2026, 11, 23))
    assert (night.start, night.end) == (utc(2026, 11, 22, 16), utc(2026, 11, 23, 0))
    assert (day.start, day.end) == (utc(2026, 11, 23, 0), utc(2026, 11, 23, 8))
    assert (evening.start, evening.end) == (utc(2026, 11, 23, 8), utc(2026, 11, 23, 16))
    assert night.night and not day.night and not evening.night
    assert night.label == "11-23 00:00–08:00" and evening.label == "11-23 16:00–24:00"
    assert not night.weekend and cal.instance(date(2026, 11, 28), "day").weekend


def test_night_shift_crossing_midnight_belongs_to_the_day_it_starts() -> None:
    cal = ShiftCalendar.for_config(CROSSING, "Asia/Shanghai")
    night = cal.instance(date(2026, 11, 23), "night")
    assert (night.start, night.end) == (utc(2026, 11, 23, 14), utc(2026, 11, 23, 22))
    assert night.hours == 8 and night.night
    # 02:00 local on the 24th is still the night shift of the 23rd.
    assert cal.instance_at(utc(2026, 11, 23, 18)) == night
    assert cal.instance_at(utc(2026, 11, 23, 22)).shift == "early"


@pytest.mark.parametrize(
    ("zone", "day", "shift", "start", "end", "hours"),
    [
        # Berlin springs forward at 02:00 on 29 March 2026: the night shift lasts 7 hours.
        ("Europe/Berlin", date(2026, 3, 29), "night", utc(2026, 3, 28, 23), utc(2026, 3, 29, 6), 7),
        # ... and falls back at 03:00 on 25 October: 9 hours.
        (
            "Europe/Berlin",
            date(2026, 10, 25),
            "night",
            utc(2026, 10, 24, 22),
            utc(2026, 10, 25, 7),
            9,
        ),
        (
            "Europe/Berlin",
            date(2026, 10, 25),
            "day",
            utc(2026, 10, 25, 7),
            utc(2026, 10, 25, 15),
            8,
        ),
        ("America/New_York", date(2026, 3, 8), "night", utc(2026, 3, 8, 5), utc(2026, 3, 8, 12), 7),
        (
            "America/New_York",
            date(2026, 11, 1),
            "night",
            utc(2026, 11, 1, 4),
            utc(2026, 11, 1, 13),
            9,
        ),
        # Havana skips 00:00-01:00 on 8 March 2026: the night starts when the clocks jump.
        ("America/Havana", date(2026, 3, 8), "night", utc(2026, 3, 8, 5), utc(2026, 3, 8, 12), 7),
        ("America/Havana", date(2026, 3, 7), "evening", utc(2026, 3, 7, 21), utc(2026, 3, 8, 5), 8),
        # ... and repeats 00:00-01:00 on 1 November: the night starts at the first midnight.
        (
            "America/Havana",
            date(2026, 11, 1),
            "night",
            utc(2026, 11, 1, 4),
            utc(2026, 11, 1, 13),
            9,
        ),
    ],
)
def test_dst_days_give_shorter_or_longer_shifts_that_still_meet(
    zone: str, day: date, shift: str, start: datetime, end: datetime, hours: float
) -> None:
    cal = ShiftCalendar.for_config(DEFAULT, zone)
    inst = cal.instance(day, shift)
    assert (inst.start, inst.end, inst.hours) == (start, end, hours)


def test_a_midnight_crossing_night_on_a_dst_night() -> None:
    cal = ShiftCalendar.for_config(CROSSING, "Europe/Berlin")
    night = cal.instance(date(2026, 3, 28), "night")  # 22:00 CET to 06:00 CEST
    assert (night.start, night.end, night.hours) == (utc(2026, 3, 28, 21), utc(2026, 3, 29, 4), 7)


def test_skipped_wall_time_maps_to_the_jump_and_ambiguous_to_the_first_occurrence() -> None:
    ny = ZoneInfo("America/New_York")
    assert wall_to_utc(date(2026, 3, 8), 150, ny) == utc(2026, 3, 8, 7)  # 02:30 never happens
    assert wall_to_utc(date(2026, 11, 1), 90, ny) == utc(2026, 11, 1, 5, 30)  # first 01:30


zones = st.sampled_from(
    ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "America/Havana", "Australia/Lord_Howe"]
)


@given(zones, st.dates(date(2020, 1, 1), date(2035, 12, 31)), st.sampled_from([DEFAULT, CROSSING]))
def test_instances_tile_time_without_gap_or_overlap(
    zone: str, first: date, config: RosterConfig
) -> None:
    cal = ShiftCalendar.for_config(config, zone)
    instances = cal.instances(first, first + timedelta(days=3))
    assert len(instances) == 4 * len(config.shifts)
    for a, b in pairwise(instances):
        assert a.end == b.start
        assert a.start < a.end
        assert 6.5 <= a.hours <= 9.5  # at most a DST jump (Lord Howe: half an hour) off 8
    for inst in instances[1:-1]:
        assert cal.instance_at(inst.start) == inst
        assert cal.instance_at(inst.end - timedelta(seconds=1)) == inst


def test_unknown_shift_code_is_refused() -> None:
    cal = ShiftCalendar.for_config(DEFAULT, "Asia/Shanghai")
    with pytest.raises(ValidationError) as caught:
        cal.instance(date(2026, 1, 1), "noon")
    assert caught.value.code == "roster.unknown_shift"
