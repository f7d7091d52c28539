"""Registering passages at the gate: one durable transaction per person or vehicle passage.

When a function here returns, the entry and its change-log row are committed with
synchronous=FULL: the screen may say "saved" (DESIGN invariant 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlmodel import Session

from gateui.domain.checklist import Outcome, decide
from gateui.domain.direction import Direction
from gateui.errors import NotFoundError, PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.lookup import watch_reasons
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Entry, Person, Presence, Vehicle

OUTCOME_NAMES = {Outcome.ADMIT: "admitted", Outcome.REFER: "referred", Outcome.DENY: "denied"}


@dataclass(frozen=True)
class Override:
    """A leader's permission to admit despite a refusal or a hit (verified by auth)."""

    leader_id: str
    reason: str


@dataclass(frozen=True)
class PersonPassage:
    person_id: str
    direction: Direction
    answers: dict[str, str] = field(default_factory=dict)
    override: Override | None = None
    purpose: str | None = None


@dataclass(frozen=True)
class VehiclePassage:
    vehicle_id: str
    direction: Direction
    driver: PersonPassage | None
    passengers: tuple[PersonPassage, ...] = ()
    cargo: str | None = None
    override: Override | None = None


@dataclass(frozen=True)
class PassageResult:
    entry_id: str
    outcome: str  # admitted, denied, referred
    reasons: tuple[str, ...]
    overridden: bool
    passenger_results: tuple[PassageResult, ...] = ()

    @property
    def admitted(self) -> bool:
        return self.outcome == "admitted"


def check_leader(s: Session, override: Override | None) -> None:
    if override is None:
        return
    leader = s.get(AppUser, override.leader_id)
    if leader is None or leader.role not in ("leader", "admin") or not leader.active:
        raise PermissionDeniedError("auth.not_leader")
    if not override.reason.strip():
        raise PermissionDeniedError("override.reason_required")


def _judge(
    ctx: GateContext,
    direction: Direction,
    answers: dict[str, str] | None,
    hits: list[str],
    override: Override | None,
) -> tuple[str, list[str], bool]:
    """(outcome, reasons, overridden). Checks apply on the way in; leaving is recorded.

    `answers` is None for a vehicle: the checklist is asked of people, not of trucks.
    """
    if direction is Direction.OUT:
        return "admitted", [], False
    reasons: list[str] = []
    outcome = "admitted"
    if answers is not None:
        decision = decide(ctx.checklist, answers)
        reasons = [f"{r.item_key}:{r.answer}" for r in decision.reasons]
        outcome = OUTCOME_NAMES[decision.outcome]
    reasons += hits
    if hits and outcome == "admitted":
        outcome = "referred"
    if outcome != "admitted" and override is not None:
        return "admitted", reasons, True
    return outcome, reasons, False


def _presence_key(subject: str, subject_id: str) -> str:
    return f"{subject[0]}:{subject_id}"


def record_entry(
    ctx: GateContext,
    s: Session,
    guard_id: str,
    *,
    subject: str,
    subject_id: str,
    direction: Direction,
    outcome: str,
    reasons: list[str],
    answers: dict[str, str],
    override: Override | None,
    overridden: bool,
    name: str | None = None,
    id_number: str | None = None,
    plate: str | None = None,
    vehicle_entry_id: str | None = None,
    cargo: str | None = None,
    passengers: int = 0,
    purpose: str | None = None,
) -> Entry:
    now = ctx.now()
    key = _presence_key(subject, subject_id)
    presence = s.get(Presence, key)
    entry = Entry(
        id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
        device_id=ctx.device_id,
        site_code=ctx.site.code,
        checkpoint_code=ctx.checkpoint_code,
        subject=subject,
        person_id=subject_id if subject == "person" else None,
        vehicle_id=subject_id if subject == "vehicle" else None,
        name=name,
        id_number=id_number,
        plate=plate,
        direction=direction.value,
        outcome=outcome,
        reasons=json.dumps(reasons, ensure_ascii=False),
        answers=json.dumps(answers, ensure_ascii=False, sort_keys=True),
        guard_id=guard_id,
        override_by=override.leader_id if overridden and override else None,
        override_reason=override.reason if overridden and override else None,
        vehicle_entry_id=vehicle_entry_id,
        matches_entry_id=presence.entry_id if presence and direction is Direction.OUT else None,
        cargo=cargo,
        passengers=passengers,
        purpose=purpose,
        at=now,
    )
    s.add(entry)
    s.flush()
    if outcome == "admitted":
        if direction is Direction.IN:
            if presence is None:
                s.add(Presence(subject_key=key, entry_id=entry.id, since=now))
            else:
                presence.entry_id, presence.since = entry.id, now
        elif presence is not None:
            s.delete(presence)
    append_change(s, ctx.device_id, "entry.recorded", entry.id, entry.model_dump(mode="json"), now)
    return entry


