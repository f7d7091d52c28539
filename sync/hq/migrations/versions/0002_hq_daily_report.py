"""hq daily report: the projection of report.daily

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

import sync.hq.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_daily_report",
        sa.Column("device_id", AutoString(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", AutoString(), nullable=False),
        sa.Column("site_code", AutoString(length=32), nullable=False),
        sa.Column("day", AutoString(length=10), nullable=False),
        sa.Column("zero", sa.Boolean(), nullable=False),
        sa.Column("passages", sa.Integer(), nullable=False),
        sa.Column("denied", sa.Integer(), nullable=False),
        sa.Column("referred", sa.Integer(), nullable=False),
        sa.Column("watch_hits", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.Integer(), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("on_site_people", sa.Integer(), nullable=False),
        sa.Column("on_site_vehicles", sa.Integer(), nullable=False),
        sa.Column("totals", AutoString(), nullable=False),
        sa.Column("signed_by", AutoString(), nullable=False),
        sa.Column("signed_name", AutoString(), nullable=False),
        sa.Column("signed_at", sync.hq.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    with op.batch_alter_table("hq_daily_report", schema=None) as batch_op:
        batch_op.create_index("ix_hq_daily_report_site_day", ["site_code", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hq_daily_report", schema=None) as batch_op:
        batch_op.drop_index("ix_hq_daily_report_site_day")
    op.drop_table("hq_daily_report")
