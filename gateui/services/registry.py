"""People, vehicles and the watch list: validated writes, each one transaction + change log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, delete, select

from gateui.domain.errors import ValidationError
from gateui.domain.names import normalize_name, pinyin_initial_keys
from gateui.domain.phones import parse_mobile
from gateui.domain.plates import parse_plate
from gateui.domain.resident_id import parse_resident_id
from gateui.errors import GateUIError, NotFoundError
from gateui.services.context import GateContext
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import Person, PersonKey, Vehicle, WatchEntry

PERSON_KINDS = ("employee", "family", "contractor", "visitor", "driver")
VEHICLE_KINDS = ("coal_truck", "truck", "car", "van", "bus", "other")
PERSON_STATUSES = ("normal", "home_isolation", "barred")


class FormError(GateUIError):
    """A form with invalid fields: one ValidationError per field, nothing saved."""

    title_key = "error.form_title"

    def __init__(self, fields: dict[str, ValidationError]) -> None:
        super().__init__("form.invalid", count=len(fields))
        self.fields = fields


@dataclass(frozen=True)
class PersonForm:
    """What a person's registration asks for, as typed (validated by `validate_person`)."""

    name: str
    id_number: str = ""
    phone: str = ""
    kind: str = "visitor"
    unit: str = ""
    purpose: str = ""
    card_code: str = ""
    responsible_id: str | None = None


@dataclass(frozen=True)
class ValidPerson:
    name: str
    id_number: str | None
    phone: str | None
    kind: str
    unit: str | None
    card_code: str | None
    responsible_id: str | None
    warnings: tuple[str, ...]


