"""Find anyone from the one scan/search field, and build the cards the gate screen shows.

Every search is an index range scan with a LIMIT (no LIKE '%…', no table scan), so a
lookup stays in the low milliseconds on 100,000 people (scripts/bench_gate.py measures it).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from gateui.domain.errors import ValidationError
from gateui.domain.names import looks_like_pinyin_query, normalize_name
from gateui.domain.plates import parse_plate
from gateui.domain.resident_id import is_full_id_candidate, looks_like_id_fragment, mask_id
from gateui.errors import NotFoundError, PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.corrections import effective_direction
from gateui.services.presence import recent_entries
from gateui.services.views import Match, PassageView, PersonCard, PersonDetail, VehicleCard
from gateui.store.models import (
    AppUser,
    Entry,
    EntryCorrection,
    Person,
    PersonKey,
    Vehicle,
    WatchEntry,
)

# Scanners and people type noise: keep letters, digits and CJK only for matching.
_NOISE = re.compile(r"[\s\-_.·•/\\]+")


def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    """column starts with text, as an index range (LIKE would not use the index)."""
    c = col(column)
    return (c >= text) & (c < text + "\uffff")


# Only what a match shows: building whole ORM objects cost more than the queries themselves.
_MATCH_COLUMNS: tuple[Any, ...] = (
    col(Person.id),
    col(Person.name),
    col(Person.id_number),
    col(Person.unit),
)


def _person_match(p: Any, matched_by: str, rank: int) -> Match:
    """`p` is a Person or a row of _MATCH_COLUMNS."""
    detail = " ".join(x for x in (mask_id(p.id_number) if p.id_number else "", p.unit or "") if x)
    return Match("person", p.id, p.name, detail, matched_by, rank)


def _vehicle_match(v: Vehicle, matched_by: str, rank: int) -> Match:
    return Match(
        "vehicle", v.id, v.plate, " ".join(x for x in (v.kind, v.unit or "") if x), matched_by, rank
    )


def find(ctx: GateContext, query: str, limit: int = 12) -> list[Match]:
    """Ranked matches for whatever was typed or scanned; the best first."""
    raw = query.strip()
    if not raw:
        return []
    compact = _NOISE.sub("", raw)
    found: dict[tuple[str, str], Match] = {}

    def keep(m: Match) -> None:
        key = (m.kind, m.id)
        if key not in found or found[key].rank > m.rank:
            found[key] = m

    with ctx.db.read() as s:
        people: Any = sa_select(*_MATCH_COLUMNS)
        for p in s.exec(people.where(Person.card_code == raw).limit(1)):
            keep(_person_match(p, "card", 0))
        upper = compact.upper()
        if is_full_id_candidate(upper):
            for p in s.exec(people.where(Person.id_number == upper).limit(1)):
                keep(_person_match(p, "id_number", 0))
        if looks_like_id_fragment(upper):
            rev = upper[::-1]
            for p in s.exec(people.where(_prefix(Person.id_rev, rev)).limit(limit)):
                keep(_person_match(p, "id_suffix", 2))
        _find_plates(s, compact, limit, keep)
        if looks_like_pinyin_query(compact):
            key = compact.lower()
            stmt: Any = (
                sa_select(*_MATCH_COLUMNS, col(PersonKey.key))
                .join(PersonKey, col(PersonKey.person_id) == col(Person.id))
                .where(_prefix(PersonKey.key, key))
                # Index order only: sorting every "zl" person by name first cost a sort of
                # thousands of rows per keystroke; the few kept are ranked below anyway.
                .order_by(col(PersonKey.key))
                .limit(limit * 2)
            )
            for p in s.exec(stmt):
                keep(_person_match(p, "pinyin", 2 if p.key == key else 3))
        if any("\u3400" <= ch <= "\u9fff" for ch in compact):
            try:
                name = normalize_name(raw)
            except ValidationError:
                name = ""
            if name:
                stmt = people.where(_prefix(Person.name, name)).order_by(col(Person.name))
                for p in s.exec(stmt.limit(limit)):
                    keep(_person_match(p, "name", 1 if p.name == name else 2))
    return sorted(found.values(), key=lambda m: (m.rank, m.label, m.id))[:limit]


def _find_plates(s: Session, compact: str, limit: int, keep: object) -> None:
    assert callable(keep)
    try:
        plate = parse_plate(compact)
    except ValidationError:
        plate = None
    if plate is not None:
        for v in s.exec(select(Vehicle).where(Vehicle.plate_key == plate.search_key).limit(1)):
            keep(_vehicle_match(v, "plate", 0))
        return
    # A partial plate ("A123", "豫A12") finds plates by prefix of letter + body.
    body = compact.upper().lstrip("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼")
    if 2 <= len(body) <= 7 and body[0].isascii() and body[0].isalpha() and body.isalnum():
        stmt = select(Vehicle).where(_prefix(Vehicle.plate_key, body)).limit(limit)
        for v in s.exec(stmt):
            keep(_vehicle_match(v, "plate", 1))


def _not_voided() -> ColumnElement[bool]:
    voided = exists().where(
        (col(EntryCorrection.entry_id) == col(Entry.id)) & (col(EntryCorrection.action) == "void")
    )
    return ~voided


def last_passage(
    s: Session, site_code: str, *, person_id: str | None = None, vehicle_id: str | None = None
) -> PassageView | None:
    """The newest admitted, not voided passage of one person or vehicle at this site."""
    stmt = select(Entry).where(
        Entry.site_code == site_code, Entry.outcome == "admitted", _not_voided()
    )
    if person_id is not None:
        stmt = stmt.where(Entry.person_id == person_id, Entry.subject == "person")
    else:
        stmt = stmt.where(Entry.vehicle_id == vehicle_id)
    e = s.exec(stmt.order_by(col(Entry.at).desc()).limit(1)).first()
    if e is None:
        return None
    return PassageView(e.id, effective_direction(s, e), e.outcome, e.at, e.checkpoint_code)


def watch_reasons(
    s: Session, *, id_number: str | None = None, plate_key: str | None = None
) -> tuple[str, ...]:
    if id_number:
        cond = WatchEntry.id_number == id_number
    elif plate_key:
        cond = WatchEntry.plate_key == plate_key
    else:
        return ()
    stmt = select(WatchEntry).where(cond, col(WatchEntry.active).is_(True))
    return tuple(w.reason for w in s.exec(stmt))


def person_card(ctx: GateContext, person_id: str) -> PersonCard:
    with ctx.db.read() as s:
        return person_card_in(s, ctx.site.code, person_id)


def person_card_in(s: Session, site_code: str, person_id: str) -> PersonCard:
    p = s.get(Person, person_id)
    if p is None:
        raise NotFoundError("person.not_found", id=person_id)
    responsible = s.get(Person, p.responsible_id) if p.responsible_id else None
    return PersonCard(
        id=p.id,
        kind=p.kind,
        name=p.name,
        id_number=p.id_number,
        phone=p.phone,
        unit=p.unit,
        responsible_name=responsible.name if responsible else None,
        status=p.status,
        status_note=p.status_note,
        watch_reasons=watch_reasons(s, id_number=p.id_number),
        last_passage=last_passage(s, site_code, person_id=p.id),
        card_code=p.card_code,
    )


def vehicle_card(ctx: GateContext, vehicle_id: str) -> VehicleCard:
    with ctx.db.read() as s:
        v = s.get(Vehicle, vehicle_id)
        if v is None:
            raise NotFoundError("vehicle.not_found", id=vehicle_id)
        driver = s.get(Person, v.driver_id) if v.driver_id else None
        return VehicleCard(
            id=v.id,
            plate=v.plate,
            kind=v.kind,
            unit=v.unit,
            driver_id=v.driver_id,
            driver_name=driver.name if driver else None,
            status=v.status,
            watch_reasons=watch_reasons(s, plate_key=v.plate_key),
            last_passage=last_passage(s, ctx.site.code, vehicle_id=v.id),
        )


def today_local(ctx: GateContext) -> date:
    return ctx.now().astimezone(ctx.site.zone).date()


def person_detail(
    ctx: GateContext, person_id: str, leader_id: str, recent: int = 8
) -> PersonDetail:
    """The leader's detail view of a person: unmasked, with status history and passages.

    Only a leader or an admin may see it (the gate card masks the ID number); `leader_id`
    is the user whose badge and PIN were just checked.
    """
    with ctx.db.read() as s:
        leader = s.get(AppUser, leader_id)
        if leader is None or leader.role not in ("leader", "admin") or not leader.active:
            raise PermissionDeniedError("auth.not_leader")
        card = person_card_in(s, ctx.site.code, person_id)
        person = s.get(Person, person_id)
        since = person.status_since if person else None
    entries = recent_entries(ctx, limit=recent, checkpoint="*", person_id=person_id)
    return PersonDetail(card, since, tuple(entries))
