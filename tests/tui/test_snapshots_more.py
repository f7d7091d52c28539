"""Pictures of the newer screens at 80x24: sync details, the leader's person detail, the
vehicle registration form, and the checks of everyone aboard.

Run with --snapshot-update after an intended change and look at the SVGs under
__snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from textual.pilot import Pilot

from gateui.services import sync_io
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def fixed_device_id(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync details show the device id, random in real life; fixed for the pictures."""
    fixed = SimpleNamespace(token_hex=lambda n: "5EED0DEC1D"[: 2 * n])
    monkeypatch.setattr("gateui.services.context.secrets", fixed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sync_details(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    ctx = tui.ctx
    sync_io.save_enrollment(ctx, "https://hq.example.cn:8443", "token", "DEMO", 0)
    sync_io.mark_acknowledged(ctx, 5)
    tui.gate.clock.advance(600)
    sync_io.record_attempt(ctx, online=False, error="ConnectError: [Errno 111] Connection refused")

    async def admit_then_open_details(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=admit_then_open_details)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_person_detail(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def admit_then_look_closer(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "GT1001")
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, "GT1001")
        await pilot.press("f11", *"L2001", "enter", *"5678", "enter")
        await settle(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=admit_then_look_closer)


def test_vehicle_register_refused_plate(tui: TuiGate, snap_compare: SnapCompare) -> None:
    async def register_a_bad_plate(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "豫B12345")
        await pilot.press("up")
        await type_text(pilot, "豫BO2345")
        await pilot.press("f10")
        await settle(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    assert snap_compare(tui.app(), terminal_size=SIZE, run_before=register_a_bad_plate)


def test_people_checks(tui: TuiGate, snap_compare: SnapCompare) -> None:
    async def one_passenger_with_a_red_code(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "A12345")
        await scan(pilot, "GT1002")
        await pilot.press("f6", "right", "right")
        await settle(pilot)

    assert snap_compare(tui.app("en"), terminal_size=SIZE, run_before=one_passenger_with_a_red_code)
