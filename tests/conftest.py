"""Shared fixtures: a real gate database in a temporary directory, with users and people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from gateui.config import SiteConfig
from gateui.domain.resident_id import make_resident_id
from gateui.services import auth, registry
from gateui.services.context import GateContext, open_gate


class FakeClock:
    """A clock the test moves by hand (the device clock is injected everywhere)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class GateFixture:
    ctx: GateContext
    clock: FakeClock
    guard_id: str
    leader_id: str
    people: dict[str, str]  # name -> person id
    id_numbers: dict[str, str]  # name -> ID number


def person_id_number(i: int) -> str:
    return make_resident_id("410323", date(1975, 1, 1) + timedelta(days=37 * i), 100 + i)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 1, 30, tzinfo=UTC))


def make_gate(db_path: Path, clock: FakeClock) -> GateFixture:
    """A real gate database at `db_path`: a guard, a leader and four people (a new device)."""
    ctx = open_gate(db_path, SiteConfig(), clock=clock)
    guard = auth.create_user(ctx, "王强", "guard", "B1001", "1234")
    leader = auth.create_user(ctx, "李娜", "leader", "L2001", "5678")
    names = ["张露", "单雄信", "曾小贤", "陈丽华"]
    forms = [
        registry.PersonForm(
            name=n,
            id_number=person_id_number(i),
            phone=f"1390000{i:04d}",
            kind="employee",
            unit="综采一队",
            card_code=f"GT{1000 + i}",
        )
        for i, n in enumerate(names)
    ]
    today = clock().date()
    valid = [registry.validate_person(f, today, True, False) for f in forms]
    registry.upsert_people(ctx, valid)
    from gateui.services.lookup import find

    people = {n: find(ctx, person_id_number(i))[0].id for i, n in enumerate(names)}
    return GateFixture(
        ctx, clock, guard, leader, people, {n: person_id_number(i) for i, n in enumerate(names)}
    )


@pytest.fixture
def gate(tmp_path: Path, clock: FakeClock) -> Iterator[GateFixture]:
    fixture = make_gate(tmp_path / "gate.db", clock)
    yield fixture
    fixture.ctx.db.dispose()
