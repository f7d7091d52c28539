"""passages.register_vehicle on the way out: everyone aboard who needs an exit permit must
hold a valid one, as on foot (services.permits.register_exit), or a leader overrides."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.domain.permits import PermitConfig
from gateui.errors import PermissionDeniedError
from gateui.services import auth, passages, permits, presence, registry
from gateui.services.context import GateContext
from gateui.services.lookup import find
from gateui.store.models import ChangeLog, Entry
from tests.conftest import GateFixture

# Contractors need a permit to leave; 单雄信 and 曾小贤 are made contractors below.
RULES = PermitConfig(kinds=frozenset({"contractor"}))


@pytest.fixture
def site(gate: GateFixture) -> GateContext:
    """The gate of a site with exit-permit rules, a truck and two contractors on site."""
    ctx = dataclasses.replace(gate.ctx, site=gate.ctx.site.model_copy(update={"permits": RULES}))
    for name in ("单雄信", "曾小贤"):
        form = registry.PersonForm(
            name=name,
            id_number=gate.id_numbers[name],
            kind="contractor",
            unit="外协",
        )
        registry.upsert_people(
            ctx, [registry.validate_person(form, gate.clock().date(), True, False)]
        )
    registry.upsert_vehicles(ctx, [registry.validate_vehicle("豫A12345", "coal_truck")])
    passages.register_vehicle(ctx, gate.guard_id, truck(gate, ctx, Direction.IN))
    assert presence.on_site_counts(ctx) == (3, 1)
    return ctx


def truck(
    gate: GateFixture,
    ctx: GateContext,
    direction: Direction,
    driver: str = "单雄信",
    passengers: tuple[str, ...] = ("张露", "曾小贤"),
    override: passages.Override | None = None,
    person_override: passages.Override | None = None,
) -> passages.VehiclePassage:
    normal = normal_answers(ctx.checklist)

    def aboard(name: str) -> passages.PersonPassage:
        return passages.PersonPassage(gate.people[name], direction, normal, person_override)

    vehicle_id = next(m.id for m in find(ctx, "a12345") if m.kind == "vehicle")
    return passages.VehiclePassage(
        vehicle_id,
        direction,
        driver=aboard(driver),
        passengers=tuple(aboard(p) for p in passengers),
        override=override,
    )


def outcomes(result: passages.PassageResult) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.outcome, r.reasons) for r in (result, *result.passenger_results)]


def sign(gate: GateFixture, ctx: GateContext, name: str) -> None:
    now = gate.clock()
    pid = gate.people[name]
    permit = permits.create_permit(
        ctx, pid, now - timedelta(hours=1), now + timedelta(hours=8), "完工离场", gate.guard_id
    )
    permits.approve_permit(ctx, permit.id, gate.guard_id)
    office = auth.create_user(ctx, f"办公室{name}", "leader", f"L9{len(name)}{pid[-3:]}", "2468")
    permits.approve_permit(ctx, permit.id, office)


def test_a_driver_without_a_permit_keeps_the_truck_in(gate: GateFixture, site: GateContext) -> None:
    sign(gate, site, "曾小贤")  # the contractor passenger holds a valid permit
    result = passages.register_vehicle(site, gate.guard_id, truck(gate, site, Direction.OUT))
    assert outcomes(result) == [
        ("denied", ("driver:denied", "permit:none")),  # the truck
        ("denied", ("permit:none",)),  # 单雄信, the driver
        ("admitted", ()),  # 张露 needs no permit
        ("admitted", ()),  # 曾小贤 holds one
    ]
    assert not result.overridden
    assert presence.on_site_counts(site) == (1, 1)  # the truck and its driver stay
    with site.db.read() as s:
        driver = s.get(Entry, result.passenger_results[0].entry_id)
        assert driver is not None and driver.direction == "out"
        assert driver.vehicle_entry_id == result.entry_id
        assert json.loads(driver.reasons) == ["permit:none"]


def test_a_passenger_without_a_permit_keeps_the_truck_in_too(
    gate: GateFixture, site: GateContext
) -> None:
    sign(gate, site, "单雄信")
    result = passages.register_vehicle(site, gate.guard_id, truck(gate, site, Direction.OUT))
    assert outcomes(result) == [
        ("denied", ("permit:none",)),
        ("admitted", ()),
        ("admitted", ()),
        ("denied", ("permit:none",)),  # 曾小贤
    ]
    # A permit with one signature is refused with its own reason.
    now = gate.clock()
    permit = permits.create_permit(
        site, gate.people["曾小贤"], now, now + timedelta(hours=2), "取工具", gate.guard_id
    )
    permits.approve_permit(site, permit.id, gate.guard_id)
    again = passages.register_vehicle(
        site, gate.guard_id, truck(gate, site, Direction.OUT, passengers=("曾小贤",))
    )
    assert outcomes(again)[0] == ("denied", ("permit:one_signature",))
    assert outcomes(again)[2] == ("denied", ("permit:one_signature",))


def test_everyone_with_valid_permits_leaves(gate: GateFixture, site: GateContext) -> None:
    sign(gate, site, "单雄信")
    sign(gate, site, "曾小贤")
    result = passages.register_vehicle(site, gate.guard_id, truck(gate, site, Direction.OUT))
    assert outcomes(result) == [("admitted", ())] * 4
    assert presence.on_site_counts(site) == (0, 0)


def test_a_leader_override_lets_them_out_and_is_recorded(
    gate: GateFixture, site: GateContext
) -> None:
    """The screen passes the leader's override to everyone refused and to the truck."""
    override = passages.Override(gate.leader_id, "抢修设备外送")
    req = truck(gate, site, Direction.OUT, override=override, person_override=override)
    result = passages.register_vehicle(site, gate.guard_id, req)
    assert [(r.outcome, r.overridden) for r in (result, *result.passenger_results)] == [
        ("admitted", False),  # nobody aboard is refused any more: nothing to override
        ("admitted", True),
        ("admitted", False),  # 张露 needed no permit
        ("admitted", True),
    ]
    assert result.passenger_results[0].reasons == ("permit:none",)  # the reason stays
    assert presence.on_site_counts(site) == (0, 0)
    with site.db.read() as s:
        driver = s.get(Entry, result.passenger_results[0].entry_id)
        assert driver is not None and driver.override_by == gate.leader_id
        assert driver.override_reason == "抢修设备外送"


