"""Exit permits with two signatures in a fixed order (pure rules, no I/O).

Who needs a permit to leave is configured (`PermitConfig`: person statuses and kinds). A
permit names a person and a window [valid_from, valid_until); it is complete when it carries
the signature of the person's unit ("unit", their responsible person) and then of the site
office ("office"), by two different people. At the gate, the best of the person's permits
decides: a complete permit valid now lets them out; otherwise the most useful reason is
given (a complete permit that starts later beats one waiting for a signature, which beats
a cancelled one, which beats an expired one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field

from gateui.domain.errors import ValidationError

STEPS: tuple[str, ...] = ("unit", "office")

# Reasons a permit check refuses an exit, best first (see PermitFacts.refusal).
REFUSALS: tuple[str, ...] = (
    "permit.not_yet_valid",
    "permit.one_signature",
    "permit.unsigned",
    "permit.cancelled",
    "permit.expired",
    "permit.none",
)


class PermitConfig(BaseModel):
    """Which people need a permit to leave; e.g. staff during a lockdown."""

    statuses: frozenset[str] = Field(default_factory=frozenset)
    """Person statuses that need a permit (e.g. "lockdown", "home_isolation")."""
    kinds: frozenset[str] = Field(default_factory=frozenset)
    """Person kinds that always need one (e.g. "employee" while the site is closed)."""
    office_roles: frozenset[str] = frozenset({"leader", "admin"})
    """Roles of the users who may sign for the site office (the second signature)."""
    max_days: int = Field(default=31, ge=1)
    """Longest window a permit may cover."""

    def requires_permit(self, kind: str, status: str) -> bool:
        return status in self.statuses or kind in self.kinds


@dataclass(frozen=True)
class Signature:
    step: str  # unit, office
    signer_id: str
    signer_name: str
    at: datetime


@dataclass(frozen=True)
class PermitFacts:
    id: str
    person_id: str
    valid_from: datetime
    valid_until: datetime
    signatures: tuple[Signature, ...]  # in signing order
    cancelled: bool = False  # withdrawn by a leader: never valid again

    @property
    def complete(self) -> bool:
        return len(self.signatures) == len(STEPS)

    def refusal(self, now: datetime) -> str | None:
        """Why this permit does not let the person out at `now`; None when it does."""
        if now >= self.valid_until:
            return "permit.expired"
        if self.cancelled:
            return "permit.cancelled"
        if not self.signatures:
            return "permit.unsigned"
        if not self.complete:
            return "permit.one_signature"
        if now < self.valid_from:
            return "permit.not_yet_valid"
        return None


@dataclass(frozen=True)
class ExitDecision:
    allowed: bool
    reason: str | None  # one of REFUSALS when refused
    permit_id: str | None  # the permit that decided, if any


def check_window(valid_from: datetime, valid_until: datetime, config: PermitConfig) -> None:
    if valid_until <= valid_from:
        raise ValidationError("permit.bad_window")
    if (valid_until - valid_from).days >= config.max_days:
        raise ValidationError("permit.window_too_long", days=config.max_days)


def next_step(signatures: Sequence[Signature]) -> str:
    """The step the next signature is for; ValidationError when the permit is complete."""
    if len(signatures) >= len(STEPS):
        raise ValidationError("permit.already_complete")
    return STEPS[len(signatures)]


def check_signer(
    signatures: Sequence[Signature],
    step: str,
    signer_id: str,
    signer_role: str,
    config: PermitConfig,
) -> None:
    """Refuse a signature out of order, a second one by the same person, or a wrong role."""
    expected = next_step(signatures)
    if step != expected:
        raise ValidationError("permit.wrong_step", expected=expected, step=step)
    if any(s.signer_id == signer_id for s in signatures):
        raise ValidationError("permit.same_signer")
    if step == "office" and signer_role not in config.office_roles:
        raise ValidationError("permit.not_office")


def decide_exit(permits: Iterable[PermitFacts], now: datetime) -> ExitDecision:
    """The best of a person's permits at `now`."""
    best: tuple[int, PermitFacts] | None = None
    for permit in permits:
        reason = permit.refusal(now)
        if reason is None:
            return ExitDecision(True, None, permit.id)
        rank = REFUSALS.index(reason)
        if best is None or rank < best[0]:
            best = (rank, permit)
    if best is None:
        return ExitDecision(False, "permit.none", None)
    return ExitDecision(False, REFUSALS[best[0]], best[1].id)