def _check(errors: dict[str, ValidationError], name: str, fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ValidationError as exc:
        errors[name] = exc
        return None


def validate_person(
    form: PersonForm, today: date, require_id: bool, require_phone: bool
) -> ValidPerson:
    """Validate every field at once, so the form can show every problem beside its field."""
    errors: dict[str, ValidationError] = {}
    name = _check(errors, "name", lambda: normalize_name(form.name))
    ric = None
    if form.id_number.strip():
        ric = _check(errors, "id_number", lambda: parse_resident_id(form.id_number, today))
    elif require_id:
        errors["id_number"] = ValidationError("field.required")
    phone = None
    if form.phone.strip():
        phone = _check(errors, "phone", lambda: parse_mobile(form.phone))
    elif require_phone:
        errors["phone"] = ValidationError("field.required")
    if form.kind not in PERSON_KINDS:
        errors["kind"] = ValidationError("person.bad_kind", kind=form.kind)
    if errors:
        raise FormError(errors)
    return ValidPerson(
        name=name,
        id_number=ric.number if ric else None,
        phone=phone,
        kind=form.kind,
        unit=form.unit.strip() or None,
        card_code=form.card_code.strip() or None,
        responsible_id=form.responsible_id,
        warnings=tuple(ric.warnings) if ric else (),
    )


def person_payload(person: Person) -> dict[str, Any]:
    return person.model_dump(mode="json", exclude={"id_rev"})


def write_person_keys(session: Session, person: Person, new: bool = False) -> None:
    if not new:
        session.exec(delete(PersonKey).where(col(PersonKey.person_id) == person.id))
    for key in pinyin_initial_keys(person.name):
        session.add(PersonKey(person_id=person.id, key=key))


def _save_person(ctx: GateContext, session: Session, person: Person, kind: str) -> None:
    person.id_rev = person.id_number[::-1] if person.id_number else None
    session.add(person)
    write_person_keys(session, person, new=kind == "person.created")
    append_change(session, ctx.device_id, kind, person.id, person_payload(person), ctx.now())


def _new_person(ctx: GateContext, session: Session, valid: ValidPerson, origin: str) -> Person:
    now = ctx.now()
    person = Person(
        id=f"{ctx.device_id}-{next_seq(session, ctx.device_id)}",
        kind=valid.kind,
        name=valid.name,
        id_number=valid.id_number,
        phone=valid.phone,
        unit=valid.unit,
        card_code=valid.card_code,
        responsible_id=valid.responsible_id,
        origin=origin,
        created_at=now,
        updated_at=now,
    )
    _save_person(ctx, session, person, "person.created")
    return person


def _insert_person(ctx: GateContext, session: Session, valid: ValidPerson, origin: str) -> Person:
    if (
        valid.id_number
        and session.exec(select(Person.id).where(Person.id_number == valid.id_number)).first()
    ):
        raise FormError({"id_number": ValidationError("person.duplicate_id")})
    return _new_person(ctx, session, valid, origin)


def register_person(
    ctx: GateContext, form: PersonForm, origin: str = "walk_in", require_phone: bool = True
) -> str:
    """Register a walk-in (or a leader's new person); returns the new person's id."""
    today = ctx.now().astimezone(ctx.site.zone).date()
    valid = validate_person(form, today, require_id=True, require_phone=require_phone)
    with ctx.db.write() as session:
        return _insert_person(ctx, session, valid, origin).id


def upsert_people(
    ctx: GateContext, rows: list[ValidPerson], origin: str = "import"
) -> tuple[int, int]:
    """Insert or update people by ID number, all in one transaction: (created, updated)."""
    created = updated = 0
    with ctx.db.write() as session, session.no_autoflush:
        # One query per chunk instead of one per row: imports and the demo seed are bulk.
        numbers = [v.id_number for v in rows if v.id_number]
        known: dict[str, Person] = {}
        for i in range(0, len(numbers), 500):
            chunk = numbers[i : i + 500]
            stmt = select(Person).where(col(Person.id_number).in_(chunk))
            known.update({p.id_number: p for p in session.exec(stmt) if p.id_number})
        for valid in rows:
            existing = known.get(valid.id_number) if valid.id_number else None
            if existing is None:
                person = _new_person(ctx, session, valid, origin)
                if person.id_number:
                    known[person.id_number] = person
                created += 1
                continue
            existing.name, existing.kind = valid.name, valid.kind
            existing.phone, existing.unit = valid.phone, valid.unit
            existing.card_code = valid.card_code or existing.card_code
            existing.updated_at = ctx.now()
            _save_person(ctx, session, existing, "person.updated")
            updated += 1
    return created, updated


def set_person_status(
    ctx: GateContext, person_id: str, status: str, note: str | None, by_user: str
) -> None:
    if status not in PERSON_STATUSES:
        raise ValidationError("person.bad_status", status=status)
    with ctx.db.write() as session:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("person.not_found", id=person_id)
        person.status, person.status_note = status, note
        person.status_since = person.updated_at = ctx.now()
        session.add(person)
        payload = person_payload(person) | {"by_user": by_user}
        append_change(session, ctx.device_id, "person.status", person.id, payload, ctx.now())


@dataclass(frozen=True)
class ValidVehicle:
    plate: str
    plate_key: str
    kind: str
    unit: str | None
    driver_id: str | None


def validate_vehicle(
    plate: str, kind: str, unit: str = "", driver_id: str | None = None
) -> ValidVehicle:
    errors: dict[str, ValidationError] = {}
    parsed = _check(errors, "plate", lambda: parse_plate(plate))
    if kind not in VEHICLE_KINDS:
        errors["kind"] = ValidationError("vehicle.bad_kind", kind=kind)
    if errors:
        raise FormError(errors)
    return ValidVehicle(parsed.display, parsed.search_key, kind, unit.strip() or None, driver_id)


def _new_vehicle(ctx: GateContext, session: Session, valid: ValidVehicle) -> Vehicle:
    now = ctx.now()
    return Vehicle(
        id=f"{ctx.device_id}-{next_seq(session, ctx.device_id)}",
        plate=valid.plate,
        plate_key=valid.plate_key,
        kind=valid.kind,
        unit=valid.unit,
        driver_id=valid.driver_id,
        created_at=now,
        updated_at=now,
    )


def _save_vehicle(ctx: GateContext, session: Session, vehicle: Vehicle, kind: str) -> None:
    session.add(vehicle)
    session.flush()
    payload = vehicle.model_dump(mode="json")
    append_change(session, ctx.device_id, kind, vehicle.id, payload, ctx.now())


def upsert_vehicles(ctx: GateContext, rows: list[ValidVehicle]) -> tuple[int, int]:
    created = updated = 0
    with ctx.db.write() as session:
        for valid in rows:
            vehicle = session.exec(
                select(Vehicle).where(Vehicle.plate_key == valid.plate_key)
            ).first()
            if vehicle is None:
                vehicle = _new_vehicle(ctx, session, valid)
                kind, created = "vehicle.created", created + 1
            else:
                vehicle.plate, vehicle.kind = valid.plate, valid.kind
                vehicle.unit = valid.unit
                vehicle.driver_id = valid.driver_id or vehicle.driver_id
                vehicle.updated_at = ctx.now()
                kind, updated = "vehicle.updated", updated + 1
            _save_vehicle(ctx, session, vehicle, kind)
    return created, updated


def register_vehicle(ctx: GateContext, plate: str, kind: str, unit: str = "") -> str:
    """Register a vehicle the gate does not know (plate, kind, unit); returns its id.

    One transaction with its change-log row. An invalid plate or kind raises FormError
    naming the field; a plate already registered is refused on the plate field too (the
    gate's search finds it: register it twice and HQ would get two vehicles for one plate).
    """
    valid = validate_vehicle(plate, kind, unit)
    with ctx.db.write() as session:
        known = session.exec(select(Vehicle.id).where(Vehicle.plate_key == valid.plate_key))
        if known.first() is not None:
            raise FormError(
                {"plate": ValidationError("vehicle.duplicate_plate", plate=valid.plate)}
            )
        vehicle = _new_vehicle(ctx, session, valid)
        _save_vehicle(ctx, session, vehicle, "vehicle.created")
        return vehicle.id


def add_watch(
    ctx: GateContext, reason: str, id_number: str | None = None, plate: str | None = None
) -> str:
    """Put an ID number or a plate on the watch list; returns the watch entry's id."""
    today = ctx.now().astimezone(ctx.site.zone).date()
    number = parse_resident_id(id_number, today).number if id_number else None
    plate_key = parse_plate(plate).search_key if plate else None
    if number is None and plate_key is None:
        raise ValidationError("watch.needs_subject")
    with ctx.db.write() as session:
        watch = WatchEntry(
            id=f"{ctx.device_id}-{next_seq(session, ctx.device_id)}",
            id_number=number,
            plate_key=plate_key,
            reason=reason,
            since=ctx.now(),
        )
        session.add(watch)
        session.flush()
        append_change(
            session,
            ctx.device_id,
            "watch.added",
            watch.id,
            watch.model_dump(mode="json"),
            ctx.now(),
        )
        return watch.id
