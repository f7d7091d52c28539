"""The roster as plain text for the work group (WeChat, SMS, a QR code on screen).

One line per shift and day, checkpoints side by side, short cells marked, then the rule
problems in words. Chinese by default (the site's language), English on request.
"""

from __future__ import annotations

from datetime import date

from gateui.config import Language
from gateui.i18n import Translator
from gateui.services.context import GateContext
from gateui.services.roster_grid import roster_view
from gateui.services.roster_views import RosterGridView, ShiftHeading

MAX_PROBLEM_LINES = 20  # a work-group message must stay readable on a phone


def shift_name(t: Translator, heading: ShiftHeading) -> str:
    key = f"roster.shift.{heading.code}"
    return t(key) if t.has(key) else heading.code


def _problem_lines(t: Translator, grid: RosterGridView) -> list[str]:
    """Rule problems in words; short cells are already marked on their lines."""
    problems = [
        v for v in grid.violations if v.severity == "error" and v.code != "roster.rule.short"
    ]
    if not problems:
        return []
    lines = [t("roster.publish.problems", count=len(problems))]
    lines += [t("roster.publish.bullet", text=t(v.code, **v.params)) for v in problems]
    if len(problems) > MAX_PROBLEM_LINES:
        lines = lines[: MAX_PROBLEM_LINES + 1]
        lines.append(t("roster.publish.more", count=len(problems) - MAX_PROBLEM_LINES))
    return lines


def render_text(t: Translator, grid: RosterGridView, site_name: str) -> str:
    separator = t("roster.publish.name_separator")
    lines = [t("roster.publish.title", site=site_name, first=grid.first, last=grid.last)]
    for day in grid.days:
        weekday = t(f"roster.weekday.{day.weekday()}")
        lines.append("")
        lines.append(t("roster.publish.day", date=f"{day:%m-%d}", weekday=weekday))
        for heading in grid.shifts:
            parts = []
            for code, name in grid.checkpoints:
                cell = grid.cell(day, heading.code, code)
                guards = separator.join(g.name for g in cell.guards) or t("roster.publish.nobody")
                part = t("roster.publish.checkpoint", checkpoint=name, guards=guards)
                if cell.is_short:
                    part += t("roster.publish.short", count=cell.short_by)
                parts.append(part)
            lines.append(
                t(
                    "roster.publish.shift",
                    shift=shift_name(t, heading),
                    start=heading.start,
                    end=heading.end,
                    cells=t("roster.publish.cell_separator").join(parts),
                )
            )
    lines.append("")
    short = grid.short_cells
    if short:
        lines.append(t("roster.publish.short_total", count=short))
    else:
        lines.append(t("roster.publish.all_covered"))
    lines.extend(_problem_lines(t, grid))
    return "\n".join(lines)


def publish_text(
    ctx: GateContext,
    first: date,
    last: date,
    lang: Language | None = None,
    checkpoint: str | None = None,
) -> str:
    """The roster of first..last as a message for the work group."""
    grid = roster_view(ctx, first, last, checkpoint)
    return render_text(Translator(lang or ctx.site.language), grid, ctx.site.name)
