"""Roster values in words for the roster screens: cell headings, problems, shift summaries.

Each problem line starts with a sign ("✖" error, "⚠" warning, "≠" conflict, "✔" fine), so
it reads without colour; the words come from the Translator in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text

from gateui.domain.roster import CellKey
from gateui.i18n import Translator
from gateui.services.roster_views import (
    AttendanceRow,
    ConflictView,
    RosterCellView,
    RosterGridView,
    ShiftHeading,
    ShiftSummary,
    UnavailabilityView,
)
from gateui.tui.text import local_time, reason_text

ATTENDANCE_MARKS = {
    "present": "✔",
    "late": "⚠",
    "no_show": "✖",
    "expected": "…",
    "elsewhere": "→",
    "unrostered": "+",
}
_ERROR, _WARN, _OK = "bold red", "bold yellow", "bold green"


def shift_label(t: Translator, code: str) -> str:
    key = f"roster.shift.{code}"
    return t(key) if t.has(key) else code


def day_text(t: Translator, day: date) -> str:
    """ "11-23 周一" / "Mon 11-23", as in the published roster."""
    return t(
        "roster.publish.day", date=f"{day:%m-%d}", weekday=t(f"roster.weekday.{day.weekday()}")
    )


def cell_heading(t: Translator, cell: CellKey, checkpoint_name: str, start: str, end: str) -> str:
    return t(
        "roster.ui.cell_heading",
        checkpoint=f"{checkpoint_name} {cell.checkpoint}",
        day=day_text(t, cell.day),
        shift=shift_label(t, cell.shift),
        start=start,
        end=end,
    )


def heading_of(grid: RosterGridView, code: str) -> ShiftHeading:
    return next(h for h in grid.shifts if h.code == code)


def checkpoint_name(grid: RosterGridView, code: str) -> str:
    return dict(grid.checkpoints).get(code, code)


def _conflict_lines(t: Translator, conflict: ConflictView) -> list[Text]:
    sep = t("roster.publish.cell_separator")
    edits = sep.join(
        t(
            "roster.ui.conflict_edit",
            device=e.device,
            edit=t(f"roster.edit.{e.kind}"),
            guard=e.guard.name if e.guard else "",
            author=e.author or "?",
        ).strip()
        for e in conflict.edits
    )
    line = Text("≠ ", style=_WARN)
    line.append(t("roster.ui.conflict", devices=", ".join(conflict.devices), edits=edits))
    return [line, Text("  " + t("roster.ui.conflict_hint"))]


def cell_detail(t: Translator, grid: RosterGridView, cell: CellKey, zone: ZoneInfo) -> Text:
    """What the selected cell is and everything wrong with it, in words."""
    view: RosterCellView = grid.cells[cell]
    heading = heading_of(grid, cell.shift)
    head = cell_heading(t, cell, checkpoint_name(grid, cell.checkpoint), heading.start, heading.end)
    status = t("roster.ui.assigned_count", assigned=len(view.guards), required=view.required)
    if view.locked:
        status += " · " + t("roster.ui.locked")
    lines = [Text(f"{head} · {status}", style="bold")]
    names = t("roster.publish.name_separator").join(g.name for g in view.guards)
    lines.append(Text(t("roster.ui.guards", names=names or t("roster.publish.nobody"))))
    for v in sorted(view.violations, key=lambda v: (v.severity != "error", v.code)):
        sign, style = ("✖ ", _ERROR) if v.severity == "error" else ("⚠ ", _WARN)
        line = Text(sign, style=style)
        line.append(t(v.code, **v.params))
        lines.append(line)
    for conflict in grid.conflicts:
        if conflict.cell == cell:
            lines.extend(_conflict_lines(t, conflict))
    if not view.violations and not view.conflict:
        lines.append(Text("✔ " + t("roster.ui.cell_ok"), style=_OK))
    absent = [
        u for u in grid.unavailable if u.starts_at < view.ends_at and view.starts_at < u.ends_at
    ]
    if absent:
        lines.append(Text(t("roster.ui.absent_title"), style="bold"))
        lines.extend(Text("  " + absence_text(t, u, zone)) for u in absent)
    return Text("\n").join(lines)


def absence_text(t: Translator, period: UnavailabilityView, zone: ZoneInfo) -> str:
    first = period.starts_at.astimezone(zone).date()
    last = (period.ends_at - timedelta(seconds=1)).astimezone(zone).date()
    text = t(
        "roster.ui.absence",
        guard=period.guard.name,
        reason=t(f"roster.reason.{period.reason}"),
        first=f"{first:%m-%d}",
        last=f"{last:%m-%d}",
    )
    return f"{text} {period.note}".rstrip()


def attendance_line(t: Translator, row: AttendanceRow, zone: ZoneInfo) -> Text:
    mark = ATTENDANCE_MARKS.get(row.status, " ")
    style = {"no_show": _ERROR, "late": _WARN, "elsewhere": _WARN, "present": _OK}.get(
        row.status, ""
    )
    line = Text(f"{mark} ", style=style)
    line.append(f"{row.guard.name}  ")
    line.append(t(f"roster.attendance.{row.status}"), style=style)
    if row.checked_in_at is not None:
        line.append("  " + t("roster.ui.checked_in", at=local_time(row.checked_in_at, zone)))
    if row.late_minutes:
        line.append("  " + t("roster.ui.late_by", minutes=row.late_minutes))
    if row.checkpoint:
        line.append("  " + t("roster.ui.at_checkpoint", checkpoint=row.checkpoint))
    return line


def summary_lines(t: Translator, summary: ShiftSummary) -> list[str]:
    """The shift summary of a handover, in a few lines."""
    lines = [
        t(
            "roster.ui.summary_moves",
            people_in=summary.people_in,
            vehicles_in=summary.vehicles_in,
            people_out=summary.people_out,
            vehicles_out=summary.vehicles_out,
        ),
        t("roster.ui.summary_refusals", denied=summary.denied, referred=summary.referred),
    ]
    if summary.reasons:
        sep = t("roster.publish.cell_separator")
        reasons = sep.join(
            t("roster.ui.reason_count", reason=reason_text(t, code), count=count)
            for code, count in summary.reasons.items()
        )
        lines.append(t("roster.ui.summary_reasons", reasons=reasons))
    lines.append(
        t(
            "roster.ui.summary_checks",
            watch=summary.watch_hits,
            overrides=summary.overrides,
            corrections=summary.corrections,
            voided=summary.voided,
        )
    )
    return lines


def stamp(at: datetime, zone: ZoneInfo) -> str:
    return local_time(at, zone, "%m-%d %H:%M")


def join_lines(lines: Iterable[str | Text]) -> Text:
    return Text("\n").join(Text(x) if isinstance(x, str) else x for x in lines)


def parse_day(text: str, near: date) -> date | None:
    """A typed date: "2026-11-24", or "11-24" / "11/24" in the year of `near` (None: bad)."""
    value = text.strip().replace("/", "-").replace(".", "-")
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            return date(near.year, int(parts[0]), int(parts[1]))
    except ValueError:
        return None
    return None
