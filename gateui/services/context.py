"""The gate's service context: one database, one site, one device, one clock."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from gateui.config import SiteConfig
from gateui.domain.checklist import ChecklistItem, checklist_from_config, default_checklist
from gateui.domain.errors import ValidationError
from gateui.errors import ConfigError
from gateui.store.db import Database
from gateui.store.migrate import upgrade_to_head
from gateui.store.models import Checkpoint, Device, Site

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
    checklist: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    def now(self) -> datetime:
        return self.clock()


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
        checklist=checklist,
    )
