"""Daily report arithmetic (pure): what a day's entries add up to.

Counting rules, so that totals always equal the entries they summarize:
- only the day's entries (site zone) that are not voided count at all; a void is still
  counted, as a correction;
- a passage is an admitted entry, counted once by its effective direction (amendments
  applied) at its checkpoint, as a person or a vehicle;
- denied and referred entries are attempts, not passages; their reason codes are tallied;
- a watch-list hit is an entry with at least one "watch:" reason, whatever its outcome;
- an override is an entry admitted by a leader despite a refusal;
- a day is abnormal when it has any denial, referral, override, watch-list hit or
  correction; a day that is not abnormal gets an explicit zero report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class EntryFact:
    id: str
    checkpoint_code: str
    subject: str  # person, vehicle
    direction: str  # effective: in, out
    outcome: str  # admitted, denied, referred
    reasons: tuple[str, ...]
    overridden: bool
    voided: bool
    amendments: int = 0  # amend corrections of this entry known at the close


@dataclass
class CheckpointTotals:
    people_in: int = 0
    people_out: int = 0
    vehicles_in: int = 0
    vehicles_out: int = 0

    @property
    def passages(self) -> int:
        return self.people_in + self.people_out + self.vehicles_in + self.vehicles_out


@dataclass
class DailyTotals:
    checkpoints: dict[str, CheckpointTotals] = field(default_factory=dict)
    denied: int = 0
    referred: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # of denied and referred entries
    watch_hits: int = 0
    overrides: int = 0
    amended: int = 0  # amend corrections
    voided: int = 0  # voided entries
    on_site_people: int = 0
    on_site_vehicles: int = 0

    def _sum(self, name: str) -> int:
        return sum(int(getattr(c, name)) for c in self.checkpoints.values())

    @property
    def people_in(self) -> int:
        return self._sum("people_in")

    @property
    def people_out(self) -> int:
        return self._sum("people_out")

    @property
    def vehicles_in(self) -> int:
        return self._sum("vehicles_in")

    @property
    def vehicles_out(self) -> int:
        return self._sum("vehicles_out")

    @property
    def passages(self) -> int:
        return self._sum("passages")

    @property
    def corrections(self) -> int:
        return self.amended + self.voided

    @property
    def abnormal(self) -> bool:
        return any((self.denied, self.referred, self.overrides, self.watch_hits, self.corrections))

    @property
    def zero(self) -> bool:
        """An explicit zero report: nothing abnormal happened."""
        return not self.abnormal

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready, stable keys: what the daily report record and change carry."""
        return {
            "checkpoints": {
                code: {
                    "people_in": c.people_in,
                    "people_out": c.people_out,
                    "vehicles_in": c.vehicles_in,
                    "vehicles_out": c.vehicles_out,
                }
                for code, c in sorted(self.checkpoints.items())
            },
            "passages": self.passages,
            "people_in": self.people_in,
            "people_out": self.people_out,
            "vehicles_in": self.vehicles_in,
            "vehicles_out": self.vehicles_out,
            "denied": self.denied,
            "referred": self.referred,
            "reasons": dict(sorted(self.reasons.items())),
            "watch_hits": self.watch_hits,
            "overrides": self.overrides,
            "amended": self.amended,
            "voided": self.voided,
            "on_site_people": self.on_site_people,
            "on_site_vehicles": self.on_site_vehicles,
            "abnormal": self.abnormal,
            "zero": self.zero,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> DailyTotals:
        return cls(
            checkpoints={k: CheckpointTotals(**v) for k, v in data["checkpoints"].items()},
            denied=data["denied"],
            referred=data["referred"],
            reasons=dict(data["reasons"]),
            watch_hits=data["watch_hits"],
            overrides=data["overrides"],
            amended=data["amended"],
            voided=data["voided"],
            on_site_people=data["on_site_people"],
            on_site_vehicles=data["on_site_vehicles"],
        )


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in the site's zone, as UTC instants."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def summarize(
    entries: Iterable[EntryFact], on_site: tuple[int, int] = (0, 0), checkpoints: Iterable[str] = ()
) -> DailyTotals:
    """Add up one day's entries; `checkpoints` are listed even with nothing to count."""
    totals = DailyTotals(checkpoints={code: CheckpointTotals() for code in checkpoints})
    totals.on_site_people, totals.on_site_vehicles = on_site
    reasons: Counter[str] = Counter()
    for e in entries:
        totals.amended += e.amendments
        if e.voided:
            totals.voided += 1
            continue
        if any(r.startswith("watch:") for r in e.reasons):
            totals.watch_hits += 1
        if e.overridden:
            totals.overrides += 1
        if e.outcome == "admitted":
            cp = totals.checkpoints.setdefault(e.checkpoint_code, CheckpointTotals())
            name = f"{'people' if e.subject == 'person' else 'vehicles'}_{e.direction}"
            setattr(cp, name, getattr(cp, name) + 1)
            continue
        if e.outcome == "denied":
            totals.denied += 1
        else:
            totals.referred += 1
        reasons.update(e.reasons)
    totals.reasons = dict(reasons)
    return totals
