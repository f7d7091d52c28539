"""A shift leader's roster work, keyboard only, at 80x24, over a real database."""

from __future__ import annotations

from datetime import timedelta

from gateui.domain.hlc import HLC
from gateui.domain.roster import EventKind, RosterEvent
from gateui.services import roster
from gateui.services.roster import Assign, SetUnavailable
from gateui.tui.screens.roster_edit import CellEditScreen
from gateui.tui.screens.roster_plan import CopyWeekScreen, GenerateScreen
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


def cell(day_offset: int, shift: str, cp: str = "N1") -> roster.CellKey:
    return roster.CellKey(NEXT_MONDAY + timedelta(days=day_offset), shift, cp)


async def test_leader_builds_next_week_for_both_checkpoints_from_the_keyboard(
    rtui: RosterTui,
) -> None:
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        assert screen.period == (THIS_MONDAY, THIS_MONDAY + WEEK)
        await pilot.press("pagedown")
        await settle(pilot)
        assert screen.period == (NEXT_MONDAY, NEXT_MONDAY + WEEK)
        assert "缺人 21 班" in text_of(app, "#roster-title")

        # F4: a fair week for both checkpoints, previewed, then F10 applies it.
        await pilot.press("f4")
        await settle(pilot, 5)
        assert isinstance(app.screen, GenerateScreen)
        assert "84/84" in text_of(app, "#gen-summary")
        await pilot.press("f10")
        await settle(pilot, 5)
        assert app.screen is screen
        grid = roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY + WEEK)
        assert grid.short_cells == 0
        assert [v for v in grid.violations if v.severity == "error"] == []
        assert "北门 N1（1/2）· 缺人 0 班" in text_of(app, "#roster-title")
        await pilot.press("tab")  # the other checkpoint
        await settle(pilot)
        assert "南门 S1（2/2）· 缺人 0 班" in text_of(app, "#roster-title")

        # By hand, Monday night at S1: take one guard out (by badge), put 王强 in ("wq").
        screen.table.select(NEXT_MONDAY, "night")
        target = cell(0, "night", "S1")
        assert screen.table.cell_at_cursor() == target
        leaving = grid.cells[target].guards[0]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CellEditScreen)
        await pilot.press(*rtui.badges[leaving.name], "enter")
        await settle(pilot)
        assert "已撤下" in text_of(app, "#edit-status")
        assert isinstance(app.screen, CellEditScreen)  # still short: the window stays
        await pilot.press(*"wq", "enter")  # pinyin initials of 王强
        await settle(pilot, 5)
        assert app.screen is screen  # the cell is full again: back to the grid
        grid = roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY + WEEK)
        names = {g.name for g in grid.cells[target].guards}
        assert "王强" in names and leaving.name not in names and len(names) == 2

        # F2 locks it; copying the week into the following one keeps what was built.
        await pilot.press("f2")
        await settle(pilot)
        assert roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY).cells[target].locked
        assert "已锁定" in text_of(app, "#roster-detail")
        await pilot.press("pagedown", "f3")
        await settle(pilot)
        assert isinstance(app.screen, CopyWeekScreen)
        await pilot.press("enter")
        await settle(pilot, 5)
        assert app.screen is screen
        week_after = NEXT_MONDAY + timedelta(days=7)
        copied = roster.roster_view(rtui.ctx, week_after, week_after + WEEK)
        for key, view in grid.cells.items():
            moved = roster.CellKey(key.day + timedelta(days=7), key.shift, key.checkpoint)
            assert {g.id for g in copied.cells[moved].guards} == {g.id for g in view.guards}


