"""Which way a person or vehicle passes the gate."""

from __future__ import annotations

import enum


class Direction(enum.StrEnum):
    IN = "in"
    OUT = "out"


def infer_direction(last: Direction | None) -> Direction:
    """The likely direction of the next passage: whoever last went in now comes out.

    With no earlier passage on record, the person is arriving. The guard can still toggle.
    """
    if last is Direction.IN:
        return Direction.OUT
    return Direction.IN


def toggle(direction: Direction) -> Direction:
    return Direction.OUT if direction is Direction.IN else Direction.IN
