"""HQ's tables (on their own metadata, apart from the terminal's) and the shapes it returns.

- hq_site, hq_device, hq_enroll_code: who may push, and how far each stream is complete.
- hq_change: every change of every device, raw, idempotent by (device_id, seq).
- hq_entry, hq_correction, hq_daily_report: typed projections of known kinds, written in the same
  transaction as the raw change (unknown kinds are stored raw only); keyed by the change's
  (device_id, seq). No foreign key to hq_change: the ingest writes both together, and the
  per-row check would cost a third of the projection's insert time on PostgreSQL.
- hq_conflict: refused "same sequence, different content" batches, for `hq devices`/verify.
- hq_person, hq_vehicle, hq_watch, hq_site_setting (a site's checklist), hq_pass_key,
  hq_pass_revocation: reference data owned by HQ; every change to them is also an
  hq_ref_log item, the stream that `pull` pages through by cursor. Roster events pushed by
  one terminal are relayed into hq_ref_log for the other terminals of its site (relay.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import (
    BigInteger,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import registry
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Column, Field, SQLModel

from gateui.domain.change_chain import GENESIS_HASH

# A 64-bit integer that is still SQLite's INTEGER PRIMARY KEY (the rowid) for autoincrement.
BigInt = BigInteger().with_variant(Integer(), "sqlite")


_NO_AUTOINCREMENT = {"autoincrement": False}  # a device's sequence, never generated here


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC on both databases; refused naive on the way in, aware on the way out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class HQBase(SQLModel, registry=registry()):
    """Base of HQ's tables: a metadata of their own, never mixed with the terminal's."""


def table_of(model: type[HQBase]) -> Table:
    """The Core table of a model (for bulk inserts)."""
    return HQBase.metadata.tables[str(model.__tablename__)]


class HQSite(HQBase, table=True):
    __tablename__ = "hq_site"

    code: str = Field(primary_key=True, max_length=32)
    name: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)


class HQDevice(HQBase, table=True):
    __tablename__ = "hq_device"

    id: str = Field(primary_key=True, max_length=32)
    site_code: str = Field(foreign_key="hq_site.code", index=True, max_length=32)
    name: str = ""
    token_hash: str = Field(max_length=64)  # protocol.token_key(token): SHA-256 hex
    enrolled_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acked_seq: int = Field(default=0, sa_type=BigInteger)  # complete through this sequence
    last_hash: str = Field(default=GENESIS_HASH, max_length=64)  # hash of change acked_seq
    last_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    clock_skew_seconds: float | None = None  # HQ receive time - device time, last push
    pending_reported: int | None = Field(default=None, sa_type=BigInteger)
    last_problem: str | None = None  # the last refusal, e.g. "gap: expected 41"
    last_problem_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HQEnrollCode(HQBase, table=True):
    __tablename__ = "hq_enroll_code"

    code_hash: str = Field(primary_key=True, max_length=64)
    site_code: str = Field(foreign_key="hq_site.code", max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by: str | None = Field(default=None, max_length=32)


class HQChange(HQBase, table=True):
    __tablename__ = "hq_change"

    device_id: str = Field(foreign_key="hq_device.id", primary_key=True, max_length=32)
    seq: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs=_NO_AUTOINCREMENT)
    kind: str = Field(max_length=64)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    hash: str = Field(max_length=64)
    received_at: datetime = Field(sa_type=UTCDateTime)
    projection_error: str | None = None  # a known kind whose payload could not be projected


class HQEntry(HQBase, table=True):
    """Projection of `entry.recorded` (protocol.EntryPayload)."""

    __tablename__ = "hq_entry"
    __table_args__ = (
        Index("ix_hq_entry_site_at", "site_code", "at"),
        Index("ix_hq_entry_id_number", "id_number"),
    )

    device_id: str = Field(primary_key=True, max_length=32)
    seq: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs=_NO_AUTOINCREMENT)
    id: str = Field(index=True)
    site_code: str = Field(max_length=32)
    checkpoint_code: str
    subject: str
    person_id: str | None = None
    vehicle_id: str | None = None
    name: str | None = None
    id_number: str | None = None
    plate: str | None = None
    direction: str
    outcome: str
    reasons: str = "[]"
    guard_id: str
    override_by: str | None = None
    vehicle_entry_id: str | None = None
    at: datetime = Field(sa_type=UTCDateTime)  # device clock


class HQCorrection(HQBase, table=True):
    """Projection of `entry.amended` / `entry.voided` (protocol.CorrectionPayload)."""

    __tablename__ = "hq_correction"

    device_id: str = Field(primary_key=True, max_length=32)
    seq: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs=_NO_AUTOINCREMENT)
    id: str
    entry_id: str = Field(index=True)
    action: str
    changes: str = "{}"
    reason: str
    by_user: str
    at: datetime = Field(sa_type=UTCDateTime)


class HQDailyReport(HQBase, table=True):
    """Projection of `report.daily` (protocol.DailyReportPayload): a site's day as closed and
    signed off on one device. A site with several devices may send several reports a day;
    the site is under the device's enrolled site, whatever the payload says."""

    __tablename__ = "hq_daily_report"
    __table_args__ = (Index("ix_hq_daily_report_site_day", "site_code", "day"),)

    device_id: str = Field(primary_key=True, max_length=32)
    seq: int = Field(primary_key=True, sa_type=BigInteger, sa_column_kwargs=_NO_AUTOINCREMENT)
    id: str
    site_code: str = Field(max_length=32)
    day: str = Field(max_length=10)  # YYYY-MM-DD in the site's zone
    zero: bool
    passages: int
    denied: int
    referred: int
    watch_hits: int
    overrides: int
    corrections: int
    on_site_people: int
    on_site_vehicles: int
    totals: str  # the totals as received, canonical JSON
    signed_by: str
    signed_name: str
    signed_at: datetime = Field(sa_type=UTCDateTime)  # device clock


