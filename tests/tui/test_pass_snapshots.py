"""Pictures of the permit and report screens at 80x24, in Chinese and English.

A fixed clock and fixed data keep them stable; run with --snapshot-update after an
intended change, and look at the SVGs under __snapshots__ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages, permits
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle
from tests.tui.test_pass_flows import permit_app

SnapCompare = Callable[..., bool]
LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


def one_signed_permit(tui: TuiGate) -> None:
    ctx, now = tui.ctx, tui.ctx.now()
    view = permits.create_permit(
        ctx, tui.gate.people["张露"], now, now + timedelta(hours=10), "就医", tui.gate.leader_id
    )
    permits.approve_permit(ctx, view.id, tui.gate.guard_id)


def some_entries(tui: TuiGate) -> None:
    answers = normal_answers(tui.ctx.checklist)
    for name in ("张露", "单雄信"):
        request = passages.PersonPassage(tui.gate.people[name], Direction.IN, answers)
        passages.register_person(tui.ctx, tui.gate.guard_id, request)


async def clear_toasts(pilot: Pilot[None]) -> None:
    pilot.app.clear_notifications()
    await settle(pilot)


@LANGS
def test_desk_menu_with_a_card(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def open_menu(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "GT1001")
        await pilot.press("f10")
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=open_menu)


@LANGS
def test_exit_refused_for_want_of_a_permit(
    tui: TuiGate, snap_compare: SnapCompare, lang: str
) -> None:
    some_entries(tui)
    one_signed_permit(tui)
    app, _ctx = permit_app(tui, lang)

    async def scan_leaving(pilot: Pilot[None]) -> None:
        await login(pilot)
        await scan(pilot, "GT1000")  # 张露, on site, with one signature only
        await clear_toasts(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=scan_leaving)


@LANGS
def test_permit_list(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    one_signed_permit(tui)

    async def open_list(pilot: Pilot[None]) -> None:
        await login(pilot)
        await pilot.press("f10", "1")
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=open_list)


@LANGS
def test_permit_sign(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    one_signed_permit(tui)

    async def open_sign(pilot: Pilot[None]) -> None:
        await login(pilot)
        await pilot.press("f10", "1")
        await settle(pilot)
        await pilot.press("enter")
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=open_sign)


@LANGS
def test_permit_form_refused(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    async def refused_form(pilot: Pilot[None]) -> None:
        await login(pilot, "L2001", "5678")  # a leader: the form opens at once
        await pilot.press("f10", "1")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press(*"zl", "enter", "enter", "ctrl+u", *"2026-11-20", "f10")
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=refused_form)


@LANGS
def test_daily_report_draft(tui: TuiGate, snap_compare: SnapCompare, lang: str) -> None:
    some_entries(tui)

    async def open_report(pilot: Pilot[None]) -> None:
        await login(pilot)
        await pilot.press("f10", "2")
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        await clear_toasts(pilot)

    assert snap_compare(tui.app(lang), terminal_size=SIZE, run_before=open_report)
