"""Passes, exit permits and the daily report through the gate terminal, keyboard only, at
80x24, over a real database: a pass PNG read by a real decoder and typed as a wedge scanner
types it, a two-signature exit, a day closed by a leader."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Static

from gateui.domain.permits import PermitConfig
from gateui.services import passes, permits, presence, reports
from gateui.services.context import GateContext
from gateui.tui.app import GateApp, create_app
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.override import OverrideScreen
from gateui.tui.screens.permit_form import PermitFormScreen
from gateui.tui.screens.permit_list import PermitCreateCheck, PermitListScreen
from gateui.tui.screens.permit_sign import PermitSignScreen
from gateui.tui.screens.report_daily import CloseDayCheck, DailyReportScreen
from gateui.tui.screens.report_menu import DeskMenu
from tests.passes.test_pass_service import decode_png
from tests.tui.conftest import SIZE, TuiGate, burst, login, scan, settle, type_text

STAFF_NEED_PERMITS = PermitConfig(kinds=frozenset({"employee"}))


def text_of(app: GateApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).content)


def permit_app(tui: TuiGate, lang: str = "zh") -> tuple[GateApp, GateContext]:
    """The gate of a site where staff need an exit permit (a lockdown)."""
    site = tui.ctx.site.model_copy(update={"permits": STAFF_NEED_PERMITS})
    ctx = dataclasses.replace(tui.ctx, site=site)
    return create_app(ctx, lang, cursor_blink=False), ctx


def issued_png(tui: TuiGate, tmp_path: Path, name: str) -> Path:
    passes.create_site_key(tui.ctx, "北门")
    now = tui.ctx.now()
    (view,) = passes.issue_passes(
        tui.ctx, [tui.gate.people[name]], None, now, now + timedelta(days=30), tmp_path
    )
    return view.png_path


async def test_pass_png_decoded_and_typed_by_a_wedge_scanner_fills_the_card(
    tui: TuiGate, tmp_path: Path
) -> None:
    (token,) = decode_png(issued_png(tui, tmp_path, "张露"))  # zxing-cpp reads the file
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await burst(pilot, *token, "enter")  # the whole code and Enter in one burst
        assert gate.card is not None and gate.card.name == "张露"
        assert app.focused is gate.scan and gate.scan.value == ""
        await pilot.press("enter")
        await settle(pilot)
        (entry,) = presence.recent_entries(tui.ctx)
        assert (entry.name, entry.direction, entry.outcome) == ("张露", "in", "admitted")
        # Caps Lock and a wedge that types lower case: the same pass, the same person.
        await burst(pilot, *token.lower(), "enter")
        assert gate.card is not None and gate.card.name == "张露"
        assert gate.direction.value == "out"


async def test_forged_and_truncated_passes_are_refused_in_words(
    tui: TuiGate, tmp_path: Path
) -> None:
    (token,) = decode_png(issued_png(tui, tmp_path, "张露"))
    flipped = "A" if token[40] != "A" else "B"
    forged = token[:40] + flipped + token[41:]
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await burst(pilot, *forged, "enter")
        status = text_of(app, "#gate-status")
        assert gate.card is None
        assert "通行证无效" in status and ("伪造" in status or "有效的通行证码" in status)
        await pilot.press("escape")
        await burst(pilot, *token[:60], "enter")  # the scanner read only part of it
        assert gate.card is None and "重新扫描" in text_of(app, "#gate-status")
    assert presence.recent_entries(tui.ctx) == []  # nothing saved for a refused pass


async def leave(pilot: object, tui: TuiGate, name: str = "张露") -> GateScreen:
    """Scan someone who is on site: their card shows with direction out."""
    await scan(pilot, tui.gate.id_numbers[name])  # type: ignore[arg-type]
    screen = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, GateScreen) and screen.direction.value == "out"
    return screen


async def test_exit_needs_two_signatures_made_in_the_tui(tui: TuiGate) -> None:
    app, ctx = permit_app(tui)
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, tui.gate.id_numbers["张露"])
        await pilot.press("enter")  # in: staff enter freely
        await settle(pilot)
        gate = await leave(pilot, tui)
        verdict = text_of(app, "#verdict")
        assert "不能离场" in verdict and "没有许可" in verdict
        await pilot.press("enter")  # no permit: the leader's override, or refused
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")
        await settle(pilot)
        refused = presence.recent_entries(ctx)[0]
        assert (refused.direction, refused.outcome, refused.reasons) == (
            "out",
            "denied",
            ("permit:none",),
        )
        assert "需要离场许可" in text_of(app, "#gate-status")
        assert presence.on_site_counts(ctx) == (1, 0)  # still on site

        # The guard asks for a permit: F10, 1, F2; a leader's badge first (a guard is not one).
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, DeskMenu)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, PermitListScreen)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, PermitCreateCheck)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PermitFormScreen)
        await type_text(pilot, "zl")  # pinyin initials of 张露
        await pilot.press("enter", "enter", "enter")  # find, then keep the default window
        assert form.person_id == tui.gate.people["张露"]
        await pilot.press("f10")  # no reason: refused in words, nothing saved
        assert form.field("reason").has_class("-invalid")
        assert permits.open_permits(ctx) == []
        await type_text(pilot, "就医")
        await pilot.press("enter")
        await settle(pilot)
        listing = app.screen
        assert isinstance(listing, PermitListScreen)
        assert listing.query_one(DataTable).row_count == 1
        assert "张露" in text_of(app, "#permits-status")

        # First signature: the unit's (the guard may sign it); the same person cannot sign twice.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PermitSignScreen)
        await pilot.press(*"B1001", "enter", *"1234", "enter")
        await settle(pilot)
        assert app.screen is listing and "王强" in text_of(app, "#permits-status")
        await pilot.press("enter")
        await settle(pilot)
        sign = app.screen
        assert isinstance(sign, PermitSignScreen)
        await pilot.press(*"B1001", "enter", *"1234", "enter")
        await settle(pilot)
        assert app.screen is sign and sign.field("leader").has_class("-invalid")
        error = str(sign.field("leader").query_one(".field--error", Static).content)
        assert "同一人不能签两次" in error
        (waiting,) = permits.open_permits(ctx)
        assert [s.signer_name for s in waiting.signatures] == ["王强"]

        # With one signature only, the gate still refuses (and says why).
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("escape")  # from the permit list back to the gate
        await settle(pilot)
        gate = await leave(pilot, tui)
        assert "只有一个签字" in text_of(app, "#verdict")

        # The site office signs: the permit is complete and the exit goes through.
        await pilot.press("f10", "1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PermitListScreen)
        assert "两个签字" in text_of(app, "#permits-status")
        assert permits.open_permits(ctx) == []
        await pilot.press("escape")
        await settle(pilot)
        gate = await leave(pilot, tui)
        assert "离场许可有效" in text_of(app, "#verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert gate.card is None
        done = presence.recent_entries(ctx)[0]
        assert (done.direction, done.outcome, done.reasons) == ("out", "admitted", ())
        assert presence.on_site_counts(ctx) == (0, 0)


async def test_leader_override_of_a_refused_exit_is_recorded(tui: TuiGate) -> None:
    app, ctx = permit_app(tui, "en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "GT1001")
        await pilot.press("enter")
        await settle(pilot)
        await leave(pilot, tui, "单雄信")
        assert "May not leave" in text_of(app, "#verdict")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press(*"L2001", "enter", *"5678", "enter", *"family emergency", "enter")
        await settle(pilot)
        entry = presence.recent_entries(ctx)[0]
        assert (entry.direction, entry.outcome, entry.override_by_name) == (
            "out",
            "admitted",
            "李娜",
        )
        assert entry.reasons == ("permit:none",)
        assert "leader override" in text_of(app, "#gate-status")


async def test_daily_report_refuses_an_open_day_then_closes_yesterday_and_exports(
    tui: TuiGate,
) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f10", "2")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DailyReportScreen)
        assert "2026-11-20" in text_of(app, "#report-day") and "草稿" in text_of(app, "#report-day")
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, CloseDayCheck)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "还没有结束" in text_of(app, "#report-status")
        assert reports.daily_report(tui.ctx, screen.day).closed is False  # type: ignore[arg-type]
        await pilot.press("f2", "f4")  # the day before, which is over
        await settle(pilot)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        assert "2026-11-19" in text_of(app, "#report-day") and "李娜" in text_of(app, "#report-day")
        assert "零报告" in text_of(app, "#report-status")
        await pilot.press("f6")
        await settle(pilot)
        written = Path(text_of(app, "#report-status").split("：", 1)[1].strip())
        assert written.parent == tui.ctx.db.path.parent and written.suffix == ".csv"
        rows = written.read_text(encoding="utf-8-sig").splitlines()
        assert "report,status,closed" in rows and "report,zero_report,yes" in rows
    closed = reports.daily_report(tui.ctx, screen.day)  # type: ignore[arg-type]
    assert closed.closed and closed.signed_by_name == "李娜"
    assert json.loads(json.dumps(closed.totals.to_payload()))["zero"] is True
