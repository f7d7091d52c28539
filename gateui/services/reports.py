"""Daily reports: count a site's day, close it with a leader's sign-off, export it.

A day is the calendar day in the site's zone. The report counts the entries recorded in
this gate database (every checkpoint it serves); the counting rules are in
gateui.domain.reports. Closing writes the report as a record and a "report.daily" change,
so sync carries it and HQ can tell a zero report from a missing one. Exports (CSV, XLSX) go
to a temporary file renamed over the target: a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from gateui.domain.change_chain import canonical_json
from gateui.domain.errors import ValidationError
from gateui.domain.reports import DailyTotals, EntryFact, day_bounds, summarize
from gateui.errors import GateUIError, PermissionDeniedError
from gateui.services.context import GateContext
from gateui.services.corrections import (
    corrections_of,
    direction_after,
    effective_direction,
    is_voided,
)
from gateui.services.presence import muster
from gateui.services.roster_attendance import attendance
from gateui.services.roster_handover import shift_summary
from gateui.services.roster_store import calendar_for, checkpoint_codes
from gateui.services.roster_views import AttendanceView, ShiftSummary
from gateui.store.changelog import append_change, next_seq
from gateui.store.models import AppUser, Entry, Presence
from gateui.store.pass_models import DailyReport

FORMATS = ("csv", "xlsx")


class ExportError(GateUIError):
    title_key = "export.error_title"


@dataclass(frozen=True)
class RosterDay:
    """The roster side of a day: guards who did not turn up, shifts planned short."""

    no_shows: tuple[tuple[str, str, str], ...]  # (shift, checkpoint, guard name)
    gaps: tuple[tuple[str, str, int, int], ...]  # (shift, checkpoint, rostered, required)

    def to_payload(self) -> dict[str, Any]:
        return {"no_shows": [list(r) for r in self.no_shows], "gaps": [list(r) for r in self.gaps]}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> RosterDay:
        no_shows = tuple((a, b, c) for a, b, c in data["no_shows"])
        return cls(no_shows, tuple((a, b, int(c), int(d)) for a, b, c, d in data["gaps"]))


@dataclass(frozen=True)
class DailyReportView:
    site_code: str
    day: date
    totals: DailyTotals
    closed: bool  # signed off and recorded; otherwise counted live, may still change
    report_id: str | None = None
    signed_by_name: str | None = None
    signed_at: datetime | None = None
    roster: RosterDay | None = None  # None: nobody was rostered that day


@dataclass(frozen=True)
class ShiftReportView:
    """The shift report: the roster work's shift summary and attendance, side by side."""

    summary: ShiftSummary
    attendance: AttendanceView


def shift_report(
    ctx: GateContext, day: date, shift: str, checkpoint: str | None = None
) -> ShiftReportView:
    return ShiftReportView(
        shift_summary(ctx, day, shift, checkpoint), attendance(ctx, day, shift, checkpoint)
    )


def roster_day(ctx: GateContext, day: date) -> RosterDay | None:
    """No-shows and understaffed shifts of the day's shifts (by start day) at every gate."""
    cells = [
        attendance(ctx, day, shift, cp)
        for shift in calendar_for(ctx).shift_codes
        for cp in checkpoint_codes(ctx)
    ]
    if not any(a.rostered for a in cells):
        return None
    return RosterDay(
        tuple((a.cell.shift, a.cell.checkpoint, r.guard.name) for a in cells for r in a.missing),
        tuple(
            (a.cell.shift, a.cell.checkpoint, len(a.rostered), a.required)
            for a in cells
            if len(a.rostered) < a.required
        ),
    )


# --- counting -------------------------------------------------------------------------------


