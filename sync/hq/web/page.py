"""The daily-report page as HTML text: every site's status for a day, each report, and each
device's completeness and lag. Plain HTML and a little CSS, no script; every value that
comes from a site or a device (names, ids, signers) goes through html.escape."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import urlencode

from gateui.i18n import Language, Translator
from sync.hq.reports import STATUSES, DeviceDay, SiteDay

_CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #111; background: #fff; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; }
th { background: #eee; }
td.num { text-align: right; }
.status { font-weight: bold; }
.status.missing { background: #c00; color: #fff; }
.status.report { background: #fd0; }
.status.zero { background: #cfc; }
.status.inactive { color: #555; }
nav a, nav form { margin-right: 1em; }
nav form { display: inline; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def utc_text(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "-"


def lag_text(t: Translator, seconds: float | None) -> str:
    """How long ago a device was last seen, in words: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    if seconds is None:
        return t("hq.page.never")
    s = max(0, int(seconds))
    if s < 60:
        return t("hq.page.lag_s", s=s)
    if s < 3600:
        return t("hq.page.lag_m", m=s // 60)
    if s < 86400:
        return t("hq.page.lag_h", h=s // 3600, m=s % 3600 // 60)
    return t("hq.page.lag_d", d=s // 86400, h=s % 86400 // 3600)


def _row(cells: Iterable[str], attrs: str = "") -> str:
    return f"<tr{attrs}>" + "".join(cells) + "</tr>"


def _td(value: object, cls: str = "") -> str:
    return f'<td class="{cls}">{_e(value)}</td>' if cls else f"<td>{_e(value)}</td>"


def _table(table_id: str, heads: list[str], rows: list[str], empty: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in heads)
    body = "".join(rows) or f'<tr><td colspan="{len(heads)}">{_e(empty)}</td></tr>'
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _link(day: date, lang: str) -> str:
    return "/reports?" + urlencode({"date": day.isoformat(), "lang": lang})


def _site_rows(t: Translator, sites: list[SiteDay]) -> list[str]:
    rows = []
    for s in sites:
        active = [d for d in s.devices if not d.revoked]
        signed = "; ".join(f"{r.signed_name} ({r.device})" for r in s.reports) or "-"
        rows.append(
            _row(
                [
                    _td(s.site),
                    _td(s.name),
                    _td(t(f"hq.status.{s.status}"), f"status {s.status}"),
                    _td(f"{len({r.device for r in s.reports})}/{len(active)}", "num"),
                    _td(signed),
                ],
                f' data-site="{_e(s.site)}" data-status="{_e(s.status)}"',
            )
        )
    return rows


def _report_rows(t: Translator, sites: list[SiteDay]) -> list[str]:
    rows = []
    for s in sites:
        for r in s.reports:
            kind = "zero" if r.zero else "report"
            cells = [_td(s.site), _td(r.device), _td(t(f"hq.status.{kind}"), f"status {kind}")]
            cells += [
                _td(n, "num")
                for n in (
                    r.passages,
                    r.denied,
                    r.referred,
                    r.watch_hits,
                    r.overrides,
                    r.corrections,
                )
            ]
            cells += [
                _td(f"{r.on_site_people}/{r.on_site_vehicles}", "num"),
                _td(r.signed_name),
                _td(utc_text(r.signed_at)),
            ]
            rows.append(_row(cells, f' data-device="{_e(r.device)}"'))
    return rows


def _device_rows(t: Translator, sites: list[SiteDay]) -> list[str]:
    rows = []
    for s in sites:
        for d in s.devices:
            rows.append(_row(_device_cells(t, s.site, d), f' data-device="{_e(d.device)}"'))
    return rows


def _device_cells(t: Translator, site: str, d: DeviceDay) -> list[str]:
    pending = "-" if d.pending_reported is None else d.pending_reported
    return [
        _td(site),
        _td(d.device),
        _td(d.name or "-"),
        _td(d.complete_through, "num"),
        _td(utc_text(d.last_seen_at)),
        _td(lag_text(t, d.lag_seconds)),
        _td(pending, "num"),
        _td(t("hq.page.yes") if d.reported else t("hq.page.no")),
        _td(t("hq.page.revoked") if d.revoked else t("hq.page.active")),
    ]


def render_reports_page(sites: list[SiteDay], day: date, lang: Language) -> str:
    """The whole page for `day` in `lang` (zh or en)."""
    t = Translator(lang)
    other: Language = "en" if lang == "zh" else "zh"
    counts = {st: sum(1 for s in sites if s.status == st) for st in STATUSES}
    summary = t("hq.page.summary", sites=len(sites), **counts)
    nav = (
        f'<nav><a id="prev" href="{_e(_link(day - timedelta(days=1), lang))}">'
        f"← {_e((day - timedelta(days=1)).isoformat())}</a>"
        f'<a id="next" href="{_e(_link(day + timedelta(days=1), lang))}">'
        f"{_e((day + timedelta(days=1)).isoformat())} →</a>"
        f'<form method="get" action="/reports"><label>{_e(t("hq.page.day"))} '
        f'<input type="date" name="date" value="{_e(day.isoformat())}"></label>'
        f'<input type="hidden" name="lang" value="{_e(lang)}">'
        f'<button type="submit">{_e(t("hq.page.show"))}</button></form>'
        f'<a id="lang" href="{_e(_link(day, other))}">{_e(t("hq.page.other_language"))}</a></nav>'
    )
    sites_table = _table(
        "sites",
        [t(f"hq.page.col.{c}") for c in ("site", "name", "status", "reported", "signed")],
        _site_rows(t, sites),
        t("hq.page.no_sites"),
    )
    report_cols = (
        "site", "device", "kind", "passages", "denied", "referred", "watch_hits",
        "overrides", "corrections", "on_site", "signed_by", "signed_at",
    )  # fmt: skip
    reports_table = _table(
        "reports",
        [t(f"hq.page.col.{c}") for c in report_cols],
        _report_rows(t, sites),
        t("hq.page.no_reports"),
    )
    device_cols = (
        "site", "device", "name", "complete_through", "last_seen", "lag", "pending",
        "reported_day", "state",
    )  # fmt: skip
    devices_table = _table(
        "devices",
        [t(f"hq.page.col.{c}") for c in device_cols],
        _device_rows(t, sites),
        t("hq.page.no_devices"),
    )
    title = t("hq.page.title", day=day.isoformat())
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>{nav}"
        f'<p id="summary">{_e(summary)}</p>'
        f'<p class="rule">{_e(t("hq.page.rule"))}</p>'
        f"<h2>{_e(t('hq.page.sites'))}</h2>{sites_table}"
        f"<h2>{_e(t('hq.page.reports'))}</h2>{reports_table}"
        f"<h2>{_e(t('hq.page.devices'))}</h2>{devices_table}"
        "</body></html>"
    )
