"""Daily reports at HQ: for one day, every site with its report, its zero report, or none.

The rules (also in ARCHITECTURE.md):
- A site is *expected* to report a day when it has at least one enrolled, non-revoked
  device that was enrolled on or before that day (UTC date): a site with no working
  terminal cannot report, and a terminal enrolled later owes nothing for earlier days.
- A site's devices may each close the day (a site with two gates has two terminals). The
  site counts as reported when a signed report of that day from *any* of its devices has
  reached HQ (a stored `report.daily` change, projected into hq_daily_report).
- Its status is then "report" when any received report is abnormal (denials, referrals,
  overrides, watch-list hits, corrections), else "zero" (the explicit zero report).
- Without a report it is "missing" when expected, "inactive" otherwise.
Each device's completeness comes with it: complete through N, last seen, the pending count
it reported at its last push, and the time since it was last seen (its lag).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlmodel import col

from sync.hq.db import HQDatabase
from sync.hq.models import HQDailyReport, HQDevice, HQSite

Status = Literal["report", "zero", "missing", "inactive"]
STATUSES: tuple[Status, ...] = ("report", "zero", "missing", "inactive")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReportLine(_Out):
    """One device's signed report of the day."""

    device: str
    report_id: str
    zero: bool
    passages: int
    denied: int
    referred: int
    watch_hits: int
    overrides: int
    corrections: int
    on_site_people: int
    on_site_vehicles: int
    signed_name: str
    signed_at: datetime


class DeviceDay(_Out):
    """One device of a site: how complete its stream is, and whether it reported the day."""

    device: str
    name: str
    complete_through: int
    last_seen_at: datetime | None
    pending_reported: int | None
    lag_seconds: float | None  # time since last seen; None: never seen
    revoked: bool
    reported: bool


class SiteDay(_Out):
    site: str
    name: str
    day: date
    status: Status
    expected: bool
    reports: tuple[ReportLine, ...]
    devices: tuple[DeviceDay, ...]


def _line(r: HQDailyReport) -> ReportLine:
    return ReportLine(
        device=r.device_id,
        report_id=r.id,
        zero=r.zero,
        passages=r.passages,
        denied=r.denied,
        referred=r.referred,
        watch_hits=r.watch_hits,
        overrides=r.overrides,
        corrections=r.corrections,
        on_site_people=r.on_site_people,
        on_site_vehicles=r.on_site_vehicles,
        signed_name=r.signed_name,
        signed_at=r.signed_at,
    )


def _status(reports: list[ReportLine], expected: bool) -> Status:
    if reports:
        return "zero" if all(r.zero for r in reports) else "report"
    return "missing" if expected else "inactive"


def site_days(db: HQDatabase, day: date, now: datetime | None = None) -> list[SiteDay]:
    """Every site HQ knows, with its reports of `day` and its devices, by site code."""
    now = now or datetime.now(UTC)
    end_of_day = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    with db.read() as s:
        sites = s.execute(select(HQSite).order_by(col(HQSite.code))).scalars().all()
        devices = s.execute(select(HQDevice).order_by(col(HQDevice.id))).scalars().all()
        rows = (
            s.execute(
                select(HQDailyReport)
                .where(col(HQDailyReport.day) == day.isoformat())
                .order_by(col(HQDailyReport.device_id), col(HQDailyReport.seq))
            )
            .scalars()
            .all()
        )
    reports: dict[str, list[ReportLine]] = {}
    for r in rows:
        reports.setdefault(r.site_code, []).append(_line(r))
    out = []
    for site in sites:
        mine = [d for d in devices if d.site_code == site.code]
        got = reports.get(site.code, [])
        reporters = {r.device for r in got}
        expected = any(d.revoked_at is None and d.enrolled_at < end_of_day for d in mine)
        out.append(
            SiteDay(
                site=site.code,
                name=site.name,
                day=day,
                status=_status(got, expected),
                expected=expected,
                reports=tuple(got),
                devices=tuple(
                    DeviceDay(
                        device=d.id,
                        name=d.name,
                        complete_through=d.acked_seq,
                        last_seen_at=d.last_seen_at,
                        pending_reported=d.pending_reported,
                        lag_seconds=(
                            round((now - d.last_seen_at).total_seconds(), 1)
                            if d.last_seen_at
                            else None
                        ),
                        revoked=d.revoked_at is not None,
                        reported=d.id in reporters,
                    )
                    for d in mine
                ),
            )
        )
    return out