def _facts(s: Session, site_code: str, start: datetime, end: datetime) -> list[EntryFact]:
    stmt = (
        select(Entry)
        .where(Entry.site_code == site_code, col(Entry.at) >= start, col(Entry.at) < end)
        .order_by(col(Entry.at), col(Entry.id))
    )
    entries = list(s.exec(stmt))
    fixes = corrections_of(s, [e.id for e in entries])
    facts = []
    for e in entries:
        facts.append(
            EntryFact(
                id=e.id,
                checkpoint_code=e.checkpoint_code,
                subject=e.subject,
                direction=direction_after(e, fixes.get(e.id, [])),
                outcome=e.outcome,
                reasons=tuple(json.loads(e.reasons)),
                overridden=e.override_by is not None,
                voided=any(c.action == "void" for c in fixes.get(e.id, [])),
                amendments=sum(c.action == "amend" for c in fixes.get(e.id, [])),
            )
        )
    return facts


def _on_site_at(s: Session, site_code: str, at: datetime) -> tuple[int, int]:
    """(people, vehicles) on site at `at`: today's presence, rolled back past later entries."""
    inside = {p.subject_key for p in s.exec(select(Presence))}
    later = select(Entry).where(
        Entry.site_code == site_code, Entry.outcome == "admitted", col(Entry.at) >= at
    )
    for key in {f"{e.subject[0]}:{e.person_id or e.vehicle_id}" for e in s.exec(later)}:
        inside.discard(key)
        column = Entry.person_id if key[0] == "p" else Entry.vehicle_id
        before = (
            select(Entry)
            .where(column == key[2:], Entry.subject == ("person" if key[0] == "p" else "vehicle"))
            .where(Entry.site_code == site_code, Entry.outcome == "admitted", col(Entry.at) < at)
            .order_by(col(Entry.at).desc(), col(Entry.id).desc())
        )
        for e in s.exec(before):
            if is_voided(s, e.id):
                continue
            if effective_direction(s, e) == "in":
                inside.add(key)
            break
    people = sum(k.startswith("p:") for k in inside)
    return people, len(inside) - people


def _count(ctx: GateContext, s: Session, day: date) -> DailyTotals:
    start, end = day_bounds(day, ctx.site.zone)
    facts = _facts(s, ctx.site.code, start, end)
    on_site = _on_site_at(s, ctx.site.code, min(end, ctx.now()))
    return summarize(facts, on_site, [cp.code for cp in ctx.site.checkpoints])


def _closed(ctx: GateContext, s: Session, day: date) -> DailyReport | None:
    return s.exec(
        select(DailyReport).where(
            DailyReport.site_code == ctx.site.code,
            DailyReport.day == day.isoformat(),
            DailyReport.device_id == ctx.device_id,
        )
    ).first()


def _view(ctx: GateContext, s: Session, day: date) -> DailyReportView:
    row = _closed(ctx, s, day)
    if row is None:
        return DailyReportView(
            ctx.site.code, day, _count(ctx, s, day), False, roster=roster_day(ctx, day)
        )
    roster = RosterDay.from_payload(json.loads(row.roster)) if row.roster else None
    totals = DailyTotals.from_payload(json.loads(row.totals))
    return DailyReportView(
        ctx.site.code, day, totals, True, row.id, row.signed_name, row.signed_at, roster
    )


def daily_report(ctx: GateContext, day: date) -> DailyReportView:
    """The day's report: as closed if it was, else counted now (a draft)."""
    with ctx.db.read() as s:
        return _view(ctx, s, day)


def close_day(ctx: GateContext, day: date, leader_id: str) -> DailyReportView:
    """Count a finished day and record it, signed off by a leader (one transaction).

    Refuses a day that has not ended in the site's zone, a day already closed on this
    device, and a signer who is not an active leader or admin.
    """
    _, end = day_bounds(day, ctx.site.zone)
    now = ctx.now()
    if now < end:
        raise ValidationError("report.day_not_over", day=day.isoformat())
    roster = roster_day(ctx, day)
    with ctx.db.write() as s:
        leader = s.get(AppUser, leader_id)
        if leader is None or leader.role not in ("leader", "admin") or not leader.active:
            raise PermissionDeniedError("auth.not_leader")
        if _closed(ctx, s, day) is not None:
            raise ValidationError("report.already_closed", day=day.isoformat())
        totals = _count(ctx, s, day)
        payload = totals.to_payload()
        row = DailyReport(
            id=f"{ctx.device_id}-{next_seq(s, ctx.device_id)}",
            site_code=ctx.site.code,
            day=day.isoformat(),
            device_id=ctx.device_id,
            zero=totals.zero,
            totals=canonical_json(payload).decode("utf-8"),
            roster=canonical_json(roster.to_payload()).decode("utf-8") if roster else None,
            signed_by=leader.id,
            signed_name=leader.name,
            signed_at=now,
        )
        s.add(row)
        s.flush()
        change = row.model_dump(mode="json", exclude={"totals", "roster"}) | {
            "totals": payload,
            "roster": roster.to_payload() if roster else None,
        }
        append_change(s, ctx.device_id, "report.daily", row.id, change, now)
        return DailyReportView(ctx.site.code, day, totals, True, row.id, leader.name, now, roster)


