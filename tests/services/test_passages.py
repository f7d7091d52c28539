"""Registering passages through services: outcomes, overrides, presence, change log."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.errors import PermissionDeniedError
from gateui.services import corrections, passages, presence, registry
from gateui.services.lookup import find, person_card
from gateui.store.models import ChangeLog, Entry
from tests.conftest import GateFixture


def admit(gate: GateFixture, name: str, direction: Direction = Direction.IN, **answers: str):
    ans = normal_answers(gate.ctx.checklist) | answers
    req = passages.PersonPassage(gate.people[name], direction, ans)
    return passages.register_person(gate.ctx, gate.guard_id, req)


def chain(gate: GateFixture) -> list[ChainLink]:
    with gate.ctx.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
        return [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]


def test_normal_passage_is_admitted_saved_and_logged(gate: GateFixture) -> None:
    result = admit(gate, "张露")
    assert result.admitted and result.reasons == ()
    with gate.ctx.db.read() as s:
        entry = s.get(Entry, result.entry_id)
        assert entry is not None and entry.direction == "in" and entry.guard_id == gate.guard_id
        log = s.exec(select(ChangeLog).where(ChangeLog.record_id == result.entry_id)).one()
        assert log.kind == "entry.recorded"
        assert json.loads(log.payload)["id"] == result.entry_id
    assert presence.on_site_counts(gate.ctx) == (1, 0)
    assert verify_chain(chain(gate)) is None


def test_direction_follows_last_passage_and_exit_matches_entry(gate: GateFixture) -> None:
    first = admit(gate, "张露")
    card = person_card(gate.ctx, gate.people["张露"])
    assert card.last_passage is not None and card.last_passage.direction == "in"
    out = admit(gate, "张露", Direction.OUT)
    with gate.ctx.db.read() as s:
        exit_entry = s.get(Entry, out.entry_id)
        assert exit_entry is not None and exit_entry.matches_entry_id == first.entry_id
    assert presence.on_site_counts(gate.ctx) == (0, 0)


def test_fever_is_denied_with_reason_and_not_on_site(gate: GateFixture) -> None:
    result = admit(gate, "张露", temperature="38.2")
    assert result.outcome == "denied"
    assert any(r.startswith("temperature") for r in result.reasons)
    assert presence.on_site_counts(gate.ctx) == (0, 0)


def test_watch_hit_is_referred_until_a_leader_overrides(gate: GateFixture) -> None:
    registry.add_watch(gate.ctx, "密接", id_number=gate.id_numbers["陈丽华"])
    refused = admit(gate, "陈丽华")
    assert refused.outcome == "referred" and "watch:密接" in refused.reasons
    override = passages.Override(gate.leader_id, "已核酸阴性")
    req = passages.PersonPassage(
        gate.people["陈丽华"], Direction.IN, normal_answers(gate.ctx.checklist), override
    )
    admitted = passages.register_person(gate.ctx, gate.guard_id, req)
    assert admitted.admitted and admitted.overridden
    with gate.ctx.db.read() as s:
        entry = s.get(Entry, admitted.entry_id)
        assert entry is not None and entry.override_by == gate.leader_id
        assert entry.override_reason == "已核酸阴性"


def test_a_guard_cannot_override(gate: GateFixture) -> None:
    registry.add_watch(gate.ctx, "密接", id_number=gate.id_numbers["陈丽华"])
    req = passages.PersonPassage(
        gate.people["陈丽华"],
        Direction.IN,
        normal_answers(gate.ctx.checklist),
        passages.Override(gate.guard_id, "想放行"),
    )
    with pytest.raises(PermissionDeniedError):
        passages.register_person(gate.ctx, gate.guard_id, req)
    assert presence.recent_entries(gate.ctx) == []


def test_vehicle_with_driver_and_passengers(gate: GateFixture) -> None:
    registry.upsert_vehicles(gate.ctx, [registry.validate_vehicle("豫A·12345", "coal_truck")])
    vehicle = find(gate.ctx, "a12345")[0]
    assert vehicle.kind == "vehicle" and vehicle.label == "豫A12345"
    normal = normal_answers(gate.ctx.checklist)
    req = passages.VehiclePassage(
        vehicle.id,
        Direction.IN,
        driver=passages.PersonPassage(gate.people["单雄信"], Direction.IN, normal),
        passengers=(
            passages.PersonPassage(gate.people["曾小贤"], Direction.IN, normal),
            passages.PersonPassage(gate.people["张露"], Direction.IN, normal),
        ),
        cargo="原煤",
    )
    result = passages.register_vehicle(gate.ctx, gate.guard_id, req)
    assert result.admitted and len(result.passenger_results) == 3
    with gate.ctx.db.read() as s:
        linked = s.exec(select(Entry).where(Entry.vehicle_entry_id == result.entry_id)).all()
        assert len(linked) == 3
    assert presence.on_site_counts(gate.ctx) == (3, 1)


def test_void_by_leader_keeps_original_and_fixes_presence(gate: GateFixture) -> None:
    result = admit(gate, "张露")
    gate.clock.advance(60)
    corrections.correct_entry(gate.ctx, result.entry_id, gate.leader_id, "void", "误登记")
    history = corrections.entry_history(gate.ctx, result.entry_id)
    assert [h.action for h in history] == ["void"] and history[0].by_name == "李娜"
    with gate.ctx.db.read() as s:
        assert s.get(Entry, result.entry_id) is not None  # the fact stays
    assert presence.on_site_counts(gate.ctx) == (0, 0)
    assert presence.recent_entries(gate.ctx)[0].voided
    with pytest.raises(PermissionDeniedError):
        corrections.correct_entry(gate.ctx, result.entry_id, gate.guard_id, "void", "x")


def test_amend_direction_recomputes_presence(gate: GateFixture) -> None:
    result = admit(gate, "张露")
    corrections.correct_entry(
        gate.ctx, result.entry_id, gate.leader_id, "amend", "方向登记反了", {"direction": "out"}
    )
    assert presence.on_site_counts(gate.ctx) == (0, 0)
    view = presence.recent_entries(gate.ctx)[0]
    assert view.amended and view.direction == "out"
    assert verify_chain(chain(gate)) is None


def test_a_refused_pass_is_recorded_as_denied_unless_a_leader_overrides(
    gate: GateFixture,
) -> None:
    """A revoked or expired pass of a known person: the attempt is recorded, refused."""
    ans = normal_answers(gate.ctx.checklist)
    person = gate.people["张露"]
    req = passages.PersonPassage(person, Direction.IN, ans, refusals=("pass:revoked",))
    refused = passages.register_person(gate.ctx, gate.guard_id, req)
    assert refused.outcome == "denied" and refused.reasons == ("pass:revoked",)
    assert not refused.overridden
    assert presence.on_site_counts(gate.ctx) == (0, 0)
    override = passages.Override(gate.leader_id, "核验身份证无误")
    req = passages.PersonPassage(
        person, Direction.IN, ans, override=override, refusals=("pass:expired",)
    )
    admitted = passages.register_person(gate.ctx, gate.guard_id, req)
    assert admitted.outcome == "admitted" and admitted.overridden
    assert admitted.reasons == ("pass:expired",)
    assert presence.on_site_counts(gate.ctx) == (1, 0)
    # Leaving is always recorded: a refusal of the pass does not keep anyone in.
    req = passages.PersonPassage(person, Direction.OUT, ans, refusals=("pass:expired",))
    assert passages.register_person(gate.ctx, gate.guard_id, req).admitted
    assert presence.on_site_counts(gate.ctx) == (0, 0)
