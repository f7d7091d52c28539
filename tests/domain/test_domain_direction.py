from __future__ import annotations

from gateui.domain.direction import Direction, infer_direction, toggle


def test_first_passage_is_in() -> None:
    assert infer_direction(None) is Direction.IN


def test_direction_alternates_with_the_last_passage() -> None:
    assert infer_direction(Direction.IN) is Direction.OUT
    assert infer_direction(Direction.OUT) is Direction.IN


def test_toggle_swaps_and_values_are_stable_strings() -> None:
    assert toggle(Direction.IN) is Direction.OUT
    assert toggle(Direction.OUT) is Direction.IN
    assert [d.value for d in Direction] == ["in", "out"]
    assert Direction("in") is Direction.IN
