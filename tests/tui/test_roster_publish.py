"""Publishing the roster (text, files, QR pages) and entering absences, from the keyboard."""

from __future__ import annotations

from datetime import timedelta

import openpyxl

from gateui.services import roster
from gateui.services.roster_export import export_dir
from gateui.tui.screens.roster_absence import AbsenceScreen
from gateui.tui.screens.roster_publish import PublishScreen, QrScreen
from tests.tui.conftest import settle
from tests.tui.roster_support import (
    NEXT_MONDAY,
    SIZE,
    THIS_MONDAY,
    RosterTui,
    open_roster,
    rtui,
    text_of,
)

__all__ = ["rtui"]  # the fixture
WEEK = timedelta(days=6)


async def test_publish_shows_the_text_saves_files_and_shows_qr_pages(rtui: RosterTui) -> None:
    roster.generate_and_apply(rtui.ctx, rtui.leader, THIS_MONDAY, THIS_MONDAY + WEEK)
    expected = roster.publish_text(rtui.ctx, THIS_MONDAY, THIS_MONDAY + WEEK, "zh")
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PublishScreen)
        assert screen.query_one("#publish-text").text == expected  # type: ignore[attr-defined]
        assert expected.startswith("【演示矿区值班表】2026-11-16 至 2026-11-22")

        await pilot.press("f3", "f4", "f5")  # text, CSV, XLSX
        await settle(pilot)
        folder = export_dir(rtui.ctx)
        stem = folder / "roster-20261116-20261122"
        assert (stem.with_suffix(".txt")).read_text(encoding="utf-8") == expected + "\n"
        csv_text = stem.with_suffix(".csv").read_text(encoding="utf-8-sig")
        assert csv_text.splitlines()[0].startswith("日期,星期,班次,开始,结束,岗位代码")
        assert len(csv_text.splitlines()) == 1 + 7 * 3 * 2
        book = openpyxl.load_workbook(stem.with_suffix(".xlsx"))
        assert book.sheetnames == ["值班表", "明细"]
        assert book["值班表"].max_row == 8 and book["明细"].max_row == 43
        assert "已保存" in text_of(app, "#publish-status")
        assert not list(folder.glob(".*"))  # no temporary file left behind

        await pilot.press("f2")
        await settle(pilot)
        qr = app.screen
        assert isinstance(qr, QrScreen)
        pages = qr.pages
        assert len(pages) > 1
        assert pages[0].text.startswith(f"[1/{len(pages)}]\n【演示矿区值班表】")
        assert "".join(p.text.split("\n", 1)[1] for p in pages).replace("\n", "") == (
            expected.replace("\n", "")
        )
        assert f"第 1/{len(pages)} 页" in text_of(app, "#qr-footer")
        await pilot.press("right")
        await settle(pilot)
        assert qr.index == 1 and f"第 2/{len(pages)} 页" in text_of(app, "#qr-footer")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, PublishScreen | QrScreen)


async def test_a_bigger_terminal_needs_fewer_qr_pages(rtui: RosterTui) -> None:
    roster.generate_and_apply(rtui.ctx, rtui.leader, THIS_MONDAY, THIS_MONDAY + WEEK)
    counts = []
    for size in (SIZE, (160, 60)):
        app = rtui.app()
        async with app.run_test(size=size) as pilot:
            await open_roster(pilot)
            await pilot.press("f7", "f2")
            await settle(pilot)
            assert isinstance(app.screen, QrScreen)
            counts.append(len(app.screen.pages))
            side = min(size[0], 2 * (size[1] - 1))
            assert all(len(p.modules) + 4 <= side for p in app.screen.pages)
    assert counts[1] * 3 < counts[0]


async def test_leave_is_entered_from_the_keyboard_and_then_refused_in_the_roster(
    rtui: RosterTui,
) -> None:
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await pilot.press("f5")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AbsenceScreen)
        await pilot.press(*"ym", "enter")  # 杨敏 by pinyin initials
        await pilot.press("right", "enter")  # leave -> sick
        await pilot.press("ctrl+u", *"11-24", "enter", "ctrl+u", *"11-26", "enter")
        await pilot.press(*"flu", "enter")  # the note; Enter on the last field saves
        await settle(pilot)
        assert "已登记：杨敏 病假 11-24 至 11-26" in text_of(app, "#edit-status")
        grid = roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY + WEEK)
        [period] = grid.unavailable
        assert (period.guard.name, period.reason, period.note) == ("杨敏", "sick", "flu")
        assert "杨敏 病假 11-24 至 11-26 flu" in str(
            form.query_one("#absence-list").get_option_at_index(0).prompt  # type: ignore[attr-defined]
        )
        # A wrong date is refused on its field, nothing saved.
        await pilot.press(*"lw", "enter", "enter", "ctrl+u", *"11-31", "f10")
        await settle(pilot)
        assert "日期“11-31”无效" in str(
            form.query_one("#field-first").query_one(".field--error").content
        )  # type: ignore[attr-defined]
        assert len(roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY + WEEK).unavailable) == 1
        # Tab reaches the list; Del removes the period.
        form.query_one("#absence-list").focus()
        await pilot.press("delete")
        await settle(pilot)
        assert "已删除" in text_of(app, "#edit-status")
        assert roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY + WEEK).unavailable == ()
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
