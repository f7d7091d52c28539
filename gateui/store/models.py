"""Tables of the gate database.

Facts (entries, corrections, logins) are append-only: services insert them and never
update or delete them. Registry rows (people, vehicles, users) are current state; each
change to them is also written to the change log, which is what sync carries.
JSON columns hold canonical JSON text (see gateui.domain.change_chain.canonical_json).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, text
from sqlmodel import Column, Field, SQLModel

from gateui.store.types import UTCDateTime


class Device(SQLModel, table=True):
    """The identity of this database's change stream (one row)."""

    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Site(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32)
    name: str
    timezone: str


class Checkpoint(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32)
    site_code: str = Field(foreign_key="site.code", index=True)
    name: str


class Person(SQLModel, table=True):
    __table_args__ = (
        Index("ix_person_id_rev", "id_rev"),
        Index("ix_person_name", "name"),
    )

    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=16)  # employee, family, contractor, visitor, driver
    name: str
    id_number: str | None = Field(default=None, unique=True, max_length=18)
    id_rev: str | None = Field(default=None, max_length=18)  # reversed: suffix search
    phone: str | None = None
    unit: str | None = None
    responsible_id: str | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="normal", max_length=16)  # normal, home_isolation, barred
    status_note: str | None = None
    status_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    card_code: str | None = Field(default=None, unique=True, max_length=64)
    origin: str = Field(default="local", max_length=16)  # local, import, hq, walk_in
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PersonKey(SQLModel, table=True):
    """Search keys of a person: pinyin-initial variants (several for polyphonic names)."""

    __table_args__ = (Index("ix_person_key_key", "key"),)

    person_id: str = Field(foreign_key="person.id", primary_key=True)
    key: str = Field(primary_key=True, max_length=32)


class Vehicle(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)
    plate: str = Field(max_length=16)  # as displayed, e.g. 豫A12345
    plate_key: str = Field(unique=True, max_length=16)  # letter + body, no province
    kind: str = Field(max_length=16)  # coal_truck, car, van, bus, trailer, other
    unit: str | None = None
    driver_id: str | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="normal", max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class WatchEntry(SQLModel, table=True):
    """A watch-list hit by ID number or plate; HQ-owned, also editable locally."""

    id: str = Field(primary_key=True, max_length=64)
    id_number: str | None = Field(default=None, index=True, max_length=18)
    plate_key: str | None = Field(default=None, index=True, max_length=16)
    reason: str
    active: bool = True
    since: datetime = Field(sa_type=UTCDateTime)


