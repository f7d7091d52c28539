"""Registering passages at the gate: one durable transaction per person or vehicle passage.

When a function here returns, the entry and its change-log row are committed with
synchronous=FULL: the screen may say "saved" (DESIGN invariant 1).

This is the gate's hot path (scripts/bench_gate.py holds a save to 2x a bare sqlite3
insert+commit), so it skips the ORM's unit of work: one read gives everything the save
needs (the person, their watch-list hits, whether they are on site, the change log's tail,
the checklist's row), and the entry, the presence and the change are plain INSERTs on the
transaction's own connection (store.passage_sql, store.changelog). The rows and the
change-log payload bytes are those the ORM would write; tests/services/test_save_path.py
compares them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, NotRequired, TypedDict, Unpack

from sqlmodel import Session

from gateui.domain.checklist import ChecklistItem
from gateui.domain.direction import Direction
from gateui.errors import GateUIError, NotFoundError, PermissionDeniedError
from gateui.services.context import CHECKLIST_SETTING, GateContext, checklist_of_row
from gateui.services.save_memo import answers_json, checklist_verdict
from gateui.store import changelog, passage_sql
from gateui.store.db import SqlTx, session_tx
from gateui.store.models import Entry, Person
from gateui.store.passage_sql import SubjectFacts
from gateui.store.rows import detached, json_datetime


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
    # Reasons found before the save that refuse entry unless a leader overrides, e.g. a
    # scanned pass that is revoked or expired ("pass:revoked"): the attempt is recorded.
    refusals: tuple[str, ...] = ()
    # The checklist the answers were given to (the gate's panel). When given, the save is
    # refused (ChecklistChangedError, nothing written) if another one is in force by the
    # time its transaction reads it: HQ's pull may land between the screen and the save.
    checklist: tuple[ChecklistItem, ...] | None = None


class ChecklistChangedError(GateUIError):
    """The answers were given to another checklist than the one in force (`in_force`)."""

    def __init__(self, in_force: tuple[ChecklistItem, ...]) -> None:
        super().__init__("gate.checklist_changed")
        self.in_force = in_force


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


class EntryFields(TypedDict):
    """What the caller of `record_entry` decides about an entry; the rest (id, device,
    site, checkpoint, time, the presence it ends) is the recording's."""

    subject: str  # person or vehicle
    subject_id: str
    direction: Direction
    outcome: str
    reasons: list[str]
    answers: dict[str, str]
    override: Override | None
    overridden: bool  # the override admitted it (recorded on the entry only then)
    name: NotRequired[str | None]
    id_number: NotRequired[str | None]
    plate: NotRequired[str | None]
    vehicle_entry_id: NotRequired[str | None]
    cargo: NotRequired[str | None]
    passengers: NotRequired[int]
    purpose: NotRequired[str | None]


def _check_leader(tx: SqlTx, override: Override | None) -> None:
    if override is None:
        return
    user = passage_sql.user_role(tx, override.leader_id)
    if user is None or user[0] not in ("leader", "admin") or not user[1]:
        raise PermissionDeniedError("auth.not_leader")
    if not override.reason.strip():
        raise PermissionDeniedError("override.reason_required")


def check_leader(s: Session, override: Override | None) -> None:
    if override is not None:
        _check_leader(session_tx(s), override)


def _checklist(ctx: GateContext, tx: SqlTx) -> tuple[ChecklistItem, ...]:
    """The checklist in force (HQ's pulled one, else the site file's), its row read in the
    save's own transaction rather than by `ctx.checklist`'s separate reader round trip."""
    return checklist_of_row(ctx, passage_sql.setting_row(tx, CHECKLIST_SETTING))


def _judge(
    tx: SqlTx,
    ctx: GateContext,
    direction: Direction,
    answers: dict[str, str] | None,
    hits: list[str],
    override: Override | None,
    refusals: tuple[str, ...] = (),
    checklist: tuple[ChecklistItem, ...] | None = None,
) -> tuple[str, list[str], bool]:
    """(outcome, reasons, overridden). Checks apply on the way in; leaving is recorded.

    `answers` is None for a vehicle: the checklist is asked of people, not of trucks.
    `refusals` deny entry whatever the answers (PersonPassage.refusals). `checklist` is
    the one in force when the caller read it already in this transaction.
    """
    if direction is Direction.OUT:
        return "admitted", [], False
    reasons: list[str] = []
    outcome = "admitted"
    if answers is not None:
        items = _checklist(ctx, tx) if checklist is None else checklist
        outcome, found = checklist_verdict(items, answers)
        reasons = list(found)
    reasons += hits
    if hits and outcome == "admitted":
        outcome = "referred"
    if refusals:
        reasons += refusals
        outcome = "denied"
    if outcome != "admitted" and override is not None:
        return "admitted", reasons, True
    return outcome, reasons, False


