"""Exit permits: create, sign twice (unit, then site office), check at the gate on exit.

Signers are users of this terminal (authenticated by the screen before it calls here);
each signature keeps the signer's id, name and time. Every create and every signature is
one transaction with its change ("permit.created", "permit.approved"). The rules are in
gateui.domain.permits; which people need a permit comes from the site's PermitConfig.

A leader may cancel a permit (badge + PIN checked by the caller, a reason required): a
`permit_cancellation` row and a "permit.cancelled" change; the permit row never changes
and the gate refuses a cancelled permit ("permit.cancelled").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.domain.permits import (
    ExitDecision,
    PermitConfig,
    PermitFacts,
    Signature,
    check_signer,
    check_window,
    decide_exit,
    next_step,
)
from gateui.errors import NotFoundError, PermissionDeniedError
from gateui.services import passages
from gateui.services.context import GateContext
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Person
from gateui.store.pass_models import ExitPermit, PermitCancellation, PermitSignature

LEADER_ROLES = frozenset({"leader", "admin"})


@dataclass(frozen=True)
class Cancellation:
    by_id: str
    by_name: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class PermitView:
    id: str
    person_id: str
    person_name: str
    valid_from: datetime
    valid_until: datetime
    reason: str
    created_by_name: str
    signatures: tuple[Signature, ...]
    cancelled: Cancellation | None = None

    @property
    def complete(self) -> bool:
        return len(self.signatures) == 2

    @property
    def next_step(self) -> str | None:
        return None if self.complete else next_step(self.signatures)


@dataclass(frozen=True)
class PermitCheck:
    """Whether a person may leave: `needed` False means no permit is asked of them."""

    needed: bool
    allowed: bool
    reason: str | None  # permit.none, permit.unsigned, permit.one_signature, ...
    permit: PermitView | None

    @property
    def entry_reason(self) -> str | None:
        """The reason as stored on a refused exit entry, e.g. "permit:one_signature"."""
        return f"permit:{self.reason.removeprefix('permit.')}" if self.reason else None


def site_permit_config(ctx: GateContext) -> PermitConfig:
    """The site's permit rules (the [site.permits] table of the site file)."""
    return ctx.site.permits


def _user(s: Session, user_id: str) -> AppUser:
    user = s.get(AppUser, user_id)
    if user is None or not user.active:
        raise PermissionDeniedError("permit.unknown_signer")
    return user


def _signatures(s: Session, permit_id: str) -> tuple[Signature, ...]:
    stmt = select(PermitSignature).where(PermitSignature.permit_id == permit_id)
    rows = sorted(s.exec(stmt), key=lambda r: ("unit", "office").index(r.step))
    return tuple(Signature(r.step, r.signer_id, r.signer_name, r.at) for r in rows)


def _cancellation(s: Session, permit_id: str) -> Cancellation | None:
    row = s.get(PermitCancellation, permit_id)
    if row is None:
        return None
    by = s.get(AppUser, row.cancelled_by)
    return Cancellation(row.cancelled_by, by.name if by else "?", row.reason, row.at)


def _view(s: Session, permit: ExitPermit) -> PermitView:
    person = s.get(Person, permit.person_id)
    creator = s.get(AppUser, permit.created_by)
    return PermitView(
        permit.id,
        permit.person_id,
        person.name if person else "?",
        permit.valid_from,
        permit.valid_until,
        permit.reason,
        creator.name if creator else "?",
        _signatures(s, permit.id),
        _cancellation(s, permit.id),
    )


def create_permit(
    ctx: GateContext,
    person_id: str,
    valid_from: datetime,
    valid_until: datetime,
    reason: str,
    created_by: str,
    config: PermitConfig | None = None,
) -> PermitView:
    """Ask for an exit permit; it lets nobody out until both signatures are on it."""
    check_window(valid_from, valid_until, config or site_permit_config(ctx))
    if not reason.strip():
        raise ValidationError("permit.reason_required")
    with ctx.db.write() as s:
        _user(s, created_by)
        if s.get(Person, person_id) is None:
            raise NotFoundError("person.not_found", id=person_id)
        now = ctx.now()
        permit = ExitPermit(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            person_id=person_id,
            valid_from=valid_from,
            valid_until=valid_until,
            reason=reason.strip(),
            created_by=created_by,
            created_at=now,
        )
        s.add(permit)
        s.flush()
        append_change(
            s, ctx.device_id, "permit.created", permit.id, permit.model_dump(mode="json"), now
        )
        return _view(s, permit)


def approve_permit(
    ctx: GateContext,
    permit_id: str,
    signer_id: str,
    step: str | None = None,
    config: PermitConfig | None = None,
) -> PermitView:
    """Add the next signature (or the named `step`, which must be the next one).

    Refused: a permit already complete, expired or cancelled, the same person signing twice, a step
    out of order, an office signature by a user without an office role.
    """
    cfg = config or site_permit_config(ctx)
    with ctx.db.write() as s:
        permit = s.get(ExitPermit, permit_id)
        if permit is None:
            raise NotFoundError("permit.not_found", id=permit_id)
        if s.get(PermitCancellation, permit_id) is not None:
            raise ValidationError("permit.cancelled")
        signer = _user(s, signer_id)
        signatures = _signatures(s, permit_id)
        step = step or next_step(signatures)
        check_signer(signatures, step, signer.id, signer.role, cfg)
        now = ctx.now()
        if now >= permit.valid_until:
            raise ValidationError("permit.expired")
        row = PermitSignature(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            permit_id=permit_id,
            step=step,
            signer_id=signer.id,
            signer_name=signer.name,
            at=now,
        )
        s.add(row)
        s.flush()
        append_change(s, ctx.device_id, "permit.approved", row.id, row.model_dump(mode="json"), now)
        return _view(s, permit)


