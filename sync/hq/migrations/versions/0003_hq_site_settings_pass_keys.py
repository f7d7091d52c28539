"""hq site settings, pass keys, pass revocations: reference data the sites pull

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 14:00:00

A site's checklist as HQ last published it, HQ's public pass keys, and passes HQ withdrew;
each change is also an hq_ref_log item (sync.hq.site_reference).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

import sync.hq.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_site_setting",
        sa.Column("site_code", AutoString(length=32), nullable=False),
        sa.Column("key", AutoString(length=32), nullable=False),
        sa.Column("value", AutoString(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_code"], ["hq_site.code"]),
        sa.PrimaryKeyConstraint("site_code", "key"),
    )
    op.create_table(
        "hq_pass_key",
        sa.Column("key_id", AutoString(length=8), nullable=False),
        sa.Column("public_key", AutoString(length=64), nullable=False),
        sa.Column("label", AutoString(), nullable=False),
        sa.Column("created_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sync.hq.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    op.create_table(
        "hq_pass_revocation",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=True),
        sa.Column("pass_sha256", AutoString(length=64), nullable=False),
        sa.Column("reason", AutoString(), nullable=False),
        sa.Column("revoked_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["site_code"], ["hq_site.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hq_pass_revocation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hq_pass_revocation_pass_sha256"), ["pass_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hq_pass_revocation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hq_pass_revocation_pass_sha256"))
    op.drop_table("hq_pass_revocation")
    op.drop_table("hq_pass_key")
    op.drop_table("hq_site_setting")