def _exit_verdict(reasons: list[str], override: Override | None) -> tuple[str, list[str], bool]:
    """A refused exit (no valid permit): denied with the reasons, or the leader's override
    admits it, as services.permits.register_exit does for a person on foot."""
    if not reasons:
        return "admitted", [], False
    if override is not None:
        return "admitted", reasons, True
    return "denied", reasons, False


def _hits(facts: SubjectFacts) -> list[str]:
    """What stops a person or vehicle at the gate: a non-normal status, watch-list hits."""
    hits = [f"status:{facts.status}"] if facts.status != "normal" else []
    return hits + [f"watch:{r}" for r in facts.watch]


def _record(
    ctx: GateContext, tx: SqlTx, guard_id: str, present: str | None, **f: Unpack[EntryFields]
) -> dict[str, Any]:
    """Write the entry, the presence it changes and its change; the entry's values.

    `present` is the entry that put the subject on site (None if they are not).
    """
    now = ctx.now()
    device_id = ctx.device_id
    subject, subject_id, direction = f["subject"], f["subject_id"], f["direction"]
    by = f["override"] if f["overridden"] else None
    reasons = f["reasons"]
    values: dict[str, Any] = {
        "id": f"{device_id}-{changelog.next_seq_tx(tx, device_id)}",
        "device_id": device_id,
        "site_code": ctx.site.code,
        "checkpoint_code": ctx.checkpoint_code,
        "subject": subject,
        "person_id": subject_id if subject == "person" else None,
        "vehicle_id": subject_id if subject == "vehicle" else None,
        "name": f.get("name"),
        "id_number": f.get("id_number"),
        "plate": f.get("plate"),
        "direction": direction.value,
        "outcome": f["outcome"],
        "reasons": json.dumps(reasons, ensure_ascii=False) if reasons else "[]",
        "answers": answers_json(f["answers"]),
        "guard_id": guard_id,
        "override_by": by.leader_id if by else None,
        "override_reason": by.reason if by else None,
        "vehicle_entry_id": f.get("vehicle_entry_id"),
        "matches_entry_id": present if direction is Direction.OUT else None,
        "cargo": f.get("cargo"),
        "passengers": f.get("passengers", 0),
        "purpose": f.get("purpose"),
        "at": now,
    }
    passage_sql.insert_entry(tx, values)  # first: presence refers to it
    if f["outcome"] == "admitted":
        key = passage_sql.presence_key(subject, subject_id)
        if direction is Direction.IN:
            passage_sql.set_present(tx, key, values["id"], now)
        elif present is not None:
            passage_sql.clear_present(tx, key)
    # The payload is the entry as model_dump(mode="json") gives it.
    payload = values | {"at": json_datetime(now)}
    changelog.append(tx, device_id, "entry.recorded", values["id"], payload, now)
    return values


def record_entry(
    ctx: GateContext, s: Session, guard_id: str, **fields: Unpack[EntryFields]
) -> Entry:
    """Record an entry judged by the caller, in the caller's transaction (with its
    presence and change); returns a detached record of the row written."""
    tx = session_tx(s)
    present = passage_sql.present_entry_id(tx, fields["subject"], fields["subject_id"])
    return detached(Entry, _record(ctx, tx, guard_id, present, **fields))


def _person_facts(tx: SqlTx, person_id: str) -> SubjectFacts:
    facts = passage_sql.person_facts(tx, person_id)
    if facts is None:
        raise NotFoundError("person.not_found", id=person_id)
    return facts


def _person_passage(
    ctx: GateContext,
    tx: SqlTx,
    guard_id: str,
    req: PersonPassage,
    vehicle_entry_id: str | None = None,
    exit_refusal: list[str] | None = None,
) -> PassageResult:
    """`exit_refusal`: the permit reasons that refuse this person's exit (vehicles)."""
    _check_leader(tx, req.override)
    # One statement reads the person, the change log's tail and the checklist's row.
    found = passage_sql.person_save_facts(tx, req.person_id, ctx.device_id, CHECKLIST_SETTING)
    if found is None:
        raise NotFoundError("person.not_found", id=req.person_id)
    person = found.person
    changelog.remember_tail(tx, ctx.device_id, *found.tail)
    in_force = None
    if req.direction is Direction.IN or req.checklist is not None:
        in_force = checklist_of_row(ctx, found.setting)
        if req.checklist is not None and req.checklist != in_force:
            raise ChecklistChangedError(in_force)
    if exit_refusal and req.direction is Direction.OUT:
        outcome, reasons, overridden = _exit_verdict(exit_refusal, req.override)
    else:
        hits = _hits(person)
        checklist = in_force if req.direction is Direction.IN else None
        outcome, reasons, overridden = _judge(
            tx, ctx, req.direction, req.answers, hits, req.override, req.refusals, checklist
        )
    values = _record(
        ctx,
        tx,
        guard_id,
        person.present_entry_id,
        subject="person",
        subject_id=person.id,
        direction=req.direction,
        outcome=outcome,
        reasons=reasons,
        answers=req.answers,
        override=req.override,
        overridden=overridden,
        name=person.label,
        id_number=person.id_number,
        vehicle_entry_id=vehicle_entry_id,
        purpose=req.purpose,
    )
    return PassageResult(values["id"], outcome, tuple(reasons), overridden)


