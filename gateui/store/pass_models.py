"""Tables of passes, exit permits and daily reports (imported by gateui.store.models).

Permits' signatures and daily reports are facts: inserted once, never updated. Pass keys
are reference data (HQ's, or the site's own issuing key); revoking one sets `revoked`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gateui.store.types import UTCDateTime


class PassKey(SQLModel, table=True):
    """An Ed25519 key passes are signed with; the private half only for a site's own key."""

    __tablename__ = "pass_key"

    key_id: str = Field(primary_key=True, max_length=8)  # domain.passes.key_id_for
    public_key: str = Field(max_length=64)  # raw 32 bytes, base64
    private_key: str | None = Field(default=None, max_length=64)  # never leaves the device
    origin: str = Field(max_length=8)  # hq, site
    label: str = ""
    revoked: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IssuedPass(SQLModel, table=True):
    """A pass this device signed: who it is for, how long, with which key."""

    __tablename__ = "issued_pass"
    __table_args__ = (Index("ix_issued_pass_ref", "ref"),)

    id: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(foreign_key="pass_key.key_id", max_length=8)
    subject: str = Field(max_length=8)  # person, vehicle
    ref_kind: str = Field(max_length=10)  # id, id_number, plate_key
    ref: str = Field(max_length=64)
    valid_from: datetime = Field(sa_type=UTCDateTime)
    valid_until: datetime = Field(sa_type=UTCDateTime)
    issued_at: datetime = Field(sa_type=UTCDateTime)


class PassRevocation(SQLModel, table=True):
    """One pass withdrawn before its end (lost, person left): the gate refuses it."""

    __tablename__ = "pass_revocation"

    pass_sha256: str = Field(primary_key=True, max_length=64)  # domain.passes digest
    reason: str = ""
    origin: str = Field(max_length=8)  # hq, site
    revoked_at: datetime = Field(sa_type=UTCDateTime)


class ExitPermit(SQLModel, table=True):
    __tablename__ = "exit_permit"
    __table_args__ = (Index("ix_exit_permit_person", "person_id", "valid_until"),)

    id: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(foreign_key="person.id")
    valid_from: datetime = Field(sa_type=UTCDateTime)
    valid_until: datetime = Field(sa_type=UTCDateTime)
    reason: str
    created_by: str = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class PermitSignature(SQLModel, table=True):
    """One of a permit's two signatures (unit, then office), with who and when."""

    __tablename__ = "permit_signature"
    __table_args__ = (
        UniqueConstraint("permit_id", "step"),
        UniqueConstraint("permit_id", "signer_id"),
    )

    id: str = Field(primary_key=True, max_length=64)
    permit_id: str = Field(foreign_key="exit_permit.id", index=True)
    step: str = Field(max_length=8)  # unit, office
    signer_id: str = Field(foreign_key="app_user.id")
    signer_name: str  # snapshot, as signed
    at: datetime = Field(sa_type=UTCDateTime)


class PermitCancellation(SQLModel, table=True):
    """A permit withdrawn before it was used or expired; the permit row itself never changes."""

    __tablename__ = "permit_cancellation"

    permit_id: str = Field(primary_key=True, foreign_key="exit_permit.id", max_length=64)
    cancelled_by: str = Field(foreign_key="app_user.id")
    reason: str
    at: datetime = Field(sa_type=UTCDateTime)


class DailyReport(SQLModel, table=True):
    """A closed day of one site as counted on this device, signed off by a leader."""

    __tablename__ = "daily_report"
    __table_args__ = (UniqueConstraint("site_code", "day", "device_id"),)

    id: str = Field(primary_key=True, max_length=64)
    site_code: str = Field(max_length=32)
    day: str = Field(max_length=10)  # YYYY-MM-DD in the site's zone
    device_id: str = Field(max_length=32)
    zero: bool  # nothing abnormal: the explicit zero report
    totals: str  # canonical JSON of domain.reports.DailyTotals.to_payload()
    roster: str | None = None  # canonical JSON of services.reports.RosterDay; None: no roster
    signed_by: str = Field(foreign_key="app_user.id")
    signed_name: str
    signed_at: datetime = Field(sa_type=UTCDateTime)


PASS_TABLES = (PassKey, IssuedPass, ExitPermit, PermitSignature, DailyReport)
