"""fewer pages written per gate save

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 15:30:00.000000

Every page a save touches is one more WAL frame written and synced by its COMMIT, the bulk
of the save's cost (scripts/bench_gate.py). Nothing here changes what is stored:

- `ix_entry_person_at` / `ix_entry_vehicle_at` become partial (`... IS NOT NULL`): a
  person's entry has no vehicle id and a vehicle's no person id, and the NULL keys were a
  page written per save that no query reads. Every lookup says `person_id = ?` (or
  `vehicle_id = ?`), which implies IS NOT NULL, so SQLite still uses them (and for the
  foreign-key scan when a person or vehicle row is deleted).
- `change_log` loses UNIQUE(device_id, hash): the primary key (device_id, seq) already
  makes each change unique and the chain linear; no query looks a change up by its hash
  (sync, chain_check and HQ read by sequence), and two changes of one device with the same
  hash would need a SHA-256 collision. Its index was one more page per change.
- `presence` becomes WITHOUT ROWID: small rows always found by their key; the table is then
  its key's b-tree, one page per update instead of a table page and a key index page.

`ix_entry_at` stays: daily reports, exports --since, the privacy cut-off and the recent
entries list read entries by time across checkpoints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Names the unnamed UNIQUE(device_id, hash) of revision 0001 so batch mode can drop it.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s"}


def _subject_indexes(partial: bool) -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        for column, name in (
            ("person_id", "ix_entry_person_at"),
            ("vehicle_id", "ix_entry_vehicle_at"),
        ):
            batch_op.drop_index(name)
            where = {"sqlite_where": sa.text(f"{column} IS NOT NULL")} if partial else {}
            batch_op.create_index(name, [column, "at"], unique=False, **where)


def upgrade() -> None:
    _subject_indexes(partial=True)
    with op.batch_alter_table("change_log", schema=None, naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint("uq_change_log_device_id_hash", type_="unique")
    # A table rebuild (copy, drop, rename) to change how the table is stored; nothing
    # refers to presence, so the foreign keys left on for the migration are not disturbed.
    with op.batch_alter_table(
        "presence",
        schema=None,
        recreate="always",
        table_kwargs={"sqlite_with_rowid": False},
    ):
        pass


def downgrade() -> None:
    # Reflection keeps WITHOUT ROWID unless told otherwise.
    with op.batch_alter_table(
        "presence", schema=None, recreate="always", table_kwargs={"sqlite_with_rowid": True}
    ):
        pass
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        # Named this time (batch mode needs a name); it is dropped by this name too.
        batch_op.create_unique_constraint("uq_change_log_device_id_hash", ["device_id", "hash"])
    _subject_indexes(partial=False)