class HQConflict(HQBase, table=True):
    __tablename__ = "hq_conflict"
    __table_args__ = (UniqueConstraint("device_id", "seq", "received_hash"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    device_id: str = Field(foreign_key="hq_device.id", index=True, max_length=32)
    seq: int = Field(sa_type=BigInteger)
    stored_hash: str = Field(max_length=64)
    received_hash: str = Field(max_length=64)
    detected_at: datetime = Field(sa_type=UTCDateTime)


class HQPerson(HQBase, table=True):
    __tablename__ = "hq_person"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    id_number: str = Field(unique=True, max_length=18)
    name: str
    kind: str = Field(default="employee", max_length=16)
    phone: str | None = None
    unit: str | None = None
    status: str = Field(default="normal", max_length=16)
    status_note: str | None = None
    card_code: str | None = None
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HQVehicle(HQBase, table=True):
    __tablename__ = "hq_vehicle"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    plate_key: str = Field(unique=True, max_length=16)
    plate: str = Field(max_length=16)
    kind: str = Field(default="other", max_length=16)
    unit: str | None = None
    status: str = Field(default="normal", max_length=16)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HQWatch(HQBase, table=True):
    __tablename__ = "hq_watch"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    site_code: str | None = Field(default=None, foreign_key="hq_site.code", max_length=32)
    id_number: str | None = Field(default=None, index=True, max_length=18)
    plate_key: str | None = Field(default=None, index=True, max_length=16)
    reason: str
    active: bool = True
    since: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HQRefLog(HQBase, table=True):
    """The reference stream: one row per published change, read by `pull` in cursor order."""

    __tablename__ = "hq_ref_log"
    __table_args__ = {"sqlite_autoincrement": True}  # never reuse a cursor

    cursor: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    site_code: str | None = Field(default=None, foreign_key="hq_site.code", max_length=32)
    kind: str = Field(max_length=32)
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)


class HQSiteSetting(HQBase, table=True):
    """A site's setting as HQ last published it (the checklist): what `pull` carried."""

    __tablename__ = "hq_site_setting"

    site_code: str = Field(foreign_key="hq_site.code", primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=32)  # "checklist"
    value: str  # canonical JSON as published; "null": back to the site file's
    cursor: int = Field(sa_type=BigInteger)  # the hq_ref_log item that carried it
    updated_at: datetime = Field(sa_type=UTCDateTime)


class HQPassKey(HQBase, table=True):
    """A public key of HQ's that signs passes (the private half is never here)."""

    __tablename__ = "hq_pass_key"

    key_id: str = Field(primary_key=True, max_length=8)  # gateui.domain.passes.key_id_for
    public_key: str = Field(max_length=64)  # raw 32 bytes, base64
    label: str = ""
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class HQPassRevocation(HQBase, table=True):
    """One pass withdrawn by HQ for one site or (site_code None) for all."""

    __tablename__ = "hq_pass_revocation"

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInt)
    site_code: str | None = Field(default=None, foreign_key="hq_site.code", max_length=32)
    pass_sha256: str = Field(index=True, max_length=64)
    reason: str
    revoked_at: datetime = Field(sa_type=UTCDateTime)
    cursor: int = Field(sa_type=BigInteger)


# --- shapes returned by the API and the admin functions --------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class DeviceStatus(_Out):
    """What HQ can state about one device's stream."""

    device: str
    site: str
    name: str
    complete_through: int
    last_seen_at: datetime | None
    pending_reported: int | None
    clock_skew_seconds: float | None
    enrolled_at: datetime
    revoked_at: datetime | None
    conflicts: int
    last_problem: str | None


class EnrollCode(_Out):
    """A new one-time enrollment code: give `code` (or the QR of `qr_text`) to the site."""

    code: str
    site: str
    expires_at: datetime
    qr_text: str


class RowProblem(_Out):
    """One refused row of an import: the line, the field and a domain message code."""

    line: int
    field: str
    code: str
    params: dict[str, Any] = {}


class ImportResult(_Out):
    created: int
    updated: int
    unchanged: int
    problems: tuple[RowProblem, ...]