async def test_generating_a_month_shows_fairness_and_what_cannot_be_filled(
    rtui: RosterTui,
) -> None:
    # Seven guards on leave in the first week: 10 guards x 6 shifts cannot cover 84 places.
    on_leave = ["刘伟", "陈芳", "杨敏", "黄静", "赵磊", "吴军", "周洋"]
    roster.record_events(
        rtui.ctx,
        rtui.leader,
        [
            SetUnavailable(rtui.guards[n], NEXT_MONDAY, NEXT_MONDAY + WEEK, "leave")
            for n in on_leave
        ],
    )
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await pilot.press("pagedown", "f4")
        await settle(pilot, 5)
        assert isinstance(app.screen, GenerateScreen)
        await pilot.press("right", "right")  # 1 week -> 2 weeks -> 4 weeks
        await settle(pilot, 5)
        last = NEXT_MONDAY + timedelta(days=27)
        assert app.screen.field("gen_last").value == last.isoformat()
        summary = text_of(app, "#gen-summary")
        assert "12-20 周日" in summary and "公平" in summary
        unfilled = text_of(app, "#gen-unfilled")
        assert "个班次排不满" in unfilled and "请假或不可用" in unfilled
        preview = app.screen.report
        assert preview is not None and preview.result.unfilled
        table = app.screen.query_one("#gen-loads")
        assert table.row_count == 17  # type: ignore[attr-defined]
        await pilot.press("f10")
        await settle(pilot, 5)
        assert app.screen is screen
        grid = roster.roster_view(rtui.ctx, NEXT_MONDAY, last)
        assert grid.short_cells == len(preview.result.unfilled)
        # Guards available all month share the load within a shift or two.
        fair = preview.result.fairness
        assert fair.spread_shifts <= 2 and fair.spread_nights <= 2


async def test_a_violation_is_flagged_in_the_cell_and_explained_in_words(
    rtui: RosterTui,
) -> None:
    g = rtui.guards
    roster.record_events(rtui.ctx, rtui.leader, [Assign(cell(0, "evening"), g["周洋"])])
    roster.record_events(
        rtui.ctx,
        rtui.leader,
        [SetUnavailable(g["杨敏"], cell(1, "night").day, cell(3, "night").day, "sick")],
    )
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await pilot.press("pagedown")
        await settle(pilot)
        screen.table.select(cell(1, "night").day, "night")
        await pilot.press("enter")
        await settle(pilot)
        # On sick leave: marked, and refused with the dates in words.
        await pilot.press(*"ym")
        await settle(pilot)
        assert "病假，不能排" in str(
            app.screen.query_one("#edit-options").get_option_at_index(0).prompt
        )  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        status = text_of(app, "#edit-status")
        assert "杨敏 11-24 至 11-26 病假，不能排入" in status
        # Too little rest after the evening before: allowed, marked, then explained.
        await pilot.press("ctrl+u", *"zy")
        await settle(pilot)
        assert "休息不足" in str(
            app.screen.query_one("#edit-options").get_option_at_index(0).prompt
        )  # type: ignore[attr-defined]
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert app.screen is screen
        detail = text_of(app, "#roster-detail")
        assert "周洋 在 11-23 16:00–24:00 与 11-24 00:00–08:00 之间只休息 0 小时" in detail
        assert "缺人：已排 1 人，需要 2 人" in detail
        grid_cell = screen.table.get_cell_at(screen.table.cursor_coordinate)
        assert "周洋!" in grid_cell.plain and "缺1" in grid_cell.plain and "!1" in grid_cell.plain


async def test_edits_from_two_terminals_are_shown_as_a_conflict_and_confirmed(
    rtui: RosterTui,
) -> None:
    g = rtui.guards
    target = cell(0, "day")
    roster.record_events(rtui.ctx, rtui.leader, [Assign(target, g["刘伟"])])
    # Another terminal, offline, put 陈芳 in the same shift without seeing that edit.
    remote = RosterEvent(
        "AB12CD34EF-7",
        HLC(int(rtui.gate.clock.now.timestamp() * 1000), 0, "AB12CD34EF"),
        EventKind.ASSIGN,
        target,
        g["陈芳"],
        author_id=rtui.leader,
    )
    assert roster.apply_remote_events(rtui.ctx, [remote.to_payload()]) == 1
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await pilot.press("pagedown")
        await settle(pilot)
        screen.table.select(NEXT_MONDAY, "day")
        await settle(pilot)
        assert "?" in screen.table.get_cell_at(screen.table.cursor_coordinate).plain
        detail = text_of(app, "#roster-detail")
        assert "≠ 终端" in detail and "AB12CD34EF" in detail and "F8" in detail
        await pilot.press("f8")
        await settle(pilot)
        view = roster.roster_view(rtui.ctx, NEXT_MONDAY, NEXT_MONDAY).cells[target]
        assert not view.conflict and {x.name for x in view.guards} == {"刘伟", "陈芳"}
        assert "≠" not in text_of(app, "#roster-detail")
