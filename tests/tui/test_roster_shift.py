"""At the shift change: who came, the handover written and acknowledged, my next shifts."""

from __future__ import annotations

import dataclasses

from textual.pilot import Pilot

from gateui.services import auth, roster
from gateui.services.roster import Assign
from gateui.tui.app import GateApp
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.login import LoginScreen
from gateui.tui.screens.roster_attendance import AttendanceScreen
from gateui.tui.screens.roster_handover import HandoverAckScreen, HandoverWriteScreen
from gateui.tui.screens.roster_shift import ShiftScreen
from tests.tui.conftest import settle
from tests.tui.roster_support import FRIDAY, SIZE, RosterTui, open_roster, rtui, text_of

__all__ = ["rtui"]  # the fixture


def cell(shift: str, cp: str = "N1", day: int = 20) -> roster.CellKey:
    return roster.CellKey(FRIDAY.replace(day=day), shift, cp)


async def log_in(pilot: Pilot[None], badge: str, pin: str = "1234") -> None:
    """Badge and PIN at the login screen; wait until the login has been handled."""
    await pilot.press(*badge, "enter", *pin, "enter")
    for _ in range(20):
        await pilot.pause()
        if not isinstance(pilot.app.screen, LoginScreen):
            break
    await settle(pilot)


def capture_notes(app: GateApp) -> list[str]:
    notes: list[str] = []
    notify = app.notify

    def keep(message: str, **kwargs: object) -> None:
        notes.append(message)
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = keep  # type: ignore[method-assign]
    return notes


async def test_attendance_at_a_shift_change_shows_the_no_show(rtui: RosterTui) -> None:
    g = rtui.guards
    commands = [Assign(cell("day"), g[n]) for n in ("王强", "刘伟")]
    commands += [Assign(cell("day", "S1"), g[n]) for n in ("陈芳", "杨敏")]
    commands += [Assign(cell("night"), g[n]) for n in ("赵磊", "吴军")]
    roster.record_events(rtui.ctx, rtui.leader, commands)
    rtui.at(7, 50)
    auth.login(rtui.ctx, "B1001", "1234")  # 王强, ten minutes early
    auth.login(rtui.ctx, rtui.badges["黄静"], "1234")  # not rostered today
    auth.login(dataclasses.replace(rtui.ctx, checkpoint_code="S1"), rtui.badges["陈芳"], "1234")
    rtui.at(8, 25)  # the grace (10 minutes) is over: 刘伟 and 杨敏 are missing
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        await open_roster(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, AttendanceScreen)
        title = text_of(app, "#attendance-title")
        assert "本班 11-20 周五 白班 08:00–16:00" in title and "08:10" in title
        body = text_of(app, "#attendance-body")
        assert "北门 N1 · 排班 2 人（需 2）· 已到 1 · 缺 1" in body
        assert "✔ 王强  已到岗  登录 07:50" in body
        assert "✖ 刘伟  未到岗" in body
        assert "+ 黄静  未排班到岗" in body
        assert "南门 S1 · 排班 2 人（需 2）· 已到 1 · 缺 1" in body
        assert "✖ 杨敏  未到岗" in body
        await pilot.press("left")  # the night shift that just ended
        await settle(pilot)
        assert "11-20 周五 夜班 00:00–08:00" in text_of(app, "#attendance-title")
        assert "✖ 赵磊  未到岗" in text_of(app, "#attendance-body")


