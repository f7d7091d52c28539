"""hq initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 09:08:09.506326
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

import sync.hq.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "hq_correction",
        sa.Column("device_id", AutoString(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("entry_id", AutoString(), nullable=False),
        sa.Column("action", AutoString(), nullable=False),
        sa.Column("changes", AutoString(), nullable=False),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("by_user", AutoString(), nullable=False),
        sa.Column("at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    with op.batch_alter_table("hq_correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_correction_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "hq_entry",
        sa.Column("device_id", AutoString(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=False),
        sa.Column("checkpoint_code", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("person_id", AutoString(), nullable=True),
        sa.Column("vehicle_id", AutoString(), nullable=True),
        sa.Column("name", AutoString(), nullable=True),
        sa.Column("id_number", AutoString(), nullable=True),
        sa.Column("plate", AutoString(), nullable=True),
        sa.Column("direction", AutoString(), nullable=False),
        sa.Column("outcome", AutoString(), nullable=False),
        sa.Column("reasons", AutoString(), nullable=False),
        sa.Column("guard_id", AutoString(), nullable=False),
        sa.Column("override_by", AutoString(), nullable=True),
        sa.Column("vehicle_entry_id", AutoString(), nullable=True),
        sa.Column("at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    with op.batch_alter_table("hq_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_entry_id"), ["id"], unique=False)
        batch_op.create_index("ix_hq_entry_id_number", ["id_number"], unique=False)
        batch_op.create_index("ix_hq_entry_site_at", ["site_code", "at"], unique=False)

    op.create_table(
        "hq_person",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("id_number", AutoString(length=18), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("kind", AutoString(length=16), nullable=False),
        sa.Column("phone", AutoString(), nullable=True),
        sa.Column("unit", AutoString(), nullable=True),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("status_note", AutoString(), nullable=True),
        sa.Column("card_code", AutoString(), nullable=True),
        sa.Column("updated_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id_number"),
    )
    op.create_table(
        "hq_site",
        sa.Column("code", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("created_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "hq_vehicle",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("plate_key", AutoString(length=16), nullable=False),
        sa.Column("plate", AutoString(length=16), nullable=False),
        sa.Column("kind", AutoString(length=16), nullable=False),
        sa.Column("unit", AutoString(), nullable=True),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("updated_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plate_key"),
    )
    op.create_table(
        "hq_device",
        sa.Column("id", AutoString(length=32), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("token_hash", AutoString(length=64), nullable=False),
        sa.Column("enrolled_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sync.hq.models.UTCDateTime(), nullable=True),
        sa.Column("acked_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", AutoString(length=64), nullable=False),
        sa.Column("last_seen_at", sync.hq.models.UTCDateTime(), nullable=True),
        sa.Column("clock_skew_seconds", sa.Float(), nullable=True),
        sa.Column("pending_reported", sa.BigInteger(), nullable=True),
        sa.Column("last_problem", AutoString(), nullable=True),
        sa.Column("last_problem_at", sync.hq.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_code"],
            ["hq_site.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hq_device", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_device_site_code"), ["site_code"], unique=False)

    op.create_table(
        "hq_enroll_code",
        sa.Column("code_hash", AutoString(length=64), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=False),
        sa.Column("created_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("used_at", sync.hq.models.UTCDateTime(), nullable=True),
        sa.Column("used_by", AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_code"],
            ["hq_site.code"],
        ),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_table(
        "hq_ref_log",
        sa.Column("cursor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=True),
        sa.Column("kind", AutoString(length=32), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"],
            ["hq_site.code"],
        ),
        sa.PrimaryKeyConstraint("cursor"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "hq_watch",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=True),
        sa.Column("id_number", AutoString(length=18), nullable=True),
        sa.Column("plate_key", AutoString(length=16), nullable=True),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("since", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_code"],
            ["hq_site.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hq_watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_watch_id_number"), ["id_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_hq_watch_plate_key"), ["plate_key"], unique=False)

    op.create_table(
        "hq_change",
        sa.Column("device_id", AutoString(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", AutoString(length=64), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("hash", AutoString(length=64), nullable=False),
        sa.Column("received_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("projection_error", AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["hq_device.id"],
        ),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    op.create_table(
        "hq_conflict",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", AutoString(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("stored_hash", AutoString(length=64), nullable=False),
        sa.Column("received_hash", AutoString(length=64), nullable=False),
        sa.Column("detected_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["hq_device.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("device_id", "seq", "received_hash"),
    )
    with op.batch_alter_table("hq_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hq_conflict_device_id"), ["device_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("hq_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_conflict_device_id"))

    op.drop_table("hq_conflict")
    op.drop_table("hq_change")
    with op.batch_alter_table("hq_watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_watch_plate_key"))
        batch_op.drop_index(batch_op.f("ix_hq_watch_id_number"))

    op.drop_table("hq_watch")
    op.drop_table("hq_ref_log")
    op.drop_table("hq_enroll_code")
    with op.batch_alter_table("hq_device", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_device_site_code"))

    op.drop_table("hq_device")
    op.drop_table("hq_vehicle")
    op.drop_table("hq_site")
    op.drop_table("hq_person")
    with op.batch_alter_table("hq_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_hq_entry_site_at")
        batch_op.drop_index("ix_hq_entry_id_number")
        batch_op.drop_index(batch_op.f("ix_hq_entry_id"))

    op.drop_table("hq_entry")
    with op.batch_alter_table("hq_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_correction_entry_id"))

    op.drop_table("hq_correction")
