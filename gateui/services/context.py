"""The gate's service context: one database, one site, one device, one clock.

The checklist is the site file's until HQ publishes one for the site (pulled into table
site_setting by services.sync_reference): from then on HQ's. The context is built once per
process, but the sync daemon that applies the pull is another process, so `checklist`
looks at the stored row on every use: one primary-key read (~0.2 ms) tells whether the
item that set it moved, and the checklist is parsed again only then. The next entry judged
after a pull commits uses the new checklist, with no restart.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, select

from gateui.config import SiteConfig
from gateui.domain.checklist import ChecklistItem, checklist_from_config, default_checklist
from gateui.domain.errors import ValidationError
from gateui.errors import ConfigError
from gateui.store.db import Database, storage_error
from gateui.store.migrate import upgrade_to_head
from gateui.store.models import Checkpoint, Device, Site, SiteSetting

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class GateContext:
    """What every service function needs; built once by `open_gate` and injected."""

    db: Database
    site: SiteConfig
    device_id: str
    checkpoint_code: str
    clock: Clock = utc_now
    file_checklist: tuple[ChecklistItem, ...] = field(default_factory=tuple)
    # (cursor of the pulled checklist, its items); cursor 0: none pulled, the file's.
    _pulled: tuple[int, tuple[ChecklistItem, ...]] | None = field(
        default=None, repr=False, compare=False
    )

    def now(self) -> datetime:
        return self.clock()

    @property
    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The checklist in force: HQ's latest pulled one, else the site file's."""
        return current_checklist(self)


def _ensure_device(session: Session, now: datetime) -> str:
    device = session.exec(select(Device)).first()
    if device is None:
        # 10 random hex digits: short on the wire, unique enough across all sites.
        device = Device(id=secrets.token_hex(5).upper(), created_at=now)
        session.add(device)
    return device.id


def _ensure_site_rows(session: Session, site: SiteConfig) -> None:
    row = session.get(Site, site.code)
    if row is None:
        session.add(Site(code=site.code, name=site.name, timezone=site.timezone))
    else:
        row.name, row.timezone = site.name, site.timezone
    for cp in site.checkpoints:
        existing = session.get(Checkpoint, cp.code)
        if existing is None:
            session.add(Checkpoint(code=cp.code, site_code=site.code, name=cp.name))
        else:
            existing.name = cp.name


def load_checklist(site: SiteConfig) -> tuple[ChecklistItem, ...]:
    if site.checklist is None:
        return tuple(default_checklist())
    try:
        return tuple(checklist_from_config(site.checklist))
    except ValidationError as exc:
        raise ConfigError("config.bad_checklist", detail=str(exc)) from exc


CHECKLIST_SETTING = "checklist"
_CHECKLIST_SQL = f"SELECT cursor, value FROM {SiteSetting.__tablename__} WHERE key = ?"


def current_checklist(ctx: GateContext) -> tuple[ChecklistItem, ...]:
    """HQ's pulled checklist if there is one, else the site file's (see the module doc)."""
    cached = ctx._pulled
    try:
        with ctx.db.reader.connect() as conn:
            # Plain SQL: the ORM-built statement cost four times as much on every use.
            row = conn.exec_driver_sql(_CHECKLIST_SQL, (CHECKLIST_SETTING,)).first()
    except (OperationalError, DBAPIError) as exc:
        if cached is not None:
            # A read that failed just now: keep judging with the checklist last read (the
            # save that follows reports a real storage fault) rather than failing to draw.
            return cached[1]
        raise storage_error(exc) from exc
    return checklist_of_row(ctx, None if row is None else (row[0], row[1]))


def checklist_of_row(ctx: GateContext, row: tuple[Any, Any] | None) -> tuple[ChecklistItem, ...]:
    """The checklist a stored (cursor, value) row of `_CHECKLIST_SQL` stands for (None: no
    row). For a caller that read the row in its own transaction: the gate's save path
    folds it into its write transaction (services.passages) instead of a reader round trip."""
    cached = ctx._pulled
    cursor = int(row[0]) if row is not None else 0
    if cached is not None and cached[0] == cursor:
        return cached[1]
    items = ctx.file_checklist
    if row is not None:
        try:
            items = checklist_from_config(json.loads(row[1]))
        except (ValueError, TypeError):
            # Checked before it was stored; should it be unreadable all the same, the site
            # file's checklist still judges - never no checklist at all.
            items = ctx.file_checklist
    ctx._pulled = (cursor, items)
    return items


def open_gate(
    db_path: Path,
    site: SiteConfig,
    checkpoint_code: str | None = None,
    clock: Clock = utc_now,
) -> GateContext:
    """Open (creating or upgrading) the gate database and describe this terminal."""
    checkpoint = site.checkpoint(checkpoint_code)
    checklist = load_checklist(site)
    db = Database(db_path)
    upgrade_to_head(db)
    with db.write() as session:
        device_id = _ensure_device(session, clock())
        # Site and checkpoint rows mirror the config file (local reference data, not facts).
        _ensure_site_rows(session, site)
    return GateContext(
        db=db,
        site=site,
        device_id=device_id,
        checkpoint_code=checkpoint.code,
        clock=clock,
        file_checklist=checklist,
    )
