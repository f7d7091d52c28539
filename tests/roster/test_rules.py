"""Rule checks: each violation names its rule, the cells and the people, in params."""

from __future__ import annotations

from datetime import date, timedelta

from gateui.domain.hlc import HLC
from gateui.domain.roster import (
    CellKey,
    EventKind,
    Guard,
    RosterConfig,
    RosterEvent,
    RosterState,
    ShiftCalendar,
    Unavailability,
    Violation,
    check,
    fold,
)

CONFIG = RosterConfig(required_guards=1)
CAL = ShiftCalendar.for_config(CONFIG, "Asia/Shanghai")
GUARDS = {g: Guard(g, name) for g, name in [("g1", "王强"), ("g2", "张露"), ("g3", "陈丽华")]}
MONDAY = date(2026, 11, 23)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def state_of(*duties: tuple[int, str, str, str], **extra: object) -> RosterState:
    cells: dict[CellKey, set[str]] = {}
    for n, shift, cp, guard in duties:
        cells.setdefault(CellKey(day(n), shift, cp), set()).add(guard)
    return RosterState(assignments={c: frozenset(g) for c, g in cells.items()}, **extra)  # type: ignore[arg-type]


def run(
    state: RosterState, first: int = 0, last: int = 6, cps: tuple[str, ...] = ("N1",)
) -> list[Violation]:
    found = check(state, CAL, CONFIG, GUARDS, first=day(first), last=day(last), checkpoints=cps)
    return [v for v in found if v.code != "roster.rule.short"]


def codes(found: list[Violation]) -> list[str]:
    return [v.code for v in found]


def test_an_empty_week_is_short_everywhere_with_counts() -> None:
    found = check(
        RosterState(), CAL, CONFIG, GUARDS, first=day(0), last=day(6), checkpoints=["N1", "S1"]
    )
    assert len(found) == 7 * 3 * 2 and {v.code for v in found} == {"roster.rule.short"}
    first = found[0]
    assert first.params == {
        "shift": "11-23 00:00–08:00",
        "checkpoint": "N1",
        "assigned": 0,
        "required": 1,
    }


def test_double_booking_at_two_checkpoints() -> None:
    found = run(state_of((0, "day", "N1", "g1"), (0, "day", "S1", "g1")), cps=("N1", "S1"))
    (v,) = [v for v in found if v.code == "roster.rule.double_booked"]
    assert v.params == {
        "guard": "王强",
        "shift": "11-23 08:00–16:00",
        "first": "N1",
        "second": "S1",
    }
    assert set(v.cells) == {CellKey(day(0), "day", "N1"), CellKey(day(0), "day", "S1")}


def test_rest_is_measured_between_the_real_end_and_start() -> None:
    found = run(state_of((0, "evening", "N1", "g1"), (1, "night", "N1", "g1")))
    assert codes(found) == ["roster.rule.rest_too_short"]
    assert found[0].params["hours"] == 0 and found[0].params["min_hours"] == 16
    found = run(state_of((0, "day", "N1", "g1"), (1, "night", "N1", "g1")))
    assert codes(found) == ["roster.rule.rest_too_short"] and found[0].params["hours"] == 8
    # Same shift on consecutive days leaves exactly 16 hours: allowed.
    assert run(state_of((0, "day", "N1", "g1"), (1, "day", "N1", "g1"))) == []


def test_seven_shifts_in_seven_days_is_one_too_many() -> None:
    six = [(n, "day", "N1", "g1") for n in range(6)]
    assert run(state_of(*six)) == []
    found = run(state_of(*six, (6, "day", "N1", "g1")))
    assert codes(found) == ["roster.rule.too_many_shifts"]
    assert found[0].params == {
        "guard": "王强",
        "count": 7,
        "max": 6,
        "first_day": "11-23",
        "last_day": "11-29",
    }
    assert len(found[0].cells) == 7


def test_four_nights_in_a_row_is_too_many_three_is_fine() -> None:
    assert run(state_of(*[(n, "night", "N1", "g2") for n in range(3)])) == []
    found = run(state_of(*[(n, "night", "N1", "g2") for n in range(4)]))
    assert codes(found) == ["roster.rule.too_many_nights"]
    assert found[0].params["count"] == 4 and found[0].params["first_day"] == "11-23"
    # A day off breaks the run.
    assert run(state_of(*[(n, "night", "N1", "g2") for n in (0, 1, 2, 4, 5, 6)])) == []


def test_rostered_while_unavailable_names_the_reason() -> None:
    sick = Unavailability(
        "u1", "g3", CAL.instance(day(2), "night").start, CAL.instance(day(4), "night").start, "sick"
    )
    found = run(
        state_of((3, "day", "N1", "g3"), (5, "day", "N1", "g3"), unavailability={"u1": sick})
    )
    assert codes(found) == ["roster.rule.unavailable.sick"]
    assert found[0].cells == (CellKey(day(3), "day", "N1"),)


def test_unknown_and_inactive_people_are_flagged() -> None:
    guards = GUARDS | {"g9": Guard("g9", "离职者", active=False)}
    state = state_of((0, "day", "N1", "g9"), (1, "day", "N1", "x7"))
    found = check(state, CAL, CONFIG, guards, first=day(0), last=day(6), checkpoints=["N1"])
    assert {"roster.rule.guard_inactive", "roster.rule.unknown_guard"} <= set(codes(found))


def test_over_staffing_is_a_warning() -> None:
    (v,) = run(state_of((0, "day", "N1", "g1"), (0, "day", "N1", "g2")))
    assert (v.code, v.severity, v.params["assigned"]) == ("roster.rule.over_staffed", "warning", 2)


def test_a_violation_across_the_period_edge_is_found() -> None:
    # Last evening of the period, then the first night after it: too little rest.
    found = run(state_of((6, "evening", "N1", "g1"), (7, "night", "N1", "g1")))
    assert codes(found) == ["roster.rule.rest_too_short"]
    # Entirely outside the period: not this period's business.
    assert run(state_of((9, "evening", "N1", "g1"), (10, "night", "N1", "g1"))) == []


def test_concurrent_edits_show_as_a_violation_of_the_cell() -> None:
    cell = CellKey(day(1), "day", "N1")
    a = RosterEvent("A-1", HLC(1, 0, "A"), EventKind.ASSIGN, cell, "g1")
    b = RosterEvent("B-1", HLC(2, 0, "B"), EventKind.ASSIGN, cell, "g2")
    found = run(fold([a, b]))
    concurrent = [v for v in found if v.code == "roster.rule.concurrent_edit"]
    assert concurrent and concurrent[0].params["devices"] == "A, B"
    assert concurrent[0].params["shift"] == "11-24 08:00–16:00"