def cancel_permit(ctx: GateContext, permit_id: str, leader_id: str, reason: str) -> PermitView:
    """Withdraw a permit before it is used up: the gate refuses it from now on.

    `leader_id` is a leader or admin whose badge and PIN the caller checked. Refused, with
    nothing written: an unknown permit, one already cancelled or expired, no reason, a
    user who is not an active leader.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError("permit.cancel_reason_required")
    with ctx.db.write() as s:
        permit = s.get(ExitPermit, permit_id)
        if permit is None:
            raise NotFoundError("permit.not_found", id=permit_id)
        leader = s.get(AppUser, leader_id)
        if leader is None or not leader.active or leader.role not in LEADER_ROLES:
            raise PermissionDeniedError("auth.not_leader")
        done = _cancellation(s, permit_id)
        if done is not None:
            at = done.at.astimezone(ctx.site.zone).strftime("%Y-%m-%d %H:%M")
            raise ValidationError("permit.already_cancelled", name=done.by_name, at=at)
        now = ctx.now()
        if now >= permit.valid_until:
            raise ValidationError("permit.expired")
        row = PermitCancellation(permit_id=permit_id, cancelled_by=leader.id, reason=reason, at=now)
        s.add(row)
        s.flush()
        payload = {**row.model_dump(mode="json"), "cancelled_name": leader.name}
        append_change(s, ctx.device_id, "permit.cancelled", permit_id, payload, now)
        return _view(s, permit)


def permits_of(ctx: GateContext, person_id: str) -> list[PermitView]:
    """A person's permits, newest window first."""
    with ctx.db.read() as s:
        stmt = select(ExitPermit).where(ExitPermit.person_id == person_id)
        rows = s.exec(stmt.order_by(col(ExitPermit.valid_from).desc()))
        return [_view(s, p) for p in rows]


def current_permits(ctx: GateContext) -> list[PermitView]:
    """Permits neither expired nor cancelled (waiting for a signature, or complete), oldest
    request first: what a leader may still sign or cancel."""
    with ctx.db.read() as s:
        stmt = select(ExitPermit).where(col(ExitPermit.valid_until) > ctx.now())
        views = [_view(s, p) for p in s.exec(stmt.order_by(col(ExitPermit.created_at)))]
        return [v for v in views if v.cancelled is None]


def open_permits(ctx: GateContext) -> list[PermitView]:
    """Permits still waiting for a signature, not expired nor cancelled: the signers' list."""
    return [v for v in current_permits(ctx) if not v.complete]


def _check_exit(s: Session, person_id: str, now: datetime, config: PermitConfig) -> PermitCheck:
    person = s.get(Person, person_id)
    if person is None:
        raise NotFoundError("person.not_found", id=person_id)
    if not config.requires_permit(person.kind, person.status):
        return PermitCheck(False, True, None, None)
    stmt = select(ExitPermit).where(ExitPermit.person_id == person_id)
    permits = {p.id: p for p in s.exec(stmt)}
    facts = [
        PermitFacts(
            p.id,
            p.person_id,
            p.valid_from,
            p.valid_until,
            _signatures(s, p.id),
            cancelled=s.get(PermitCancellation, p.id) is not None,
        )
        for p in permits.values()
    ]
    decision: ExitDecision = decide_exit(facts, now)
    view = _view(s, permits[decision.permit_id]) if decision.permit_id else None
    return PermitCheck(True, decision.allowed, decision.reason, view)


def check_exit_in(s: Session, person_id: str, now: datetime, config: PermitConfig) -> PermitCheck:
    """`check_exit` inside the caller's transaction (a vehicle's exit checks everyone aboard
    in the transaction that records it: services.passages.register_vehicle)."""
    return _check_exit(s, person_id, now, config)


def check_exit(
    ctx: GateContext,
    person_id: str,
    now: datetime | None = None,
    config: PermitConfig | None = None,
) -> PermitCheck:
    """May this person leave now? With the permit that decided and, if not, why not."""
    with ctx.db.read() as s:
        return _check_exit(s, person_id, now or ctx.now(), config or site_permit_config(ctx))


def register_exit(
    ctx: GateContext,
    guard_id: str,
    person_id: str,
    override: passages.Override | None = None,
    config: PermitConfig | None = None,
) -> tuple[passages.PassageResult, PermitCheck]:
    """Check the permit and record the exit in one transaction.

    Without a valid permit the exit is recorded as denied with the reason (e.g.
    "permit:one_signature"), unless a leader overrides: then it is admitted and the
    override is recorded on the entry.
    """
    cfg = config or site_permit_config(ctx)
    with ctx.db.write() as s:
        passages.check_leader(s, override)
        check = _check_exit(s, person_id, ctx.now(), cfg)
        person = s.get(Person, person_id)
        assert person is not None
        reasons = [check.entry_reason] if check.entry_reason else []
        overridden = not check.allowed and override is not None
        outcome = "admitted" if check.allowed or overridden else "denied"
        entry = passages.record_entry(
            ctx,
            s,
            guard_id,
            subject="person",
            subject_id=person.id,
            direction=Direction.OUT,
            outcome=outcome,
            reasons=reasons,
            answers={},
            override=override,
            overridden=overridden,
            name=person.name,
            id_number=person.id_number,
        )
        result = passages.PassageResult(entry.id, outcome, tuple(reasons), overridden)
        return result, check