class AppUser(SQLModel, table=True):
    __tablename__ = "app_user"

    id: str = Field(primary_key=True, max_length=64)
    name: str
    role: str = Field(max_length=16)  # guard, leader, admin
    badge_code: str = Field(unique=True, max_length=64)
    pin_hash: str
    initials: str = Field(default="", max_length=32)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class LoginEvent(SQLModel, table=True):
    """Every login attempt (append-only): lockout and attendance are computed from these."""

    __tablename__ = "login_event"
    __table_args__ = (Index("ix_login_user_at", "user_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(foreign_key="app_user.id")
    ok: bool
    at: datetime = Field(sa_type=UTCDateTime)
    checkpoint_code: str | None = None


class Entry(SQLModel, table=True):
    """One passage (or refused attempt) of one person or vehicle at a checkpoint."""

    # A person's entry has no vehicle and a vehicle's no person: each of the two subject
    # indexes holds only the rows it can find, so a save writes one of them, not both
    # (`person_id = ?` implies IS NOT NULL, so lookups still use them). `ix_entry_at` serves
    # the site-wide time ranges: daily reports, exports since, privacy cut-off, recent list.
    __table_args__ = (
        Index(
            "ix_entry_person_at",
            "person_id",
            "at",
            sqlite_where=text("person_id IS NOT NULL"),
        ),
        Index(
            "ix_entry_vehicle_at",
            "vehicle_id",
            "at",
            sqlite_where=text("vehicle_id IS NOT NULL"),
        ),
        Index("ix_entry_checkpoint_at", "checkpoint_code", "at"),
        Index("ix_entry_at", "at"),
    )

    id: str = Field(primary_key=True, max_length=64)  # "<device>-<change seq>"
    device_id: str = Field(max_length=32)
    site_code: str = Field(max_length=32)
    checkpoint_code: str = Field(max_length=32)
    subject: str = Field(max_length=8)  # person, vehicle
    person_id: str | None = Field(default=None, foreign_key="person.id")
    vehicle_id: str | None = Field(default=None, foreign_key="vehicle.id")
    name: str | None = None  # snapshot at the time of passage
    id_number: str | None = None  # snapshot; purged later by privacy rules
    plate: str | None = None
    direction: str = Field(max_length=4)  # in, out
    outcome: str = Field(max_length=10)  # admitted, denied, referred
    reasons: str = "[]"  # JSON list of reason codes
    answers: str = "{}"  # JSON checklist answers
    guard_id: str = Field(foreign_key="app_user.id")
    override_by: str | None = Field(default=None, foreign_key="app_user.id")
    override_reason: str | None = None
    vehicle_entry_id: str | None = Field(default=None, foreign_key="entry.id")
    matches_entry_id: str | None = Field(default=None, foreign_key="entry.id")
    cargo: str | None = None
    passengers: int = 0
    purpose: str | None = None
    at: datetime = Field(sa_type=UTCDateTime)  # UTC


class EntryCorrection(SQLModel, table=True):
    """A leader's amendment or voiding of an entry; the entry itself never changes."""

    __tablename__ = "entry_correction"

    id: str = Field(primary_key=True, max_length=64)
    entry_id: str = Field(foreign_key="entry.id", index=True)
    action: str = Field(max_length=8)  # amend, void
    changes: str = "{}"  # JSON of amended fields
    reason: str
    by_user: str = Field(foreign_key="app_user.id")
    at: datetime = Field(sa_type=UTCDateTime)


class Presence(SQLModel, table=True):
    """Who is on site now: derived from entries in the same transaction, for speed.

    WITHOUT ROWID: the rows are small and always found by their key, so the table is its
    key's b-tree (one page written per save instead of a table page and a key index page).
    """

    __table_args__ = {"sqlite_with_rowid": False}

    subject_key: str = Field(primary_key=True, max_length=72)  # "p:<id>" / "v:<id>"
    entry_id: str = Field(foreign_key="entry.id")
    since: datetime = Field(sa_type=UTCDateTime)


class ChangeLog(SQLModel, table=True):
    """The outbox: one gap-free, hash-chained sequence per device (DESIGN invariant 3)."""

    # No unique index on (device_id, hash): the primary key already makes each sequence
    # number unique, and nothing looks a change up by its hash (migration 0003).
    __tablename__ = "change_log"

    device_id: str = Field(primary_key=True, max_length=32)
    seq: int = Field(primary_key=True)
    kind: str = Field(max_length=32)
    record_id: str = Field(max_length=64)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # sha256 of the payload as first written: the chain covers this digest, so it still
    # verifies after the privacy purge has replaced personal data in `payload`.
    payload_sha256: str = Field(max_length=64)
    purged: bool = False  # payload rewritten by the privacy purge (digest still original)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    at: datetime = Field(sa_type=UTCDateTime)  # device clock, UTC


class SyncState(SQLModel, table=True):
    """This device's link to HQ: credentials, how far HQ has acknowledged, pull cursor.

    Sync bookkeeping, not a fact: written by services.sync_io, not change-logged.
    """

    __tablename__ = "sync_state"

    device_id: str = Field(primary_key=True, max_length=32)
    hq_url: str | None = None
    token: str | None = None
    site_code: str | None = None
    acked_seq: int = 0
    pull_cursor: int = 0
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    stream_stopped: str | None = None  # why pushing stopped (HQ refused a batch)
    requested_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # "sync now"
    online: bool = False


class SiteSetting(SQLModel, table=True):
    """Site configuration HQ sent through pull (e.g. the checklist), overriding the TOML file.

    HQ-owned reference data: written by services.sync_io, not change-logged.
    """

    __tablename__ = "site_setting"

    key: str = Field(primary_key=True, max_length=32)  # e.g. "checklist"
    value: str  # canonical JSON as HQ published it
    cursor: int = 0  # HQ reference-stream cursor of the item that set it
    updated_at: datetime = Field(sa_type=UTCDateTime)


# Tables of the roster and of passes/permits/reports live in their own modules; importing
# them here puts every table on one metadata, which alembic's env.py and the tests use.
from gateui.store import pass_models, roster_models  # noqa: E402

__all__ = ["pass_models", "roster_models"]
