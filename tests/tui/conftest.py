"""The gate terminal driven by Pilot over a real SQLite file and the real services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from textual.pilot import Pilot

from gateui.services import registry
from gateui.services.context import GateContext
from gateui.tui.app import GateApp, create_app
from gateui.tui.screens.gate import GateScreen
from tests.conftest import GateFixture

SIZE = (80, 24)
WATCHED = "陈丽华"  # on the watch list
PLATE = "豫A12345"  # a coal truck whose usual driver is 单雄信


@dataclass
class TuiGate:
    gate: GateFixture
    vehicle_id: str

    @property
    def ctx(self) -> GateContext:
        return self.gate.ctx

    def app(self, lang: str = "zh") -> GateApp:
        return create_app(self.gate.ctx, lang, cursor_blink=False)


@pytest.fixture
def tui(gate: GateFixture) -> Iterator[TuiGate]:
    ctx = gate.ctx
    driver = gate.people["单雄信"]
    registry.upsert_vehicles(
        ctx, [registry.validate_vehicle(PLATE, "coal_truck", "运输队", driver)]
    )
    registry.add_watch(ctx, "涉嫌盗窃", id_number=gate.id_numbers[WATCHED])
    vehicle_id = registry_vehicle_id(gate)
    yield TuiGate(gate, vehicle_id)


def registry_vehicle_id(gate: GateFixture) -> str:
    from gateui.services.lookup import find

    return next(m.id for m in find(gate.ctx, PLATE) if m.kind == "vehicle")


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Screen switches happen after the current message; give them a few turns."""
    for _ in range(rounds):
        await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*text)


async def scan(pilot: Pilot[None], text: str) -> None:
    """What a keyboard-wedge scanner does: the payload, then Enter."""
    await pilot.press(*text, "enter")
    await settle(pilot)


async def login(pilot: Pilot[None], badge: str = "B1001", pin: str = "1234") -> None:
    await pilot.press(*badge, "enter", *pin, "enter")
    for _ in range(20):
        await pilot.pause()
        if isinstance(pilot.app.screen, GateScreen):
            break
    await settle(pilot)


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Keys arriving all at once, as from a scanner, without waiting between them."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot, 5)
