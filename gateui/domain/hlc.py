"""Hybrid logical clock (Kulkarni et al., 2014): timestamps that order events across devices.

A timestamp is (physical ms, counter, node). It stays close to wall-clock time, never goes
backwards on a device even when the wall clock does, and is always greater than every
timestamp the device has seen (its own and those received from other devices), so an edit
made after seeing another edit sorts after it. Ties between devices are broken by the node
id, which makes the order total: two terminals sort the same events the same way.

Everything here is pure: the caller passes the last timestamp it knows and the wall time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gateui.domain.errors import ValidationError

# Sortable text form: fixed-width decimal fields, so comparing strings compares timestamps
# (for physical times before the year 5138 and fewer than 10**6 events in one millisecond).
_MS_WIDTH = 14
_COUNTER_WIDTH = 6
_TEXT = re.compile(rf"^(\d{{{_MS_WIDTH}}})-(\d{{{_COUNTER_WIDTH}}})-(.+)$")


@dataclass(frozen=True, order=True, slots=True)
class HLC:
    """One timestamp; the dataclass order is the total order (physical, counter, node)."""

    physical_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.physical_ms:0{_MS_WIDTH}d}-{self.counter:0{_COUNTER_WIDTH}d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> HLC:
        match = _TEXT.match(text)
        if match is None:
            raise ValidationError("hlc.bad_text", text=text)
        return cls(int(match.group(1)), int(match.group(2)), match.group(3))


ZERO = HLC(0, 0, "")
"""Earlier than every real timestamp: the clock of a device that has seen nothing yet."""


def send(last: HLC, wall_ms: int, node: str) -> HLC:
    """The timestamp of a new local event, given the greatest timestamp known so far."""
    if wall_ms > last.physical_ms:
        return HLC(wall_ms, 0, node)
    # The wall clock is behind (or equal to) what we have seen: keep the physical part and
    # count, so that the new event still sorts after everything known.
    return HLC(last.physical_ms, last.counter + 1, node)


def receive(last: HLC, remote: HLC, wall_ms: int, node: str) -> HLC:
    """The device's clock after it receives `remote`: greater than both and than nothing else.

    A device whose clock runs far ahead drags the physical part of the others forward; the
    order stays correct, only the physical part stops being a good estimate of real time.
    """
    physical = max(last.physical_ms, remote.physical_ms, wall_ms)
    if physical == last.physical_ms == remote.physical_ms:
        counter = max(last.counter, remote.counter) + 1
    elif physical == last.physical_ms:
        counter = last.counter + 1
    elif physical == remote.physical_ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return HLC(physical, counter, node)


def compare(a: HLC, b: HLC) -> int:
    """-1, 0 or 1 as `a` sorts before, equal to or after `b`."""
    return (a > b) - (a < b)
