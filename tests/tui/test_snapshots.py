"""Pictures of the main screens at 80x24, in Chinese and English.

A fixed clock and fixed data keep them stable; run with --snapshot-update after an
intended change, and look at the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SIZE, WATCHED, TuiGate, login, scan, settle

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_login_screen(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    assert snap_compare(tui.app(lang), terminal_size=SIZE)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gate_screen_with_a_card(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def admit_one_then_scan_the_next(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, tui.gate.id_numbers["张露"])
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "GT1001")

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=admit_one_then_scan_the_next)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gate_screen_watch_list_hit(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def scan_the_watched(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, tui.gate.id_numbers[WATCHED])

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=scan_the_watched)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_walk_in_form_with_errors(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def refused_walk_in(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "刘备")
        await pilot.press(*"110101199003071235", "enter", *"12345", "f10")
        await settle(pilot)
        pilot.app.clear_notifications()  # toasts time out; the form's own messages stay
        await settle(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=refused_walk_in)


def test_gate_screen_high_contrast(tui: TuiGate, snap_compare: SnapCompare) -> None:
    async def scan_one(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "GT1001")

    app = tui.app()
    app.high_contrast = True
    assert snap_compare(app, terminal_size=SIZE, run_before=scan_one)
