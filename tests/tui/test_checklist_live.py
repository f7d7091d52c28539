"""HQ changes the checklist while the gate runs: the panel follows it, nothing typed is lost.

The new checklist is applied the way a pull applies it (services.sync_io.apply_reference_page,
one transaction, the cursor moved), into the same database file the running gate reads.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select
from textual.widgets import Static

from gateui.domain.change_chain import canonical_json
from gateui.services import presence, sync_io
from gateui.store.models import Entry
from gateui.tui.app import GateApp
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.override import OverrideScreen
from gateui.tui.screens.people_checks import PeopleChecksScreen
from gateui.tui.screens.vehicle import VehicleScreen
from gateui.tui.widgets.checklist import ChecklistPanel
from gateui.tui.widgets.choice import ChoiceRow
from tests.tui.conftest import SIZE, WATCHED, TuiGate, login, scan, settle, type_text
from tests.tui.test_gate_flows import status_text

# The site file's (default) checklist in HQ's format.
DEFAULT: list[dict[str, Any]] = [
    {
        "key": "health_code",
        "kind": "choice",
        "options": ["green", "yellow", "red"],
        "normal": "green",
        "refer": ["yellow"],
        "deny": ["red"],
    },
    {
        "key": "travel_code",
        "kind": "choice",
        "options": ["normal", "risk_area"],
        "normal": "normal",
        "refer": ["risk_area"],
    },
    {"key": "travel_question", "kind": "yesno", "normal": "no", "refer": ["yes"]},
    {"key": "temperature", "kind": "temperature", "normal": "36.5", "threshold": 37.3},
    {"key": "mask", "kind": "yesno", "normal": "yes", "refer": ["no"]},
]
# HQ adds a question this terminal's catalogs have no words for.
VACCINATED = {"key": "vaccinated", "kind": "yesno", "normal": "yes", "refer": ["no"]}
WITH_EXTRA = [*DEFAULT, VACCINATED]
WITHOUT_MASK = [item for item in DEFAULT if item["key"] != "mask"]


def publish(tui: TuiGate, cursor: int, items: list[dict[str, Any]]) -> None:
    """One pulled page holding HQ's checklist for this site, applied as the pull does."""
    payload = canonical_json({"site": tui.ctx.site.code, "items": items})
    applied = sync_io.apply_reference_page(tui.ctx, [(cursor, "site.checklist", payload)], cursor)
    assert applied == 1


def saved_answers(tui: TuiGate) -> list[tuple[str | None, str, dict[str, str]]]:
    """(name, outcome, answers) of every person entry saved, oldest first."""
    with tui.ctx.db.read() as s:
        rows = s.exec(select(Entry).where(Entry.subject == "person").order_by(Entry.id)).all()
        return [(e.name, e.outcome, json.loads(e.answers)) for e in rows]


def rows_shown(app: GateApp) -> dict[str, str]:
    """key -> answer of every row of the checklist panel now on the gate screen."""
    gate = app.screen
    assert isinstance(gate, GateScreen)
    panels = [p for p in gate.query(ChecklistPanel) if p.is_attached]
    assert panels == [gate.pane.panel]  # the replaced panel is gone, not hidden
    return {row.key: row.value for row in gate.pane.panel.query(ChoiceRow)}


