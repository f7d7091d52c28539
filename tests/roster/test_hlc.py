"""The hybrid logical clock: monotonic on a device, ahead of everything it has seen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateui.domain.errors import ValidationError
from gateui.domain.hlc import HLC, ZERO, compare, receive, send

nodes = st.sampled_from(["A1", "B2", "C3"])
walls = st.integers(min_value=0, max_value=2**45)
stamps = st.builds(HLC, walls, st.integers(min_value=0, max_value=10_000), nodes)
# A step is either a local event at some wall time, or receiving a remote timestamp.
steps = st.lists(st.tuples(walls, st.none() | stamps), min_size=1, max_size=40)


@given(steps, nodes)
def test_a_device_clock_only_moves_forward_whatever_its_wall_clock_does(
    script: list[tuple[int, HLC | None]], node: str
) -> None:
    clock = ZERO
    for wall, remote in script:
        after = send(clock, wall, node) if remote is None else receive(clock, remote, wall, node)
        assert after > clock
        if remote is not None:
            assert after > remote  # an edit made after seeing another sorts after it
        assert after.physical_ms >= wall  # never behind the wall clock
        clock = after


@given(stamps, walls, nodes)
def test_send_follows_the_wall_clock_when_it_is_ahead(last: HLC, wall: int, node: str) -> None:
    stamp = send(last, wall, node)
    if wall > last.physical_ms:
        assert stamp == HLC(wall, 0, node)
    else:
        assert (stamp.physical_ms, stamp.counter) == (last.physical_ms, last.counter + 1)


def test_a_clock_set_back_keeps_counting_from_what_it_has_seen() -> None:
    first = send(ZERO, 5_000, "A1")
    second = send(first, 1_000, "A1")  # somebody set the clock back
    assert second == HLC(5_000, 1, "A1")


def test_receive_from_a_clock_far_ahead_jumps_to_it() -> None:
    ahead = HLC(9_000, 4, "B2")
    assert receive(HLC(1_000, 0, "A1"), ahead, 1_500, "A1") == HLC(9_000, 5, "A1")
    assert receive(HLC(9_000, 7, "A1"), ahead, 1_500, "A1") == HLC(9_000, 8, "A1")
    assert receive(HLC(1_000, 0, "A1"), ahead, 20_000, "A1") == HLC(20_000, 0, "A1")


@given(stamps, stamps, stamps)
def test_compare_is_a_total_order_on_physical_counter_node(a: HLC, b: HLC, c: HLC) -> None:
    assert compare(a, b) == -compare(b, a)
    assert (compare(a, b) == 0) == (a == b)
    if compare(a, b) <= 0 and compare(b, c) <= 0:
        assert compare(a, c) <= 0
    assert (compare(a, b) < 0) == (
        (a.physical_ms, a.counter, a.node) < (b.physical_ms, b.counter, b.node)
    )


@given(stamps, stamps)
def test_text_form_round_trips_and_sorts_like_the_stamp(a: HLC, b: HLC) -> None:
    assert HLC.parse(a.encode()) == a
    assert (a.encode() < b.encode()) == (a < b)


def test_malformed_text_is_refused_with_a_code() -> None:
    with pytest.raises(ValidationError) as caught:
        HLC.parse("yesterday")
    assert caught.value.code == "hlc.bad_text"
