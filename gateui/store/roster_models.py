"""Tables of the duty roster: its events, and the handovers between shifts.

The roster itself is not stored: it is the fold of `roster_event` rows (gateui.domain.
roster.fold), so events from other terminals of the site merge by being inserted, and a
row is never updated or deleted. Unavailability (leave, sickness) is events too.
A handover is written by the outgoing guard and acknowledged once by the incoming one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateui.store.types import UTCDateTime


class RosterEventRow(SQLModel, table=True):
    """One roster event, local or received; the payload is what the change log carried."""

    __tablename__ = "roster_event"
    __table_args__ = (
        Index("ix_roster_event_day", "day", "checkpoint_code"),
        Index("ix_roster_event_hlc", "hlc_ms", "hlc_counter"),
        Index("ix_roster_event_guard", "guard_id"),
    )

    id: str = Field(primary_key=True, max_length=64)  # "<device>-<change seq>"
    site_code: str = Field(max_length=32)
    device_id: str = Field(max_length=32)  # the device that made it
    kind: str = Field(max_length=24)  # assign, unassign, lock, unlock, resolve, unavailable_*
    hlc_ms: int
    hlc_counter: int
    hlc_node: str = Field(max_length=32)
    day: date | None = None  # cell events: local date on which the shift starts
    shift: str | None = Field(default=None, max_length=16)
    checkpoint_code: str | None = Field(default=None, max_length=32)
    guard_id: str | None = Field(default=None, max_length=64)  # no FK: may come from afar
    unavailability_id: str | None = Field(default=None, max_length=64)
    starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    author_id: str | None = Field(default=None, max_length=64)
    payload: str  # canonical JSON of the whole event (RosterEvent.to_payload + site, at)
    recorded_at: datetime = Field(sa_type=UTCDateTime)  # the making device's clock
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # remote only


class Handover(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("day", "shift", "checkpoint_code", name="uq_handover_cell"),)

    id: str = Field(primary_key=True, max_length=64)  # "<device>-<change seq>"
    device_id: str = Field(max_length=32)
    day: date
    shift: str = Field(max_length=16)
    checkpoint_code: str = Field(max_length=32)
    outgoing_guard_id: str = Field(foreign_key="app_user.id")
    note: str
    summary: str = "{}"  # JSON of the shift summary the outgoing guard saw
    written_at: datetime = Field(sa_type=UTCDateTime)
    incoming_guard_id: str | None = Field(default=None, foreign_key="app_user.id")
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


ROSTER_TABLES = tuple(SQLModel.metadata.tables[name] for name in ("roster_event", "handover"))
"""For tests that create the tables before the migration includes them."""