async def test_an_added_item_shows_on_the_next_card_and_is_saved(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        assert "vaccinated" not in rows_shown(app)
        await type_text(pilot, "GT10")  # the scanner is half-way through a code...
        publish(tui, 5, WITH_EXTRA)  # ...when the pull commits HQ's new checklist
        await type_text(pilot, "00")
        assert gate.scan.value == "GT1000"
        await pilot.press("enter")
        await settle(pilot)
        assert gate.card is not None and gate.card.name == "张露"
        shown = rows_shown(app)
        assert shown["vaccinated"] == "yes" and shown["mask"] == "yes"
        row = gate.pane.panel.query_one("#check-vaccinated", ChoiceRow)
        # No catalog names the new item: its key and yes/no in words, not "checklist.…".
        assert row.label == "vaccinated"
        assert "[是]" in str(row.render()) and "checklist." not in str(row.render())
        assert app.focused is gate.scan
        await pilot.press("enter")
        await settle(pilot)
        assert "已保存" in status_text(app)
        [(name, outcome, answers)] = saved_answers(tui)
        assert (name, outcome) == ("张露", "admitted")
        assert answers["vaccinated"] == "yes" and set(answers) == {i["key"] for i in WITH_EXTRA}
        # The next card starts from the new checklist's normal answers too.
        await scan(pilot, "GT1002")
        assert rows_shown(app)["vaccinated"] == "yes"


async def test_a_change_under_a_card_keeps_the_answers_and_asks_to_look_again(
    tui: TuiGate,
) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1000")
        await pilot.press("f7", "right", "escape")  # health code: yellow, back to the scan
        publish(tui, 5, WITH_EXTRA)
        await pilot.press("enter")
        await settle(pilot)
        # Not saved behind the guard's back: the new question is on screen first.
        assert saved_answers(tui) == []
        assert "总部已更新检查项" in status_text(app)
        assert gate.card is not None and app.focused is gate.scan
        shown = rows_shown(app)
        assert shown["health_code"] == "yellow" and shown["vaccinated"] == "yes"
        assert "vaccinated" not in str(gate.query_one("#verdict", Static).render())
        await pilot.press("enter")  # looked at it: Enter saves
        await settle(pilot)
        [(name, outcome, answers)] = saved_answers(tui)
        assert (name, outcome) == ("张露", "referred")
        assert answers["health_code"] == "yellow" and answers["vaccinated"] == "yes"
        assert [e.reasons for e in presence.recent_entries(tui.ctx)] == [("health_code:yellow",)]


async def test_a_removed_item_leaves_the_panel_and_the_saved_answers(tui: TuiGate) -> None:
    app = tui.app("en")
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        gate = app.screen
        assert isinstance(gate, GateScreen)
        await scan(pilot, "GT1000")
        assert "mask" in rows_shown(app)
        publish(tui, 5, WITHOUT_MASK)  # under the card: nothing new to ask, same verdict
        await pilot.press("enter")
        await settle(pilot)
        [(name, outcome, answers)] = saved_answers(tui)
        assert (name, outcome) == ("张露", "admitted") and "mask" not in answers
        assert "Saved" in status_text(app)
        await scan(pilot, "GT1002")
        assert "mask" not in rows_shown(app)
        await pilot.press("enter")
        await settle(pilot)
        assert [set(a) for _n, _o, a in saved_answers(tui)] == [
            {i["key"] for i in WITHOUT_MASK}
        ] * 2
        # HQ withdraws its checklist: the site file's (with the mask) is back.
        publish_withdrawal(tui, 6)
        await scan(pilot, "GT1003")
        assert "mask" in rows_shown(app)


async def test_an_override_given_while_the_checklist_changes_still_applies(tui: TuiGate) -> None:
    """HQ's checklist lands while the leader is authorising a watch-list hit; it asks nothing
    new and gives the same verdict, so the save refused for it goes again at once under the
    new checklist, with the override: the leader is not asked twice."""
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        await scan(pilot, tui.gate.id_numbers[WATCHED])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverrideScreen)
        publish(tui, 5, WITHOUT_MASK)
        await pilot.press(*"L2001", "enter", *"5678", "enter", *"核实", "enter")
        await settle(pilot)
        assert isinstance(app.screen, GateScreen)
        [(name, outcome, answers)] = saved_answers(tui)
        assert (name, outcome) == (WATCHED, "admitted") and "mask" not in answers
        assert presence.recent_entries(tui.ctx)[0].override_by_name == "李娜"


def publish_withdrawal(tui: TuiGate, cursor: int) -> None:
    payload = canonical_json({"site": tui.ctx.site.code, "items": None})
    sync_io.apply_reference_page(tui.ctx, [(cursor, "site.checklist", payload)], cursor)


async def test_walk_in_and_vehicle_follow_the_new_checklist(tui: TuiGate) -> None:
    app = tui.app()
    async with app.run_test(size=SIZE) as pilot:
        await login(pilot)
        # A vehicle whose passenger's answers were kept (F6) before HQ changed the checklist.
        await scan(pilot, "a12345")
        screen = app.screen
        assert isinstance(screen, VehicleScreen)
        await scan(pilot, "GT1002")  # 曾小贤, the driver 单雄信 comes with the truck
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, PeopleChecksScreen)
        await pilot.press("right")  # 曾小贤's health code: yellow
        await pilot.press("f10")
        await settle(pilot)
        assert app.screen is screen
        publish(tui, 5, [*WITHOUT_MASK, VACCINATED])
        await pilot.press("enter")  # save the vehicle
        await settle(pilot)
        assert isinstance(app.screen, GateScreen), status_text(app)
        saved = {n: (o, a) for n, o, a in saved_answers(tui)}
        keys = {i["key"] for i in [*WITHOUT_MASK, VACCINATED]}
        assert saved["曾小贤"][0] == "referred" and saved["曾小贤"][1]["health_code"] == "yellow"
        assert set(saved["曾小贤"][1]) == keys and set(saved["单雄信"][1]) == keys
        # F6 again now shows the new item, for everyone.
        await scan(pilot, "a12345")
        await pilot.press("f6")
        await settle(pilot)
        checks = app.screen
        assert isinstance(checks, PeopleChecksScreen)
        assert {r.key for r in checks.panel.query(ChoiceRow)} >= {"vaccinated"}
        await pilot.press("escape", "escape")
        await settle(pilot)
        # A walk-in is admitted on the gate screen with the new checklist's panel.
        assert isinstance(app.screen, GateScreen)
        await scan(pilot, "刘备")
        form = app.screen
        await type_text(pilot, "110101199003071233")
        await pilot.press("enter")
        await type_text(pilot, "13900009999")
        await pilot.press("f10")
        await settle(pilot)
        gate = app.screen
        assert form is not gate and isinstance(gate, GateScreen), status_text(app)
        assert gate.card is not None and gate.card.name == "刘备"
        assert "vaccinated" in rows_shown(app) and "mask" not in rows_shown(app)
        await pilot.press("enter")
        await settle(pilot)
        assert saved_answers(tui)[-1][0] == "刘备" and set(saved_answers(tui)[-1][2]) == keys
