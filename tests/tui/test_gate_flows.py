"""The gate's flows, keyboard only, at 80x24, over a real database."""

from __future__ import annotations

from textual.widgets import Input, Static

from gateui.errors import ConfigError, StorageError
from gateui.services import corrections, presence
from gateui.services.context import GateContext
from gateui.services.lookup import find
from gateui.services.startup import GateOpening
from gateui.tui.app import create_app
from gateui.tui.screens.correction import CorrectionScreen
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.login import LoginScreen
from gateui.tui.screens.override import LeaderCheckScreen, OverrideScreen
from gateui.tui.screens.vehicle import VehicleScreen
from gateui.tui.screens.walk_in import WalkInScreen
from tests.tui.conftest import SIZE, WATCHED, TuiGate, login, scan, settle, type_text


def status_text(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#gate-status", Static).content)


async def test_pass_holder_is_two_keys_scan_then_enter(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, tui.gate.id_numbers["张露"])  # key 1: the scan (+ its Enter)
        assert gate.card is not None and gate.card.name == "张露"
        assert app.focused is gate.scan
        await pilot.press("enter")  # key 2
        await settle(pilot)
        entries = presence.recent_entries(tui.ctx)
        assert [(e.name, e.direction, e.outcome) for e in entries] == [("张露", "in", "admitted")]
        assert entries[0].guard_name == "王强"
        assert "已保存" in status_text(app) and "张露" in status_text(app)
        assert gate.card is None and gate.scan.value == "" and app.focused is gate.scan
        assert presence.on_site_counts(tui.ctx) == (1, 0)
        # Scanned again, the direction is inferred: out.
        await scan(pilot, "GT1000")  # the same person's pass code
        assert gate.direction.value == "out"
        await pilot.press("enter")
        await settle(pilot)
        assert presence.on_site_counts(tui.ctx) == (0, 0)


async def test_abnormal_answer_is_refused_with_the_reason_in_words(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "GT1001")
        await pilot.press("f7", "right", "right")  # health code: green -> yellow -> red
        await pilot.press("escape")  # back to the scan field, card kept
        assert isinstance(app.screen, GateScreen) and app.focused is app.screen.scan
        await pilot.press("enter")
        await settle(pilot)
        entry = presence.recent_entries(tui.ctx)[0]
        assert entry.outcome == "denied" and entry.reasons == ("health_code:red",)
        assert "禁止" in status_text(app) and "健康码：红码" in status_text(app)


async def test_walk_in_refuses_invalid_fields_then_saves_when_fixed(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "刘备")  # an unknown name offers the walk-in form, prefilled
        form = app.screen
        assert isinstance(form, WalkInScreen)
        assert form.field("name").value == "刘备"
        assert app.focused is form.field("id_number").input  # the first empty field
        await type_text(pilot, "110101199003071235")  # wrong check digit
        await pilot.press("enter")
        await type_text(pilot, "12345")  # too short for a mobile
        await pilot.press("enter", "enter")  # phone -> kind -> unit
        await type_text(pilot, "张露")
        await pilot.press("enter")
        await type_text(pilot, "送货")
        await pilot.press("enter")  # Enter on the last field saves
        await settle(pilot)
        assert app.screen is form, "an invalid form is not dismissed"
        for name in ("id_number", "phone"):
            assert form.field(name).has_class("-invalid")
        id_error = str(form.field("id_number").query_one(".field--error", Static).content)
        assert "校验" in id_error
        assert not form.field("name").has_class("-invalid")
        assert find(tui.ctx, "刘备") == []  # nothing saved
        typed = {n: form.field(n).value for n in ("name", "id_number", "phone", "unit", "purpose")}
        assert typed == {
            "name": "刘备",
            "id_number": "110101199003071235",
            "phone": "12345",
            "unit": "张露",
            "purpose": "送货",
        }
        # The first refused field has the focus, its text selected: typing replaces it.
        assert app.focused is form.field("id_number").input
        await type_text(pilot, "110101199003071233")
        await pilot.press("enter")
        await type_text(pilot, "+86 139-0000-1111")
        await pilot.press("f10")
        await settle(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        assert gate.card is not None and gate.card.name == "刘备" and gate.card.kind == "visitor"
        await pilot.press("enter")
        await settle(pilot)
        entry = presence.recent_entries(tui.ctx)[0]
        assert (entry.name, entry.outcome) == ("刘备", "admitted")


async def test_watch_list_hit_needs_a_leader_override(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, tui.gate.id_numbers[WATCHED])
        alarm = gate.query_one("#alarm", Static)
        assert alarm.display and "涉嫌盗窃" in str(alarm.content)  # words, not colour alone
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press("escape")  # nobody authorises: refused, and the refusal is recorded
        await settle(pilot)
        refused = presence.recent_entries(tui.ctx)[0]
        assert (refused.name, refused.outcome) == (WATCHED, "referred")
        assert refused.override_by_name is None
        assert presence.on_site_counts(tui.ctx) == (0, 0)

        await scan(pilot, tui.gate.id_numbers[WATCHED])
        await pilot.press("enter")
        await settle(pilot)
        override = app.screen
        assert isinstance(override, OverrideScreen)
        # A guard's own badge is not a leader's.
        await pilot.press(*"B1001", "enter", *"1234", "enter", *"核实", "enter")
        await settle(pilot)
        assert app.screen is override and override.field("leader").has_class("-invalid")
        await pilot.press("ctrl+u", *"L2001", "enter", *"5678", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        admitted = presence.recent_entries(tui.ctx)[0]
        assert (admitted.name, admitted.outcome) == (WATCHED, "admitted")
        assert admitted.override_by_name == "李娜"
        assert "班长授权" in status_text(app)


async def test_vehicle_with_driver_and_two_passengers(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "a12345")  # the plate without its province, in lower case
        screen = app.screen
        assert isinstance(screen, VehicleScreen)
        assert screen.driver is not None and screen.driver.name == "单雄信"  # the usual driver
        await scan(pilot, tui.gate.id_numbers["张露"])
        await scan(pilot, "GT1002")  # 曾小贤's pass
        assert [p.name for p in screen.passengers] == ["张露", "曾小贤"]
        await pilot.press("tab", *"煤", "enter")  # cargo, then back to the scan field
        await pilot.press("enter")  # save
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        entries = presence.recent_entries(tui.ctx, limit=10)
        vehicle = next(e for e in entries if e.subject == "vehicle")
        people = [e for e in entries if e.subject == "person"]
        assert vehicle.plate == "豫A12345" and vehicle.passengers == 2 and vehicle.cargo == "煤"
        assert sorted(e.name or "" for e in people) == sorted(["单雄信", "张露", "曾小贤"])
        assert all(e.vehicle_entry_id == vehicle.id for e in people)
        assert presence.on_site_counts(tui.ctx) == (3, 1)


async def test_leader_voids_an_entry_and_sees_its_history(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "GT1000")
        await pilot.press("enter")
        await settle(pilot)
        entry = presence.recent_entries(tui.ctx)[0]
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, LeaderCheckScreen)
        await pilot.press(*"L2001", "enter", *"5678", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CorrectionScreen)
        assert screen.selected() is not None and screen.selected().id == entry.id  # type: ignore[union-attr]
        await pilot.press("f8")  # no reason yet: refused, nothing written
        assert screen.reason().has_class("-invalid")
        assert corrections.entry_history(tui.ctx, entry.id) == []
        await type_text(pilot, "登记错人")
        await pilot.press("f8")
        await settle(pilot)
        history = corrections.entry_history(tui.ctx, entry.id)
        assert [(c.action, c.by_name, c.reason) for c in history] == [("void", "李娜", "登记错人")]
        assert presence.recent_entries(tui.ctx)[0].voided
        assert presence.on_site_counts(tui.ctx) == (0, 0)
        shown = str(screen.query_one("#correction-history", Static).content)
        assert "原始" in shown and "登记错人" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)


async def test_idle_gate_locks_back_to_login(tui: TuiGate) -> None:
    app = tui.app()
    # Idle time read from the test's clock, moved by hand: no sleeping, and a slow machine
    # can neither lock the gate in the middle of the typing nor keep it from locking.
    clock = tui.gate.clock
    app.idle_clock = lambda: clock.now.timestamp()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        assert app.idle_timer is not None  # the app runs the check below by itself
        await type_text(pilot, "GT10")  # half-typed when the guard walks away
        clock.advance(app.idle_lock_seconds - 1)
        app.lock_if_idle()
        assert not app.locked and app.screen is gate  # not idle long enough yet
        await pilot.press("left")  # a key: the idle time starts again
        clock.advance(app.idle_lock_seconds - 1)
        app.lock_if_idle()
        assert not app.locked and app.screen is gate
        clock.advance(1)  # idle_lock_seconds since the last key
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.locked
        await login(pilot)  # the same guard comes back: the screen is as they left it
        assert app.screen is gate and gate.scan.value == "GT10"
        assert not app.locked


async def test_another_guard_takes_over_a_locked_gate(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        first = app.screen
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await login(pilot, "L2001", "5678")
        assert isinstance(app.screen, GateScreen) and app.screen is not first
        assert app.user is not None and app.user.name == "李娜"


async def test_wrong_pin_is_said_in_words_and_repeated_failures_lock(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"B1001", "enter", *"9999", "enter")
        await settle(pilot)
        error = app.screen.query_one("#login-error", Static)
        assert "密码错误" in str(error.content)
        for _ in range(5):
            await pilot.press(*"9999", "enter")
            await settle(pilot)
        assert "锁定" in str(error.content)
        await pilot.press(*"1234", "enter")  # even the right PIN waits out the lockout
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_storage_failure_keeps_the_card_on_screen(tui: TuiGate, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from gateui.errors import StorageError
    from gateui.services import passages

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise StorageError("storage.disk_full")

    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1001")
        await pilot.press("f7", "right")
        monkeypatch.setattr(passages, "register_person", disk_full)
        await pilot.press("enter")
        await settle(pilot)
        assert gate.card is not None and gate.card.name == "单雄信"
        assert gate.query_one("#check-health_code").value == "yellow"  # type: ignore[attr-defined]
        assert any("磁盘已满" in str(n.message) for n in app._notifications)
        assert presence.recent_entries(tui.ctx) == []


async def test_english_and_chinese_labels_differ(tui: TuiGate) -> None:
    seen = {}
    for lang in ("zh", "en"):
        app = tui.app(lang)
        async with app.run_test(size=SIZE) as pilot:
            await login(pilot)
            scan_field = app.screen.query_one("#scan", Input)
            seen[lang] = str(scan_field.border_title)
    assert seen == {"zh": "扫码 / 搜索", "en": "Scan / search"}


async def test_a_scan_typed_into_the_checklist_goes_to_the_scan_field(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1001")
        await pilot.press("f7")  # the guard went to the checklist and forgot to come back
        assert app.focused is not gate.scan
        await scan(pilot, "GT1002")
        assert gate.card is not None and gate.card.name == "曾小贤"
        assert app.focused is gate.scan
        assert gate.pane.answers()["health_code"] == "green"


async def test_vehicle_with_a_watched_passenger_needs_the_override(tui: TuiGate) -> None:
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "A12345")
        assert isinstance(app.screen, VehicleScreen)
        await scan(pilot, tui.gate.id_numbers[WATCHED])
        alarm = app.screen.query_one("#vehicle-alarm", Static)
        assert alarm.display and "涉嫌盗窃" in str(alarm.content)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        await pilot.press(*"L2001", "enter", *"5678", "enter", *"escorted", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        watched = next(e for e in presence.recent_entries(tui.ctx) if e.name == WATCHED)
        assert watched.outcome == "admitted" and watched.override_by_name == "李娜"
        assert "Saved: 豫A12345" in status_text(app)


async def test_a_signed_pass_is_checked_offline_then_two_keys(tui: TuiGate, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlmodel import SQLModel

    from gateui.services import passes
    from gateui.store.pass_models import PASS_TABLES

    ctx = tui.ctx
    # Until the pass tables have their migration, create them as the pass tests do.
    tables = [SQLModel.metadata.tables[t.__tablename__] for t in PASS_TABLES]
    SQLModel.metadata.create_all(ctx.db.writer, tables=tables)
    passes.create_site_key(ctx)
    now = ctx.now()
    ids = [tui.gate.people["张露"], tui.gate.people["曾小贤"]]
    fresh, stale = passes.issue_passes(ctx, ids, None, now, now + timedelta(days=30), tmp_path)
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        # A scanner types a pass in one burst; set it whole rather than key by key.
        gate.scan.value = fresh.token
        await scan(pilot, "")
        assert gate.card is not None and gate.card.name == "张露"
        await pilot.press("enter")
        await settle(pilot)
        assert presence.recent_entries(ctx)[0].name == "张露"
        tui.gate.clock.advance(31 * 24 * 3600)  # a month later the other pass has expired
        gate.scan.value = stale.token
        await scan(pilot, "")
        assert gate.card is not None and gate.card.name == "曾小贤"
        assert "通行证无效" in status_text(app)


async def test_two_scans_in_one_burst_stay_two(tui: TuiGate) -> None:
    from tests.tui.conftest import burst

    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, "A12345")
        screen = app.screen
        assert isinstance(screen, VehicleScreen)
        await burst(pilot, *"GT1000", "enter", *"GT1002", "enter")
        assert [p.name for p in screen.passengers] == ["张露", "曾小贤"]
        assert screen.scan.value == ""


async def test_database_opens_behind_the_login_screen(tui: TuiGate) -> None:
    """How `gateui` starts when the file is ready (services.startup): the login screen is
    painted from the site file, the database opens in a worker after that first paint. An
    open that fails is said in words, and the guard's login tries it again."""
    ctx = tui.ctx
    opened: list[str] = []

    def open_database() -> GateContext:
        opened.append("try")
        if len(opened) == 1:
            raise StorageError("storage.locked")  # another program holds the file a moment
        return ctx

    opening = GateOpening(ctx.site, ctx.checkpoint_code, open_database, clock=ctx.clock)
    app = create_app(opening, "zh", cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert opened == ["try"] and not opening.opened
        assert any("正被其他程序占用" in str(n.message) for n in app._notifications)
        await login(pilot)  # the PIN check needs the database: it opens it, and logs in
        assert opened == ["try", "try"] and opening.opened and app.ctx is ctx
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, tui.gate.id_numbers["张露"])
        await pilot.press("enter")
        await settle(pilot)
        assert [e.name for e in presence.recent_entries(ctx)] == ["张露"]


async def test_a_site_file_refused_behind_the_login_screen_ends_the_terminal(tui: TuiGate) -> None:
    """Painted from a glance at the site file (gateui.config_glance), the terminal validates
    the whole file in that same worker; a file it refuses ends the app (no retry mends a
    file), and `gateui` then reports it as it would have before any screen."""
    refused = ConfigError("config.invalid", path="site.toml", detail="privacy_days")

    def open_database() -> GateContext:
        raise refused

    opening = GateOpening(tui.ctx.site, tui.ctx.checkpoint_code, open_database)
    app = create_app(opening, "zh", cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert app.return_code == 0 and opening.fatal is refused
    assert not opening.opened