# --- exports --------------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside `path`, flush to disk, rename over `path`.

    Any failure raises ExportError("export.cannot_write") and leaves no temporary file
    behind and any earlier file at `path` untouched.
    """
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ExportError(
            "export.cannot_write", path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return path


def _encode(rows: list[list[Any]], fmt: str, sheet: str) -> bytes:
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        return buf.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Chinese
    if fmt == "xlsx":
        from openpyxl import Workbook  # on demand: it costs the TUI's start a tenth of a second

        wb = Workbook()
        ws = wb.active
        ws.title = sheet
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    raise ValidationError("export.bad_format", format=fmt)


def _local(ctx: GateContext, at: datetime | None) -> str:
    return at.astimezone(ctx.site.zone).strftime("%Y-%m-%d %H:%M") if at else ""


def daily_rows(ctx: GateContext, view: DailyReportView) -> list[list[Any]]:
    """The report as (section, item, value) rows; the same rows go to CSV and XLSX."""
    t = view.totals
    rows: list[list[Any]] = [
        ["section", "item", "value"],
        ["report", "site", view.site_code],
        ["report", "day", view.day.isoformat()],
        ["report", "status", "closed" if view.closed else "draft"],
        ["report", "zero_report", "yes" if t.zero else "no"],
        ["report", "signed_by", view.signed_by_name or ""],
        ["report", "signed_at", _local(ctx, view.signed_at)],
    ]
    for code, cp in sorted(t.checkpoints.items()):
        for item in ("people_in", "people_out", "vehicles_in", "vehicles_out"):
            rows.append([f"checkpoint:{code}", item, getattr(cp, item)])
    for item in (
        "passages", "people_in", "people_out", "vehicles_in", "vehicles_out", "denied",
        "referred", "watch_hits", "overrides", "amended", "voided", "on_site_people",
        "on_site_vehicles",
    ):  # fmt: skip
        rows.append(["total", item, getattr(t, item)])
    rows += [["reason", code, n] for code, n in sorted(t.reasons.items())]
    if view.roster is not None:
        rows += [["no_show", f"{shift}@{cp}", name] for shift, cp, name in view.roster.no_shows]
        rows += [
            ["roster_gap", f"{sh}@{cp}", f"{n}/{need}"] for sh, cp, n, need in view.roster.gaps
        ]
    return rows


def export_daily_report(ctx: GateContext, day: date, path: Path, fmt: str = "csv") -> Path:
    data = _encode(daily_rows(ctx, daily_report(ctx, day)), fmt, "daily")
    return write_atomically(path, data)


def export_file_name(ctx: GateContext, what: str, fmt: str) -> str:
    """A file name that sorts by time: "muster-20261120-093000.csv" (site-local time, to
    the second, so an export never replaces one made earlier)."""
    stamp = ctx.now().astimezone(ctx.site.zone).strftime("%Y%m%d-%H%M%S")
    return f"{what}-{stamp}.{fmt}"


def export_muster(ctx: GateContext, path: Path, fmt: str = "csv") -> Path:
    """Who and what is on site now, oldest arrival first (no ID numbers)."""
    rows: list[list[Any]] = [["subject", "id", "name_or_plate", "unit", "since", "checkpoint"]]
    for r in muster(ctx):
        rows.append(
            [r.subject, r.id, r.label, r.unit or "", _local(ctx, r.since), r.checkpoint_code]
        )
    return write_atomically(path, _encode(rows, fmt, "muster"))
