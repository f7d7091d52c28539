"""Vehicles: everyone aboard passes the checklist person by person; an unknown plate gets a
short registration form."""

from __future__ import annotations

from textual.widgets import Static

from gateui.services import presence, sync_io
from gateui.services.lookup import find
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.people_checks import PeopleChecksScreen
from gateui.tui.screens.vehicle import VehicleScreen
from gateui.tui.screens.vehicle_register import VehicleRegisterScreen
from gateui.tui.widgets.choice import ChoiceRow
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text
from tests.tui.test_gate_flows import status_text


def people_text(screen: VehicleScreen) -> str:
    return str(screen.query_one("#vehicle-people", Static).render())


def created_vehicles(tui: TuiGate) -> int:
    return sync_io.sync_status(tui.ctx, by_kind=True).pending_by_kind.get("vehicle.created", 0)


async def test_each_person_aboard_is_checked_on_their_own_answers(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "a12345")
        screen = app.screen
        assert isinstance(screen, VehicleScreen)
        await scan(pilot, tui.gate.id_numbers["张露"])
        await scan(pilot, "GT1002")  # 曾小贤
        assert "全部正常" in people_text(screen)
        await pilot.press("f6")
        await settle(pilot)
        checks = app.screen
        assert isinstance(checks, PeopleChecksScreen)
        assert checks.current.name == "曾小贤"  # the one scanned last, likely in front
        await pilot.press("right", "right")  # health code: red
        await pilot.press("pageup")
        assert checks.current.name == "张露" and checks.panel.answers()["health_code"] == "green"
        await pilot.press("down", "down", "down", *"38.2")  # temperature, replacing 36.5
        assert checks.panel.answers()["temperature"] == "38.2"
        await pilot.press("f10")
        await settle(pilot)
        assert app.screen is screen
        shown = people_text(screen)
        assert "✖ 张露" in shown and "✖ 曾小贤" in shown and "✖ 单雄信" not in shown
        assert "检查项异常" in shown and "红码" in shown
        await pilot.press("enter")  # save
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        entries = {e.name or e.plate: e for e in presence.recent_entries(tui.ctx, limit=10)}
        assert entries["豫A12345"].outcome == "admitted"  # the driver is fine
        assert entries["单雄信"].outcome == "admitted" and entries["单雄信"].reasons == ()
        assert entries["张露"].outcome == "denied"
        assert any(r.startswith("temperature") for r in entries["张露"].reasons)
        assert entries["曾小贤"].outcome == "denied"
        assert entries["曾小贤"].reasons == ("health_code:red",)
        assert presence.on_site_counts(tui.ctx) == (1, 1)
        assert "2 人未放行" in status_text(app)


async def test_checks_dropped_with_escape_and_a_bad_temperature_is_refused(tui: TuiGate) -> None:
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "A12345")
        screen = app.screen
        assert isinstance(screen, VehicleScreen)
        await pilot.press("f6")
        await settle(pilot)
        checks = app.screen
        assert isinstance(checks, PeopleChecksScreen) and checks.current.name == "单雄信"
        await pilot.press("down", "down", "down", "3", "f10")  # a temperature of 3 °C
        await settle(pilot)
        assert app.screen is checks  # not accepted
        verdict = str(checks.query_one("#checks-verdict", Static).render())
        assert "Fix 单雄信's checks" in verdict
        await pilot.press("escape")  # drop the changes
        await settle(pilot)
        assert app.screen is screen and "all normal" in people_text(screen)
        await pilot.press("enter")
        await settle(pilot)
        entry = next(e for e in presence.recent_entries(tui.ctx) if e.name == "单雄信")
        assert entry.outcome == "admitted"


async def test_an_unknown_plate_is_registered_then_its_passage(tui: TuiGate) -> None:
    before = created_vehicles(tui)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "豫B12345")
        form = app.screen
        assert isinstance(form, VehicleRegisterScreen)
        assert form.field("plate").value == "豫B12345"
        kind = form.query_one("#vehicle-kind", ChoiceRow)
        assert app.focused is kind and kind.value == "car"  # the plate is fine: choose a kind
        await pilot.press("right", "enter")  # a van
        await type_text(pilot, "顺达物流")
        await pilot.press("enter")  # Enter on the last field saves
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, VehicleScreen) and screen.card is not None
        assert (screen.card.plate, screen.card.kind, screen.card.unit) == (
            "豫B12345",
            "van",
            "顺达物流",
        )
        assert created_vehicles(tui) == before + 1
        assert [m.label for m in find(tui.ctx, "b12345") if m.kind == "vehicle"] == ["豫B12345"]
        await scan(pilot, "GT1000")  # the driver
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        vehicle = next(e for e in presence.recent_entries(tui.ctx) if e.subject == "vehicle")
        assert (vehicle.plate, vehicle.outcome) == ("豫B12345", "admitted")


async def test_an_invalid_plate_is_refused_beside_the_field_and_nothing_is_lost(
    tui: TuiGate,
) -> None:
    before = created_vehicles(tui)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "豫B12345")
        form = app.screen
        assert isinstance(form, VehicleRegisterScreen)
        await pilot.press("up")  # back to the plate, selected: typing replaces it
        await type_text(pilot, "豫BI2345")  # I is never used on plates
        await pilot.press("enter", "right", "right", "enter")
        await type_text(pilot, "外协")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        plate = form.field("plate")
        assert plate.has_class("-invalid")
        assert "I" in str(plate.query_one(".field--error", Static).render())
        assert created_vehicles(tui) == before and find(tui.ctx, "BI2345") == []
        assert form.field("unit").value == "外协"  # what was typed stays
        assert form.query_one("#vehicle-kind", ChoiceRow).value == "bus"
        assert app.focused is plate.input
        await type_text(pilot, "豫B54321")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, VehicleScreen)
        assert app.screen.card is not None and app.screen.card.kind == "bus"
        assert created_vehicles(tui) == before + 1


async def test_cancelled_registration_puts_the_plate_back(tui: TuiGate) -> None:
    before = created_vehicles(tui)
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "B12345")
        assert isinstance(app.screen, VehicleRegisterScreen)
        await pilot.press("escape")
        await settle(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen) and gate.scan.value == "B12345"
        assert "not registered" in status_text(app) and "F4" in status_text(app)
        assert created_vehicles(tui) == before
        await pilot.press("f4")  # F4 on a typed plate opens the form again
        await settle(pilot)
        assert isinstance(app.screen, VehicleRegisterScreen)
