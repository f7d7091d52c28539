"""Who a pass is for: people named on the command line, or all staff, as plain values.

A person is named by registry id, full ID number or card code (exactly: a pass must not go
to a near match). "Staff" are the site's employees whose status is normal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from gateui.domain.resident_id import mask_id
from gateui.errors import NotFoundError
from gateui.services.context import GateContext
from gateui.store.models import Person


@dataclass(frozen=True)
class PassPerson:
    id: str
    name: str
    unit: str | None
    masked_id: str | None
    kind: str
    status: str


def _view(p: Person) -> PassPerson:
    masked = mask_id(p.id_number) if p.id_number else None
    return PassPerson(p.id, p.name, p.unit, masked, p.kind, p.status)


def resolve_people(ctx: GateContext, refs: Sequence[str]) -> list[PassPerson]:
    """The people named, in order, each once; NotFoundError("cli.pass.not_found") names the
    first reference that matches nobody."""
    out: dict[str, PassPerson] = {}
    with ctx.db.read() as s:
        for ref in refs:
            text = ref.strip()
            person = s.get(Person, text)
            if person is None:
                person = s.exec(select(Person).where(Person.id_number == text.upper())).first()
            if person is None:
                person = s.exec(select(Person).where(Person.card_code == text)).first()
            if person is None:
                raise NotFoundError("cli.pass.not_found", ref=ref)
            out.setdefault(person.id, _view(person))
    return list(out.values())


def all_staff(ctx: GateContext) -> list[PassPerson]:
    """Every employee in normal status, by unit and name (the order of the printed sheet)."""
    with ctx.db.read() as s:
        stmt = (
            select(Person)
            .where(Person.kind == "employee", Person.status == "normal")
            .order_by(col(Person.unit), col(Person.name), col(Person.id))
        )
        return [_view(p) for p in s.exec(stmt)]
