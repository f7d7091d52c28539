"""What the roster screens' tests share: a gate with enough guards for a real rota, and the
keys that take a leader to the roster.

The clock is the base fixture's: Friday 2026-11-20, 09:30 in Shanghai (01:30 UTC), during
the day shift 08:00-16:00; next week starts on Monday 2026-11-23.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from textual.pilot import Pilot

from gateui.services import auth
from gateui.services.context import GateContext
from gateui.tui.app import GateApp, create_app
from gateui.tui.screens.roster import RosterScreen
from tests.conftest import GateFixture
from tests.tui.conftest import login, settle

SIZE = (80, 24)
FRIDAY = date(2026, 11, 20)
THIS_MONDAY = date(2026, 11, 16)
NEXT_MONDAY = date(2026, 11, 23)
# 16 guards besides 王强: 84 places a week at two checkpoints, at most 6 shifts a guard.
GUARDS = (
    "刘伟", "陈芳", "杨敏", "黄静", "赵磊", "吴军", "周洋", "孙勇",
    "马超", "朱丽", "郭涛", "何静", "高峰", "罗兰", "梁宇", "宋佳",
)  # fmt: skip


@dataclass
class RosterTui:
    gate: GateFixture
    guards: dict[str, str]  # name -> user id (王强 included)
    badges: dict[str, str]  # name -> badge

    @property
    def ctx(self) -> GateContext:
        return self.gate.ctx

    @property
    def leader(self) -> str:
        return self.gate.leader_id

    def app(self, lang: str = "zh") -> GateApp:
        return create_app(self.gate.ctx, lang, cursor_blink=False)

    def at(self, hour: int, minute: int = 0, day: int = 20) -> None:
        """Set the clock to a local (Shanghai) time of November 2026."""
        self.gate.clock.now = datetime(2026, 11, day, hour, minute, tzinfo=UTC) - _SHANGHAI


_SHANGHAI = timedelta(hours=8)


@pytest.fixture
def rtui(gate: GateFixture) -> RosterTui:
    guards = {"王强": gate.guard_id}
    badges = {"王强": "B1001"}
    for i, name in enumerate(GUARDS):
        badge = f"B2{i:03d}"
        guards[name] = auth.create_user(gate.ctx, name, "guard", badge, "1234")
        badges[name] = badge
    return RosterTui(gate, guards, badges)


async def open_roster(pilot: Pilot[None]) -> RosterScreen:
    """The leader logs in, Ctrl+R (shift screen), F5 (roster)."""
    await login(pilot, "L2001", "5678")
    pilot.app.clear_notifications()
    await pilot.press("ctrl+r")
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot, 5)
    screen = pilot.app.screen
    assert isinstance(screen, RosterScreen)
    return screen


def text_of(app: GateApp, selector: str) -> str:
    """The plain text of a Static on the current screen."""
    from textual.widgets import Static

    return str(app.screen.query_one(selector, Static).content)
