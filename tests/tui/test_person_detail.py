"""The leader's person detail: the only screen with the full ID number, behind badge + PIN."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from gateui.domain.resident_id import mask_id
from gateui.errors import PermissionDeniedError
from gateui.services import lookup, presence, registry
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.login import LoginScreen
from gateui.tui.screens.override import LeaderCheckScreen
from gateui.tui.screens.person_detail import PersonDetailScreen
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle
from tests.tui.test_sync_state import plain


def screen_text(app: object) -> str:
    """Everything the current screen's Statics show, as plain text."""
    screen = app.screen  # type: ignore[attr-defined]
    return "\n".join(plain(s, 200) for s in screen.query(Static))


def table_rows(screen: PersonDetailScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_leader_sees_the_full_number_status_and_passages(tui: TuiGate) -> None:
    ctx, number = tui.ctx, tui.gate.id_numbers["张露"]
    person = tui.gate.people["张露"]
    registry.set_person_status(ctx, person, "home_isolation", "密接者，居家7天", tui.gate.leader_id)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # nobody authorises the hit: refused, recorded
        await settle(pilot)
        refused = presence.recent_entries(ctx)[0]
        assert refused.outcome == "referred"
        await scan(pilot, "GT1000")
        card_text = screen_text(app)
        assert number not in card_text and mask_id(number) in card_text  # masked at the gate
        await pilot.press("f11")
        await settle(pilot)
        assert isinstance(app.screen, LeaderCheckScreen)
        await pilot.press(*"B1001", "enter", *"1234", "enter")  # a guard is not a leader
        await settle(pilot)
        assert isinstance(app.screen, LeaderCheckScreen)
        await pilot.press("ctrl+u", *"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, PersonDetailScreen)
        shown = screen_text(app)
        assert number in shown and "13900000000" in shown and "综采一队" in shown
        assert "居家隔离" in shown and "密接者，居家7天" in shown
        assert "自 2026-11-20 09:30" in shown  # since when, in the site's time
        assert "李娜" in shown  # who is looking
        rows = table_rows(detail)
        assert rows == [["11-20 09:30", "N1", "进", "⚠ 转班长", "王强", "状态：居家隔离"]]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is gate and gate.card is not None and gate.card.name == "张露"
        assert number not in screen_text(app)


async def test_detail_needs_a_card_and_the_service_refuses_a_guard(tui: TuiGate) -> None:
    with pytest.raises(PermissionDeniedError):
        lookup.person_detail(tui.ctx, tui.gate.people["张露"], tui.gate.guard_id)
    detail = lookup.person_detail(tui.ctx, tui.gate.people["张露"], tui.gate.leader_id)
    assert detail.card.id_number == tui.gate.id_numbers["张露"] and detail.recent == ()
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f11")  # nobody on the card: nothing to show
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)


async def test_locking_wipes_the_detail_and_closes_it(tui: TuiGate) -> None:
    number = tui.gate.id_numbers["曾小贤"]
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        await scan(pilot, "GT1002")
        await pilot.press("f11", *"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, PersonDetailScreen) and number in screen_text(app)
        app.lock()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert number not in plain(detail.query_one("#detail-facts", Static))
        await login(pilot)
        assert app.screen is gate  # back at the gate, not at the full number
