"""Cancelling an exit permit in the TUI, keyboard only at 80x24 over a real database: F4 on
the permit list, a leader's badge, PIN and reason in a modal; the gate then refuses the
permit in words."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from gateui.services import permits
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.permit_cancel import PermitCancelScreen
from gateui.tui.screens.permit_list import PermitListScreen
from gateui.tui.widgets.keybar import KeyBar
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle, type_text
from tests.tui.test_pass_flows import STAFF_NEED_PERMITS, permit_app, text_of


def complete_permit(tui: TuiGate, name: str = "张露") -> permits.PermitView:
    ctx, gate = tui.ctx, tui.gate
    now = ctx.now()
    view = permits.create_permit(
        ctx,
        gate.people[name],
        now,
        now + timedelta(days=2),
        "就医",
        gate.leader_id,
        config=STAFF_NEED_PERMITS,
    )
    permits.approve_permit(ctx, view.id, gate.guard_id, config=STAFF_NEED_PERMITS)
    return permits.approve_permit(ctx, view.id, gate.leader_id, config=STAFF_NEED_PERMITS)


async def open_permit_list(pilot: Pilot[None]) -> PermitListScreen:
    """Logged in on the gate screen: F10, 1 opens the permit list."""
    await pilot.press("f10", "1")
    await settle(pilot)
    listing = pilot.app.screen
    assert isinstance(listing, PermitListScreen)
    return listing


def error_of(screen: PermitCancelScreen, name: str) -> str:
    return str(screen.field(name).query_one(".field--error", Static).content)


async def test_a_leader_cancels_a_signed_permit_and_the_gate_refuses_it(tui: TuiGate) -> None:
    view = complete_permit(tui)
    assert view.complete
    app, ctx = permit_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        listing = await open_permit_list(pilot)
        assert listing.query_one(DataTable).row_count == 1  # complete permits stay listed
        assert "F4" in str(listing.query_one(KeyBar).content)  # the key is shown
        assert "撤销" in str(listing.query_one(KeyBar).content)

        await pilot.press("f4")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PermitCancelScreen)
        # A guard's badge is not a leader's: refused in words, nothing written.
        await pilot.press(*"B1001", "enter", *"1234", "enter")
        await type_text(pilot, "行程取消")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal and "班长" in error_of(modal, "leader")
        assert permits.check_exit(ctx, view.person_id).allowed
        # No reason: refused before the PIN is even checked.
        modal.field("leader").input.value = ""
        modal.field("reason").input.value = ""
        modal.field("leader").input.focus()
        await pilot.press(*"L2001", "enter", *"5678", "enter", "enter")
        await settle(pilot)
        assert app.screen is modal and "原因" in error_of(modal, "reason")
        assert permits.current_permits(ctx) != []

        modal.field("leader_pin").input.focus()
        await pilot.press(*"5678", "enter")
        await type_text(pilot, "行程取消")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is listing
        assert "已撤销" in text_of(app, "#permits-status")
        assert listing.query_one(DataTable).row_count == 0

        (cancelled,) = permits.permits_of(ctx, view.person_id)
        assert cancelled.cancelled is not None
        assert (cancelled.cancelled.by_name, cancelled.cancelled.reason) == ("李娜", "行程取消")

        # At the gate: 张露 is on site, leaves, and the cancelled permit does not let her out.
        await pilot.press("escape")
        await settle(pilot)
        await scan(pilot, tui.gate.id_numbers["张露"])
        await pilot.press("enter")
        await settle(pilot)
        await scan(pilot, tui.gate.id_numbers["张露"])
        gate = app.screen
        assert isinstance(gate, GateScreen) and gate.direction.value == "out"
        assert "撤销" in text_of(app, "#verdict")


async def test_the_cancel_modal_speaks_english(tui: TuiGate) -> None:
    complete_permit(tui)
    app, _ = permit_app(tui, "en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await open_permit_list(pilot)
        assert "Cancel permit" in str(app.screen.query_one(KeyBar).content)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, PermitCancelScreen)
        box = app.screen.query_one("#leader-box")
        assert box.border_title == "Cancel the exit permit (a leader)"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PermitListScreen)
        assert app.screen.query_one(DataTable).row_count == 1  # Esc cancels nothing


async def test_sign_or_cancel_on_an_empty_list_says_what_to_do(tui: TuiGate) -> None:
    app, _ctx = permit_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        listing = await open_permit_list(pilot)
        assert listing.query_one(DataTable).row_count == 0
        for key in ("f4", "f3"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is listing  # no modal for a permit that is not there
            assert "选中一张" in text_of(app, "#permits-status")
