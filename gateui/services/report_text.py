"""The daily report in words, for the screen and the terminal: (section, item, value) rows.

The same rows feed the TUI's report table and `gateui report daily --format text`; the
CSV/XLSX exports keep their stable machine codes (services.reports.daily_rows).
"""

from __future__ import annotations

from gateui.i18n import Translator
from gateui.services.context import GateContext
from gateui.services.reports import DailyReportView

TOTALS = (
    "passages", "people_in", "people_out", "vehicles_in", "vehicles_out", "denied",
    "referred", "watch_hits", "overrides", "amended", "voided", "on_site_people",
    "on_site_vehicles",
)  # fmt: skip
PER_CHECKPOINT = ("people_in", "people_out", "vehicles_in", "vehicles_out")

Row = tuple[str, str, str]


def _label(t: Translator, key: str, value: str) -> str:
    return t(key) if t.has(key) else value


def reason_words(t: Translator, code: str) -> str:
    """A stored reason code ("health_code:red", "watch:…", "permit:none") in words."""
    head, _, tail = code.partition(":")
    if head == "watch":
        return t("reason.watch", reason=tail)
    if head == "status":
        return t("reason.status", status=_label(t, f"status.{tail}", tail))
    if head == "permit":
        return t("reason.permit", reason=_label(t, f"permit.{tail}", tail))
    if head == "driver":
        return t("reason.driver", outcome=_label(t, f"outcome.{tail}", tail))
    if head == "temperature":
        return t("reason.temperature", value=tail)
    item = f"checklist.{head}"
    if t.has(item):
        answer = _label(t, f"{item}.{tail}", tail)
        return f"{t(item)}：{answer}" if t.lang == "zh" else f"{t(item)}: {answer}"
    return code


def status_line(t: Translator, ctx: GateContext, view: DailyReportView) -> str:
    if not view.closed or view.signed_at is None:
        return t("report.status_draft")
    at = view.signed_at.astimezone(ctx.site.zone).strftime("%Y-%m-%d %H:%M")
    return t("report.status_closed", name=view.signed_by_name or "?", at=at)


def report_rows(
    t: Translator, ctx: GateContext, view: DailyReportView, with_status: bool = True
) -> list[Row]:
    """Every line of the report: status (unless the caller shows it apart), per checkpoint,
    totals, reasons, roster."""
    totals = view.totals
    head = t("report.section.report")
    rows: list[Row] = []
    if with_status:
        kind = t("report.zero") if totals.zero else t("report.abnormal")
        rows += [
            (head, t("report.item.status"), status_line(t, ctx, view)),
            (head, t("report.item.kind"), kind),
        ]
    for code, cp in sorted(totals.checkpoints.items()):
        section = t("report.section.checkpoint", code=code)
        rows += [(section, t(f"report.item.{i}"), str(getattr(cp, i))) for i in PER_CHECKPOINT]
    section = t("report.section.totals")
    rows += [(section, t(f"report.item.{i}"), str(getattr(totals, i))) for i in TOTALS]
    section = t("report.section.reasons")
    if totals.reasons:
        rows += [(section, reason_words(t, c), str(n)) for c, n in sorted(totals.reasons.items())]
    else:
        rows.append((section, t("report.none"), "0"))
    section = t("report.section.roster")
    if view.roster is None:
        rows.append((section, t("report.no_roster"), ""))
        return rows
    for shift, where, name in view.roster.no_shows:
        value = t("report.no_show_value", name=name, shift=shift, checkpoint=where)
        rows.append((section, t("report.no_show"), value))
    for shift, where, n, need in view.roster.gaps:
        value = t("report.gap_value", shift=shift, checkpoint=where, rostered=n, required=need)
        rows.append((section, t("report.gap"), value))
    if not view.roster.no_shows and not view.roster.gaps:
        rows.append((section, t("report.none"), ""))
    return rows


def report_text(t: Translator, ctx: GateContext, view: DailyReportView) -> str:
    """The report as plain text lines, a section title before its items."""
    lines = [t("report.title", site=ctx.site.name, day=view.day.isoformat())]
    section = None
    for sec, item, value in report_rows(t, ctx, view):
        if sec != section:
            lines += ["", f"[{sec}]"]
            section = sec
        lines.append(f"  {item}: {value}" if value else f"  {item}")
    return "\n".join(lines) + "\n"