async def test_handover_is_written_at_the_lock_and_acknowledged_after_the_next_login(
    rtui: RosterTui,
) -> None:
    g = rtui.guards
    roster.record_events(
        rtui.ctx,
        rtui.leader,
        [Assign(cell("day"), g["王强"]), Assign(cell("evening"), g["陈芳"])],
    )
    rtui.at(15, 40)
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "B1001")
        assert isinstance(app.screen, GateScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        assert "11-20 周五 白班 的交接：还没写" in text_of(app, "#shift-now")
        await pilot.press("escape")
        await settle(pilot)

        # F9 near the end of the shift: the handover comes first, with the shift's summary.
        await pilot.press("f9")
        await settle(pilot)
        writing = app.screen
        assert isinstance(writing, HandoverWriteScreen) and not app.locked
        assert "进：人员 0 · 车辆 0" in text_of(app, "#handover-summary")
        await pilot.press("f2", *" gate 2 lamp out", "f10")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.locked
        written = roster.handover_for(rtui.ctx, FRIDAY, "day")
        assert written is not None and written.note == "无异常 gate 2 lamp out"
        assert written.outgoing.name == "王强" and written.written_at == rtui.gate.clock.now

        # The incoming guard logs in and is shown the handover at once.
        rtui.at(15, 52)
        await log_in(pilot, rtui.badges["陈芳"])
        ack = app.screen
        assert isinstance(ack, HandoverAckScreen)
        body = text_of(app, "#ack-body")
        assert "交班人 王强 · 写于 11-20 15:40" in body and "gate 2 lamp out" in body
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        done = roster.handover_for(rtui.ctx, FRIDAY, "day")
        assert done is not None and done.incoming is not None
        assert done.incoming.name == "陈芳" and done.acknowledged_at == rtui.gate.clock.now
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "陈芳 已于 11-20 15:52 确认" in text_of(app, "#shift-now")


async def test_handover_can_be_acknowledged_later_from_the_shift_screen(rtui: RosterTui) -> None:
    rtui.at(15, 45)
    roster.write_handover(rtui.ctx, rtui.guards["王强"], FRIDAY, "day", "all quiet")
    rtui.at(16, 5)
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, rtui.badges["刘伟"])
        assert isinstance(app.screen, HandoverAckScreen)
        await pilot.press("escape")  # later
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "王强 写了 11-20 周五 白班 的交接，等您确认（F3）" in text_of(app, "#shift-now")
        await pilot.press("f3", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ShiftScreen)
        done = roster.handover_for(rtui.ctx, FRIDAY, "day")
        assert done is not None and done.incoming is not None and done.incoming.name == "刘伟"


async def test_a_guard_sees_the_next_shifts_after_login_and_on_the_shift_screen(
    rtui: RosterTui,
) -> None:
    g = rtui.guards
    roster.record_events(
        rtui.ctx,
        rtui.leader,
        [
            Assign(cell("day", day=21), g["王强"]),
            Assign(cell("night", "S1", day=23), g["王强"]),
            Assign(cell("night", "S1", day=23), g["刘伟"]),
        ],
    )
    app = rtui.app("en")
    notes = capture_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "B1001")
        assert notes == ["Your next shift: Sat 11-21 Day 08:00–16:00 北门 N1"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        lines = text_of(app, "#shift-next").splitlines()
        assert lines == [
            "Next shifts:",
            "  Sat 11-21 Day 08:00–16:00 北门 N1",
            "  Mon 11-23 Night 00:00–08:00 南门 S1 · with 刘伟",
        ]
        # Attendance and the roster are for leaders: a guard is asked for a leader's badge.
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "RosterLeaderCheck"
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot, 5)
        assert app.screen.__class__.__name__ == "RosterScreen"


async def test_only_the_guard_who_stood_the_shift_is_asked_for_its_handover(
    rtui: RosterTui,
) -> None:
    g = rtui.guards
    roster.record_events(
        rtui.ctx,
        rtui.leader,
        [Assign(cell("night"), g["刘伟"]), Assign(cell("day"), g["王强"])],
    )
    rtui.at(8, 20)  # the night shift's handover is not written; 王强 came for the day shift
    app = rtui.app()
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "B1001")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.locked
        await log_in(pilot, rtui.badges["刘伟"])  # the night guard, staying on a little
        await pilot.press("f9")
        await settle(pilot)
        writing = app.screen
        assert isinstance(writing, HandoverWriteScreen) and writing.shift.shift == "night"
        await pilot.press("escape")  # no note: the gate locks all the same
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.locked
        assert roster.handover_for(rtui.ctx, FRIDAY, "night") is None
