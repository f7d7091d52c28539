"""registry.register_vehicle: one transaction with its change, refused field by field."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, func, select

from gateui.domain.change_chain import ChainLink, verify_chain
from gateui.services import registry
from gateui.services.lookup import find, vehicle_card
from gateui.services.registry import FormError
from gateui.store.models import ChangeLog
from tests.conftest import GateFixture


def log_size(gate: GateFixture) -> int:
    with gate.ctx.db.read() as s:
        return int(s.exec(select(func.count()).select_from(ChangeLog)).one())


def test_a_new_vehicle_is_saved_with_its_change(gate: GateFixture) -> None:
    before = log_size(gate)
    vehicle_id = registry.register_vehicle(gate.ctx, " 豫c-7g356 ", "coal_truck", " 运输队 ")
    card = vehicle_card(gate.ctx, vehicle_id)
    assert (card.plate, card.kind, card.unit) == ("豫C7G356", "coal_truck", "运输队")
    assert [m.id for m in find(gate.ctx, "c7g356")] == [vehicle_id]
    with gate.ctx.db.read() as s:
        rows = list(s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))))
    assert len(rows) == before + 1
    last = rows[-1]
    assert (last.kind, last.record_id) == ("vehicle.created", vehicle_id)
    assert json.loads(last.payload)["plate"] == "豫C7G356"
    # Records created on a device are named after the change that created them.
    assert vehicle_id == f"{gate.ctx.device_id}-{last.seq}"
    links = [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]
    assert verify_chain(links) is None


@pytest.mark.parametrize(
    ("plate", "kind", "field", "code"),
    [
        ("豫AI2345", "car", "plate", "plate.bad_letter_io"),
        ("", "car", "plate", "plate.empty"),
        ("豫A12345", "tank", "kind", "vehicle.bad_kind"),
    ],
)
def test_invalid_input_names_the_field_and_writes_nothing(
    gate: GateFixture, plate: str, kind: str, field: str, code: str
) -> None:
    before = log_size(gate)
    with pytest.raises(FormError) as caught:
        registry.register_vehicle(gate.ctx, plate, kind)
    assert caught.value.fields[field].code == code
    assert log_size(gate) == before


def test_a_plate_already_registered_is_refused_with_or_without_province(
    gate: GateFixture,
) -> None:
    registry.register_vehicle(gate.ctx, "豫A12345", "car")
    before = log_size(gate)
    for again in ("豫A12345", "a-12345"):
        with pytest.raises(FormError) as caught:
            registry.register_vehicle(gate.ctx, again, "truck")
        assert caught.value.fields["plate"].code == "vehicle.duplicate_plate"
    assert log_size(gate) == before
