"""Reference data owned by HQ (DESIGN invariant 4): people, vehicles, the watch list.
(A site's checklist and pass keys: site_reference.py; relayed roster events: relay.py.)

Each write changes the reference rows AND appends hq_ref_log items in one transaction, so
what HQ decides always reaches the sites through `pull`. Writers hold the reference-stream
lock (`HQDatabase.lock_ref_log`) for the whole transaction: cursors commit in cursor order.
Rows are validated with the same domain rules as the gate (ID numbers, plates, phones, names).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, col

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.names import normalize_name
from gateui.domain.phones import parse_mobile
from gateui.domain.plates import parse_plate
from gateui.domain.resident_id import parse_resident_id
from sync.hq.db import HQDatabase
from sync.hq.errors import safe_text
from sync.hq.models import (
    HQPerson,
    HQRefLog,
    HQSite,
    HQVehicle,
    HQWatch,
    ImportResult,
    RowProblem,
)
from sync.protocol import RefPersonPayload, RefVehiclePayload, RefWatchPayload

# The gate's own vocabularies (gateui.services.registry); HQ does not import services.
PERSON_KINDS = ("employee", "family", "contractor", "visitor", "driver")
VEHICLE_KINDS = ("coal_truck", "truck", "car", "van", "bus", "other")
STATUSES = ("normal", "home_isolation", "barred")


class UnknownSiteError(LookupError):
    def __init__(self, site: str) -> None:
        super().__init__(f"no site {site!r} at HQ (create it with an enrollment code first)")
        self.site = site


def publish(session: Session, kind: str, payload: BaseModel, site: str | None) -> int:
    """Append one item to the reference stream; the caller holds the ref-log lock."""
    row = HQRefLog(
        site_code=site,
        kind=kind,
        payload=canonical_json(payload.model_dump(mode="json")),
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.flush()
    assert row.cursor is not None
    return row.cursor


def _text(row: Mapping[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else safe_text(str(value).strip(), 200)


def _choice(
    row: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str, code: str
) -> str:
    value = _text(row, name) or default
    if value not in allowed:
        raise _FieldError(name, ValidationError(code, **{name: value}))
    return value


def _parsed(name: str, parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except ValidationError as exc:
        raise _FieldError(name, exc) from exc


def _person_fields(row: Mapping[str, Any], today: date) -> dict[str, Any]:
    phone = _text(row, "phone")
    return {
        "name": _parsed("name", normalize_name, _text(row, "name")),
        "id_number": _parsed(
            "id_number", lambda t: parse_resident_id(t, today).number, _text(row, "id_number")
        ),
        "phone": _parsed("phone", parse_mobile, phone) if phone else None,
        "kind": _choice(row, "kind", PERSON_KINDS, "employee", "person.bad_kind"),
        "status": _choice(row, "status", STATUSES, "normal", "person.bad_status"),
        "unit": _text(row, "unit") or None,
        "card_code": _text(row, "card_code") or None,
        "status_note": _text(row, "status_note") or None,
    }


def _vehicle_fields(row: Mapping[str, Any], _today: date) -> dict[str, Any]:
    plate = _parsed("plate", parse_plate, _text(row, "plate"))
    return {
        "plate": plate.display,
        "plate_key": plate.search_key,
        "kind": _choice(row, "kind", VEHICLE_KINDS, "other", "vehicle.bad_kind"),
        "status": _choice(row, "status", STATUSES, "normal", "person.bad_status"),
        "unit": _text(row, "unit") or None,
    }


class _FieldError(Exception):
    def __init__(self, field: str, error: ValidationError) -> None:
        super().__init__(field)
        self.field, self.error = field, error


def _person_payload(p: HQPerson) -> RefPersonPayload:
    return RefPersonPayload(
        id=f"hq-p{p.id}",
        kind=p.kind,
        name=p.name,
        id_number=p.id_number,
        phone=p.phone,
        unit=p.unit,
        status=p.status,
        status_note=p.status_note,
        card_code=p.card_code,
    )


def _vehicle_payload(v: HQVehicle) -> RefVehiclePayload:
    return RefVehiclePayload(
        id=f"hq-v{v.id}",
        plate=v.plate,
        plate_key=v.plate_key,
        kind=v.kind,
        unit=v.unit,
        status=v.status,
    )


def _import(
    db: HQDatabase,
    rows: Iterable[Mapping[str, Any]],
    first_line: int,
    parse: Callable[[Mapping[str, Any], date], dict[str, Any]],
    model: type[HQPerson | HQVehicle],
    key: str,
    kind: str,
    payload: Callable[[Any], BaseModel],
) -> ImportResult:
    today = datetime.now(UTC).date()
    problems: list[RowProblem] = []
    valid: dict[str, dict[str, Any]] = {}  # by key: a later row of the same key wins
    for line, row in enumerate(rows, start=first_line):
        try:
            fields = parse(row, today)
        except _FieldError as exc:
            problems.append(
                RowProblem(line=line, field=exc.field, code=exc.error.code, params=exc.error.params)
            )
            continue
        valid[fields[key]] = fields
    created = updated = unchanged = 0
    now = datetime.now(UTC)
    with db.write() as s:
        db.lock_ref_log(s)
        column = getattr(model, key)
        existing = {
            getattr(r, key): r
            for r in s.execute(select(model).where(column.in_(list(valid)))).scalars()
        }
        for value, fields in valid.items():
            record = existing.get(value)
            if record is None:
                record, created = model(**fields, updated_at=now), created + 1
            elif all(getattr(record, f) == v for f, v in fields.items()):
                unchanged += 1
                continue
            else:
                for f, v in fields.items():
                    setattr(record, f, v)
                record.updated_at, updated = now, updated + 1
            s.add(record)
            s.flush()
            publish(s, kind, payload(record), None)
    return ImportResult(
        created=created, updated=updated, unchanged=unchanged, problems=tuple(problems)
    )


def import_people(
    db: HQDatabase, rows: Iterable[Mapping[str, Any]], first_line: int = 1
) -> ImportResult:
    """Upsert people by ID number (columns: name, id_number, phone, kind, unit, card_code,
    status, status_note); invalid rows are reported, the valid ones saved and published."""
    return _import(
        db,
        rows,
        first_line,
        _person_fields,
        HQPerson,
        "id_number",
        "person.upsert",
        _person_payload,
    )


def import_vehicles(
    db: HQDatabase, rows: Iterable[Mapping[str, Any]], first_line: int = 1
) -> ImportResult:
    """Upsert vehicles by plate (columns: plate, kind, unit, status)."""
    return _import(
        db,
        rows,
        first_line,
        _vehicle_fields,
        HQVehicle,
        "plate_key",
        "vehicle.upsert",
        _vehicle_payload,
    )


def _is(column: Any, value: str | None) -> Any:
    return column.is_(None) if value is None else column == value


def set_watch(
    db: HQDatabase, subject: str, reason: str, active: bool = True, site: str | None = None
) -> int:
    """Put an ID number or a plate on the watch list (or lift it with active=False), for one
    site or for all; returns the reference-stream cursor that carries it to the sites.

    Raises gateui.domain.errors.ValidationError for an invalid ID number or plate.
    """
    text = subject.strip()
    if text[:1].isdigit():
        id_number, plate_key = parse_resident_id(text, datetime.now(UTC).date()).number, None
    else:
        id_number, plate_key = None, parse_plate(text).search_key
    now = datetime.now(UTC)
    with db.write() as s:
        if site is not None and s.get(HQSite, site) is None:
            raise UnknownSiteError(site)
        db.lock_ref_log(s)
        watch = (
            s.execute(
                select(HQWatch).where(
                    _is(col(HQWatch.site_code), site),
                    _is(col(HQWatch.id_number), id_number),
                    _is(col(HQWatch.plate_key), plate_key),
                )
            )
            .scalars()
            .first()
        )
        if watch is None:
            watch = HQWatch(
                site_code=site,
                id_number=id_number,
                plate_key=plate_key,
                reason="",
                since=now,
                updated_at=now,
            )
        if active and not watch.active:
            watch.since = now
        watch.reason, watch.active, watch.updated_at = safe_text(reason, 200), active, now
        s.add(watch)
        s.flush()
        payload = RefWatchPayload(
            id=f"hq-w{watch.id}",
            id_number=id_number,
            plate_key=plate_key,
            reason=watch.reason,
            active=active,
            since=watch.since,
        )
        return publish(s, "watch.set", payload, site)
