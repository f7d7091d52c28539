"""The sync line under the gate and the sync details screen, over a real database whose sync
state is written the way the `gateui sync` daemon writes it (services.sync_io)."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import pytest
from rich.console import Console
from textual.widgets import Static

from gateui.i18n import Translator
from gateui.services import sync_io
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.sync_details import SyncScreen
from gateui.tui.widgets.sync_line import SyncLine, error_words
from tests.tui.conftest import SIZE, TuiGate, login, scan, settle

HQ = "https://hq.example.cn:8443"


def line_text(app: object) -> str:
    line = app.screen.query_one(SyncLine)  # type: ignore[attr-defined]
    return str(line.render())


def plain(widget: Static, width: int = 78) -> str:
    """What a Static shows, as text (its content may be a Rich table)."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(widget.content)
    return console.export_text()


def enroll(tui: TuiGate) -> None:
    """What `gateui enroll` leaves behind: an address and a token, nothing acknowledged."""
    sync_io.save_enrollment(tui.ctx, HQ, "secret-token", "DEMO", 0)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Any attempt to open a connection is recorded and refused: the TUI must never try."""
    calls: list[object] = []

    def refuse(*args: object, **_kwargs: object) -> None:
        calls.append(args)
        raise OSError("the TUI must not open network connections")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    yield calls


async def test_not_enrolled_says_so_plainly_and_counts_what_waits(
    tui: TuiGate, no_network: list[object]
) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        before = sync_io.sync_status(tui.ctx).pending
        assert "未连接总部" in line_text(app) and f"待传 {before}" in line_text(app)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        # The line follows on its own timer (a cheap local read every few seconds).
        await pilot.pause(3.5)
        after = sync_io.sync_status(tui.ctx).pending
        assert after == before + 1
        assert f"待传 {after}" in line_text(app)
    assert no_network == []


async def test_online_with_last_success_in_the_sites_time(tui: TuiGate) -> None:
    enroll(tui)
    status = sync_io.sync_status(tui.ctx)
    sync_io.mark_acknowledged(tui.ctx, status.last_seq - 2)  # HQ has all but two
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)  # the login is one more change: three wait
        text = line_text(app)
        # 01:30 UTC is 09:30 in Shanghai, the site's zone.
        assert "● 在线" in text and "待传 3" in text and "上次成功 09:30" in text
        assert "✖" not in text


@pytest.mark.parametrize(
    ("error", "zh", "en"),
    [
        ("ConnectError: [Errno 111] Connection refused", "无法连接总部", "HQ cannot be reached"),
        ("ReadTimeout: timed out", "连接总部超时", "HQ timed out"),
        ("HQ answered 503", "总部繁忙", "HQ is busy"),
        ("refused: revoked", "本机已被总部停用", "HQ has revoked this terminal"),
        ("watchdog: 12 changes not draining", "12 条待传未减少", "12 pending changes"),
    ],
)
async def test_offline_shows_the_last_error_in_words(
    tui: TuiGate, error: str, zh: str, en: str
) -> None:
    enroll(tui)
    sync_io.record_attempt(tui.ctx, online=False, error=error)
    assert zh in error_words(Translator("zh"), error)
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        text = line_text(app)
        assert "○ offline" in text and en in text and "never synced yet" in text
        assert error not in text  # words, not the client's technical text


async def test_details_list_pending_by_kind_and_sync_now_asks_the_daemon(tui: TuiGate) -> None:
    enroll(tui)
    sync_io.mark_acknowledged(tui.ctx, 3)
    conflict = "conflict: change 4 differs from the one HQ holds"
    sync_io.record_attempt(tui.ctx, online=True, error=conflict, stop_stream=conflict)
    ports = sync_io.ServicePorts(tui.ctx)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        assert "上传已停止" in line_text(app) and "同一序号内容不同" in line_text(app)
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SyncScreen)
        status = sync_io.sync_status(tui.ctx, by_kind=True)
        facts = plain(screen.query_one("#sync-facts", Static))
        assert HQ in facts and "至第 3 号" in facts and f"至第 {status.last_seq} 号" in facts
        assert conflict in facts  # the technical text too, for whoever calls HQ
        kinds = plain(screen.query_one("#sync-kinds", Static))
        assert "通行记录 (entry.recorded)" in kinds and "登录 (login)" in kinds
        assert status.pending_by_kind["entry.recorded"] == 1
        seen = ports.local_version()
        tui.gate.clock.advance(5)  # a little after the daemon's last attempt
        await pilot.press("f5")
        await settle(pilot)
        after = sync_io.sync_status(tui.ctx)
        assert after.requested_at is not None and after.stream_stopped is None
        assert ports.local_version()[1] != seen[1]  # what the daemon's loop wakes up on
        assert "已请求立即同步" in plain(screen.query_one("#sync-status", Static))
        # Nobody answers for half a minute: the daemon is probably not running.
        tui.gate.clock.advance(45)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        app.screen.query_one(SyncLine).refresh_status()
        assert "同步服务无响应" in line_text(app)


async def test_sync_now_without_hq_explains_instead_of_asking(tui: TuiGate) -> None:
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await pilot.press("f12", "f5")
        await settle(pilot)
        assert isinstance(app.screen, SyncScreen)
        said = plain(app.screen.query_one("#sync-status", Static))
        assert "Not connected to HQ" in said
        assert sync_io.sync_status(tui.ctx).requested_at is None
