"""A truck leaving a site whose staff need an exit permit, keyboard only at 80x24 over a
real database: the screen says who may not leave and why; Enter asks for a leader's
override; without one the truck and the driver are saved as refused, with the reasons."""

from __future__ import annotations

import dataclasses

from textual.widgets import Static

from gateui.domain.permits import PermitConfig
from gateui.services import presence
from gateui.services.context import GateContext
from gateui.tui.app import GateApp, create_app
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.override import OverrideScreen
from gateui.tui.screens.vehicle import VehicleScreen
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text
from tests.tui.test_gate_flows import status_text

STAFF_NEED_PERMITS = PermitConfig(kinds=frozenset({"employee"}))


def permit_app(tui: TuiGate, lang: str) -> tuple[GateApp, GateContext]:
    site = tui.ctx.site.model_copy(update={"permits": STAFF_NEED_PERMITS})
    ctx = dataclasses.replace(tui.ctx, site=site)
    return create_app(ctx, lang, cursor_blink=False), ctx


def shown(screen: VehicleScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def drive_in_then_back(pilot: object, tui: TuiGate) -> VehicleScreen:
    """The truck comes in with its usual driver, then is scanned again: leaving."""
    await scan(pilot, "a12345")  # type: ignore[arg-type]
    app = pilot.app  # type: ignore[attr-defined]
    assert isinstance(app.screen, VehicleScreen)
    await pilot.press("enter")  # type: ignore[attr-defined]  # in: staff enter freely
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, GateScreen)
    await scan(pilot, "a12345")  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, VehicleScreen) and screen.direction.value == "out"
    return screen


async def test_a_driver_without_a_permit_is_named_and_refused_in_words(tui: TuiGate) -> None:
    app, ctx = permit_app(tui, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        screen = await drive_in_then_back(pilot, tui)
        alarm = shown(screen, "#vehicle-alarm")
        assert "单雄信" in alarm and "不能离场" in alarm and "没有许可" in alarm
        assert "✖ 单雄信" in shown(screen, "#vehicle-people")
        await pilot.press("enter")  # refused: the leader's override, or saved as refused
        await settle(pilot)
        override = app.screen
        assert isinstance(override, OverrideScreen)
        assert "没有许可" in str(override.query_one("#override-reasons", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        status = status_text(app)
        assert "禁止" in status and "1 人未放行（单雄信）" in status
        assert "司机禁止" in status and "需要离场许可" in status
        truck, driver = presence.recent_entries(ctx, limit=2)[::-1]
        assert (truck.plate, truck.direction, truck.outcome) == ("豫A12345", "out", "denied")
        assert truck.reasons == ("driver:denied", "permit:none")
        assert (driver.name, driver.outcome, driver.reasons) == (
            "单雄信",
            "denied",
            ("permit:none",),
        )
        assert presence.on_site_counts(ctx) == (1, 1)  # both still on site


async def test_a_leader_lets_the_truck_out_and_the_override_is_recorded(tui: TuiGate) -> None:
    app, ctx = permit_app(tui, "en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        screen = await drive_in_then_back(pilot, tui)
        assert "May not leave" in shown(screen, "#vehicle-alarm")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await type_text(pilot, "urgent repair")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        driver = presence.recent_entries(ctx, limit=1)[0]
        assert (driver.name, driver.outcome, driver.override_by_name) == (
            "单雄信",
            "admitted",
            "李娜",
        )
        assert driver.reasons == ("permit:none",)
        assert presence.on_site_counts(ctx) == (0, 0)
        assert "Admitted" in status_text(app) and "leader override" in status_text(app)