def _person_hits(s: Session, person_id: str) -> tuple[Person, list[str]]:
    """The person and what stops them at the gate: status and watch-list hits.

    Only what judging needs: the full card (responsible person, last passage) was already
    shown on screen and is not read again on the save path.
    """
    person = s.get(Person, person_id)
    if person is None:
        raise NotFoundError("person.not_found", id=person_id)
    hits = [f"status:{person.status}"] if person.status != "normal" else []
    hits += [f"watch:{r}" for r in watch_reasons(s, id_number=person.id_number)]
    return person, hits


def _person_passage(
    ctx: GateContext,
    s: Session,
    guard_id: str,
    req: PersonPassage,
    vehicle_entry_id: str | None = None,
) -> PassageResult:
    check_leader(s, req.override)
    card, hits = _person_hits(s, req.person_id)
    outcome, reasons, overridden = _judge(ctx, req.direction, req.answers, hits, req.override)
    entry = record_entry(
        ctx,
        s,
        guard_id,
        subject="person",
        subject_id=card.id,
        direction=req.direction,
        outcome=outcome,
        reasons=reasons,
        answers=req.answers,
        override=req.override,
        overridden=overridden,
        name=card.name,
        id_number=card.id_number,
        vehicle_entry_id=vehicle_entry_id,
        purpose=req.purpose,
    )
    return PassageResult(entry.id, outcome, tuple(reasons), overridden)


def register_person(ctx: GateContext, guard_id: str, req: PersonPassage) -> PassageResult:
    """Check and record one person's passage; durable when this returns."""
    with ctx.db.write() as s:
        return _person_passage(ctx, s, guard_id, req)


def register_vehicle(ctx: GateContext, guard_id: str, req: VehiclePassage) -> PassageResult:
    """Record a vehicle with its driver and passengers, all in one transaction."""
    with ctx.db.write() as s:
        check_leader(s, req.override)
        vehicle = s.get(Vehicle, req.vehicle_id)
        if vehicle is None:
            raise NotFoundError("vehicle.not_found", id=req.vehicle_id)
        hits = [f"status:{vehicle.status}"] if vehicle.status != "normal" else []
        hits += [f"watch:{r}" for r in watch_reasons(s, plate_key=vehicle.plate_key)]
        people = ([req.driver] if req.driver else []) + list(req.passengers)
        if req.driver is not None:
            # A truck whose driver may not enter does not enter either.
            d = req.driver
            _driver, d_hits = _person_hits(s, d.person_id)
            d_outcome, _, _ = _judge(ctx, req.direction, d.answers, d_hits, d.override)
            if d_outcome != "admitted":
                hits.append(f"driver:{d_outcome}")
        outcome, reasons, overridden = _judge(ctx, req.direction, None, hits, req.override)
        entry = record_entry(
            ctx,
            s,
            guard_id,
            subject="vehicle",
            subject_id=vehicle.id,
            direction=req.direction,
            outcome=outcome,
            reasons=reasons,
            answers={},
            override=req.override,
            overridden=overridden,
            plate=vehicle.plate,
            cargo=req.cargo,
            passengers=len(req.passengers),
        )
        results = tuple(_person_passage(ctx, s, guard_id, p, entry.id) for p in people)
        return PassageResult(entry.id, outcome, tuple(reasons), overridden, results)


def person_exists(ctx: GateContext, person_id: str) -> bool:
    with ctx.db.read() as s:
        return s.get(Person, person_id) is not None