def register_person(ctx: GateContext, guard_id: str, req: PersonPassage) -> PassageResult:
    """Check and record one person's passage; durable when this returns."""
    with ctx.db.write_sql() as tx:
        return _person_passage(ctx, tx, guard_id, req)


def _exit_refusals(
    ctx: GateContext, s: Session, direction: Direction, people: list[PersonPassage]
) -> dict[str, list[str]]:
    """person id -> the permit reason refusing their exit, for those aboard who need an
    exit permit (`[site.permits]`) and hold no valid one. Empty on the way in."""
    if direction is not Direction.OUT or not people:
        return {}
    # Imported here: services.permits builds on this module (record_entry, check_leader).
    from gateui.services import permits

    config = permits.site_permit_config(ctx)
    now = ctx.now()
    refused: dict[str, list[str]] = {}
    for p in people:
        check = permits.check_exit_in(s, p.person_id, now, config)
        if check.needed and not check.allowed:
            refused[p.person_id] = [check.entry_reason or "permit:none"]
    return refused


def _vehicle_verdict(
    ctx: GateContext,
    tx: SqlTx,
    req: VehiclePassage,
    vehicle: SubjectFacts,
    refusals: dict[str, list[str]],
) -> tuple[str, list[str], bool]:
    """A truck whose driver may not pass does not pass either; on the way out, neither
    does one carrying anybody who may not leave (each unless a leader overrides)."""
    if req.direction is Direction.OUT:
        reasons: list[str] = []
        aboard = ([req.driver] if req.driver else []) + list(req.passengers)
        for p in aboard:
            refusal = refusals.get(p.person_id)
            if refusal and p.override is None:
                if p is req.driver:
                    reasons.append("driver:denied")
                reasons += [r for r in refusal if r not in reasons]
        return _exit_verdict(reasons, req.override)
    hits = _hits(vehicle)
    if req.driver is not None:
        d = req.driver
        d_hits = _hits(_person_facts(tx, d.person_id))
        d_outcome, _, _ = _judge(tx, ctx, req.direction, d.answers, d_hits, d.override)
        if d_outcome != "admitted":
            hits.append(f"driver:{d_outcome}")
    return _judge(tx, ctx, req.direction, None, hits, req.override)


def register_vehicle(ctx: GateContext, guard_id: str, req: VehiclePassage) -> PassageResult:
    """Record a vehicle with its driver and passengers, all in one transaction.

    On the way out, everyone aboard who needs an exit permit must hold a valid one: a
    person without one is recorded as denied with `permit:<reason>`, and so is the
    vehicle, unless a leader overrides (the person's override, the vehicle's override).
    """
    # A Session (not write_sql): the exit-permit check reads through the ORM.
    with ctx.db.write() as s:
        tx = session_tx(s)
        _check_leader(tx, req.override)
        vehicle = passage_sql.vehicle_facts(tx, req.vehicle_id)
        if vehicle is None:
            raise NotFoundError("vehicle.not_found", id=req.vehicle_id)
        people = ([req.driver] if req.driver else []) + list(req.passengers)
        refusals = _exit_refusals(ctx, s, req.direction, people)
        outcome, reasons, overridden = _vehicle_verdict(ctx, tx, req, vehicle, refusals)
        values = _record(
            ctx,
            tx,
            guard_id,
            vehicle.present_entry_id,
            subject="vehicle",
            subject_id=vehicle.id,
            direction=req.direction,
            outcome=outcome,
            reasons=reasons,
            answers={},
            override=req.override,
            overridden=overridden,
            plate=vehicle.label,
            cargo=req.cargo,
            passengers=len(req.passengers),
        )
        results = tuple(
            _person_passage(ctx, tx, guard_id, p, values["id"], refusals.get(p.person_id))
            for p in people
        )
        return PassageResult(values["id"], outcome, tuple(reasons), overridden, results)


def person_exists(ctx: GateContext, person_id: str) -> bool:
    with ctx.db.read() as s:
        return s.get(Person, person_id) is not None