def test_the_trucks_own_override_lets_the_truck_out_without_the_refused(
    gate: GateFixture, site: GateContext
) -> None:
    override = passages.Override(gate.leader_id, "空车外出加油")
    req = truck(gate, site, Direction.OUT, passengers=(), override=override)
    result = passages.register_vehicle(site, gate.guard_id, req)
    assert [(r.outcome, r.reasons, r.overridden) for r in (result, *result.passenger_results)] == [
        ("admitted", ("driver:denied", "permit:none"), True),
        ("denied", ("permit:none",), False),
    ]
    with site.db.read() as s:
        entry = s.get(Entry, result.entry_id)
        assert entry is not None and entry.override_by == gate.leader_id


def test_a_guard_cannot_override_and_nothing_is_saved(gate: GateFixture, site: GateContext) -> None:
    with site.db.read() as s:
        before = len(s.exec(select(ChangeLog)).all())
    not_a_leader = passages.Override(gate.guard_id, "放行")
    for req in (
        truck(gate, site, Direction.OUT, override=not_a_leader),
        truck(gate, site, Direction.OUT, person_override=not_a_leader),
    ):
        with pytest.raises(PermissionDeniedError):
            passages.register_vehicle(site, gate.guard_id, req)
    with site.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
    assert len(rows) == before
    links = [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]
    assert verify_chain(links) is None
    assert presence.on_site_counts(site) == (3, 1)


def test_entering_and_sites_without_rules_are_unaffected(
    gate: GateFixture, site: GateContext
) -> None:
    # The fixture drove in with contractors aboard and no permits: entering needs none.
    free = dataclasses.replace(site, site=site.site.model_copy(update={"permits": PermitConfig()}))
    result = passages.register_vehicle(free, gate.guard_id, truck(gate, free, Direction.OUT))
    assert outcomes(result) == [("admitted", ())] * 4
    assert presence.on_site_counts(site) == (0, 0)
