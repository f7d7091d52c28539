"""What services hand to the TUI and the CLI: plain frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PassageView:
    entry_id: str
    direction: str
    outcome: str
    at: datetime
    checkpoint_code: str


@dataclass(frozen=True)
class PersonCard:
    id: str
    kind: str
    name: str
    id_number: str | None
    phone: str | None
    unit: str | None
    responsible_name: str | None
    status: str
    status_note: str | None
    watch_reasons: tuple[str, ...]
    last_passage: PassageView | None
    card_code: str | None = None

    @property
    def needs_override(self) -> bool:
        """Status or watch-list hits cannot pass without a leader's override."""
        return self.status != "normal" or bool(self.watch_reasons)


@dataclass(frozen=True)
class PersonDetail:
    """A leader's full view of one person: the card unmasked, status since when, recent
    passages at this site (every outcome, corrections applied)."""

    card: PersonCard
    status_since: datetime | None
    recent: tuple[EntryView, ...]


@dataclass(frozen=True)
class VehicleCard:
    id: str
    plate: str
    kind: str
    unit: str | None
    driver_id: str | None
    driver_name: str | None
    status: str
    watch_reasons: tuple[str, ...]
    last_passage: PassageView | None

    @property
    def needs_override(self) -> bool:
        return self.status != "normal" or bool(self.watch_reasons)


@dataclass(frozen=True)
class Match:
    """One search result; `rank` orders results, lower first."""

    kind: str  # person, vehicle
    id: str
    label: str  # name or plate
    detail: str  # masked ID number, unit, vehicle kind
    matched_by: str  # id_number, id_suffix, name, pinyin, plate, card
    rank: int


@dataclass(frozen=True)
class EntryView:
    id: str
    at: datetime
    checkpoint_code: str
    subject: str
    name: str | None
    plate: str | None
    direction: str
    outcome: str
    reasons: tuple[str, ...]
    guard_name: str | None
    override_by_name: str | None
    voided: bool
    amended: bool
    vehicle_entry_id: str | None = None
    passengers: int = 0
    cargo: str | None = None


@dataclass(frozen=True)
class CorrectionView:
    id: str
    action: str
    changes: dict[str, str]
    reason: str
    by_name: str
    at: datetime


@dataclass(frozen=True)
class OnSiteRow:
    subject: str
    id: str
    label: str
    unit: str | None
    since: datetime
    checkpoint_code: str


@dataclass(frozen=True)
class UserView:
    id: str
    name: str
    role: str

    @property
    def is_leader(self) -> bool:
        return self.role in ("leader", "admin")
