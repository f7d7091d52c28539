"""The roster grid at 80x24 in Chinese and English: names, a short shift, a rule broken (and
explained below the grid), a locked shift and a guard rostered while off sick.

Fixed clock, fixed guards and the deterministic generator keep the picture stable; run
with --snapshot-update after an intended change and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from gateui.services import roster
from gateui.services.roster import Assign, CellKey, Lock, SetUnavailable, Unassign
from tests.tui.conftest import settle
from tests.tui.roster_support import FRIDAY, SIZE, THIS_MONDAY, RosterTui, open_roster, rtui

__all__ = ["rtui"]  # the fixture
SnapCompare = Callable[..., bool]


def a_week_with_problems(rtui: RosterTui) -> None:
    ctx, leader = rtui.ctx, rtui.leader
    roster.generate_and_apply(ctx, leader, THIS_MONDAY, THIS_MONDAY + timedelta(days=6))
    grid = roster.roster_view(ctx, THIS_MONDAY, THIS_MONDAY + timedelta(days=6))
    friday_evening = CellKey(FRIDAY, "evening", "N1")
    saturday_night = CellKey(FRIDAY + timedelta(days=1), "night", "N1")
    tired, gone = grid.cells[friday_evening].guards
    sunday = grid.cells[CellKey(FRIDAY + timedelta(days=2), "day", "N1")].guards[0]
    roster.record_events(
        ctx,
        leader,
        [
            Unassign(friday_evening, gone.id),  # short
            Assign(saturday_night, tired.id),  # no rest after Friday evening, one too many
            Lock(CellKey(FRIDAY - timedelta(days=1), "day", "N1")),
            SetUnavailable(
                sunday.id, FRIDAY + timedelta(days=2), FRIDAY + timedelta(days=2), "sick"
            ),
        ],
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roster_grid(rtui: RosterTui, snap_compare: SnapCompare, lang: str) -> None:
    a_week_with_problems(rtui)

    async def to_the_broken_rule(pilot: Pilot[None]) -> None:
        await open_roster(pilot)
        await pilot.press("up", "right")  # from Friday's day shift to Saturday's night
        await settle(pilot)

    assert snap_compare(rtui.app(lang), terminal_size=SIZE, run_before=to_the_broken_rule)
