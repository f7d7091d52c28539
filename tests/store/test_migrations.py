"""The alembic migrations are the schema: they must build exactly what the models describe."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel, create_engine

import gateui.store.models  # noqa: F401
from gateui.config import SiteConfig
from gateui.domain.change_chain import canonical_json, make_chain, verify_chain
from gateui.services import auth, chain_check, sync_io
from gateui.services.context import open_gate
from gateui.store.db import Database
from gateui.store.migrate import alembic_config, current_revision, head_revision, upgrade_to_head


def test_empty_database_upgrades_to_head_and_matches_models(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    assert current_revision(db) is None
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()
    with db.reader.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def storage_shape(path: Path) -> dict[str, tuple[bool, list[Any], list[Any]]]:
    """Per table: WITHOUT ROWID or not, its indexes (columns, unique, partial WHERE) and
    foreign keys, as SQLite reports them. Alembic's comparison sees none of these storage
    details (a partial index, WITHOUT ROWID, an unnamed UNIQUE), so they are compared here."""
    conn = sqlite3.connect(path)
    shape = {}
    try:
        for _, table, kind, _, without_rowid, _ in conn.execute("PRAGMA table_list"):
            if kind != "table" or table.startswith("sqlite_") or table == "alembic_version":
                continue
            indexes = []
            for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{table}')"):
                columns = tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{name}')"))
                where = None
                if partial:
                    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
                    where = " ".join(sql.fetchone()[0].split(" WHERE ", 1)[1].split())
                # SQLite numbers the automatic indexes of constraints: compare their content.
                indexes.append((name if origin == "c" else origin, columns, unique, where))
            keys = sorted(r[2:5] for r in conn.execute(f"PRAGMA foreign_key_list('{table}')"))
            shape[table] = (bool(without_rowid), sorted(indexes, key=str), keys)
    finally:
        conn.close()
    return shape


def test_migrations_store_tables_as_the_models_declare(tmp_path: Path) -> None:
    db = Database(tmp_path / "migrated.db")
    upgrade_to_head(db)
    db.dispose()
    engine = create_engine(f"sqlite:///{tmp_path / 'models.db'}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    migrated = storage_shape(tmp_path / "migrated.db")
    assert migrated == storage_shape(tmp_path / "models.db")
    # What revision 0003 is for: the pages a gate save writes.
    assert migrated["presence"][0] is True  # WITHOUT ROWID
    assert [i[1] for i in migrated["change_log"][1]] == [("device_id", "seq")]
    assert ("ix_entry_vehicle_at", ("vehicle_id", "at"), 0, "vehicle_id IS NOT NULL") in (
        migrated["entry"][1]
    )


def test_upgrade_is_idempotent(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    upgrade_to_head(db)
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()


def test_pragmas_are_durable(tmp_path: Path) -> None:
    db = Database(tmp_path / "gate.db")
    upgrade_to_head(db)
    with db.writer.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_file_at_0001_with_changes_gets_the_digests_the_chain_covers(tmp_path: Path) -> None:
    """Revision 0002 adds change_log.payload_sha256: filled from the payloads of the changes
    already there (nothing was purged before it), so the chain verifies by digest."""
    path = tmp_path / "gate.db"
    db = Database(path)
    cfg = alembic_config()
    with db.writer.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    assert current_revision(db) == "0001"
    device = "A1B2C3D4E5"
    payloads = [
        ("user.created", {"id": "u1", "name": "王强", "role": "guard"}),
        ("entry.recorded", {"id": f"{device}-2", "id_number": "41032319750101001X"}),
        ("login", {"user_id": "u1", "ok": True}),
    ]
    links = make_chain(device, [(kind, canonical_json(p)) for kind, p in payloads])
    at = datetime(2026, 11, 20, 1, 30)  # stored naive UTC, as UTCDateTime writes it
    with db.writer.begin() as conn:
        conn.execute(
            text("INSERT INTO device (id, created_at) VALUES (:d, :at)"), {"d": device, "at": at}
        )
        conn.execute(
            text(
                "INSERT INTO change_log (device_id, seq, kind, record_id, payload, prev_hash,"
                " hash, at) VALUES (:d, :seq, :kind, :rid, :payload, :prev, :hash, :at)"
            ),
            [
                {
                    "d": device,
                    "seq": link.seq,
                    "kind": link.kind,
                    "rid": f"{device}-{link.seq}",
                    "payload": link.payload,
                    "prev": link.prev_hash,
                    "hash": link.hash,
                    "at": at,
                }
                for link in links
            ],
        )
    upgrade_to_head(db)
    assert current_revision(db) == head_revision()
    with db.reader.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, payload, payload_sha256, purged FROM change_log ORDER BY seq")
        ).all()
    assert [(seq, bool(purged)) for seq, _, _, purged in rows] == [
        (1, False),
        (2, False),
        (3, False),
    ]
    for (_, payload, digest, _), link in zip(rows, links, strict=True):
        assert digest == hashlib.sha256(bytes(payload)).hexdigest() == link.digest().hex()
    by_digest = [
        replace(link, payload=b"", payload_sha256=row[2])
        for link, row in zip(links, rows, strict=True)
    ]
    assert verify_chain(by_digest) is None
    db.dispose()
    # The terminal opens the upgraded file as its own and goes on with the same chain.
    ctx = open_gate(path, SiteConfig(), clock=lambda: datetime(2026, 11, 21, tzinfo=UTC))
    try:
        assert ctx.device_id == device
        auth.create_user(ctx, "李娜", "leader", "L2001", "5678")
        assert chain_check.verify_local_chain(ctx) is None
        assert sync_io.sync_status(ctx).last_seq == 4
    finally:
        ctx.db.dispose()
