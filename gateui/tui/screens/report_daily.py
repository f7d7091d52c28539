"""The daily report of one day: a live draft for a day not closed, the signed report once
closed. F4 closes a day that is over (a leader's badge and PIN; a day not over is refused
with the reason); F6/F7 export it as CSV/XLSX next to the database, the screen says where.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.errors import GateUIError
from gateui.services import reports
from gateui.services.lookup import today_local
from gateui.services.report_text import report_rows, status_line
from gateui.services.reports import DailyReportView
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line, show_error
from gateui.tui.screens.override import LeaderCheckScreen
from gateui.tui.widgets.cards import mark_outcome
from gateui.tui.widgets.keybar import KeyBar


class CloseDayCheck(LeaderCheckScreen):
    """The leader who signs the day off."""

    title_key = "report.close_leader_title"


class DailyReportScreen(Screen[None]):
    CSS_PATH = "report.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "day(-1)", "key.prev_day", id="report.prev_day"),
        Binding("f3", "day(1)", "key.next_day", id="report.next_day"),
        Binding("f4", "close_day", "key.close_day", id="report.close_day"),
        Binding("f5", "reload", "key.reload", id="report.reload"),
        Binding("f6", "export('csv')", "key.export_csv", id="report.export_csv"),
        Binding("f7", "export('xlsx')", "key.export_xlsx", id="report.export_xlsx"),
        Binding("escape", "back", "key.back", id="report.back"),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.view: DailyReportView | None = None

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static("", id="report-day")
        table: DataTable[str] = DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("", "", "")
        yield table
        yield Static("", id="report-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.day = self.day or today_local(gate_app(self).ctx)
        self.reload()
        self.query_one(DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "day" and parameters == (1,) and self.day is not None:
            return self.day < today_local(gate_app(self).ctx) or None
        if action == "close_day" and self.view is not None:
            return not self.view.closed or None
        return True

    def say(self, message: str, outcome: str | None = None) -> None:
        status = self.query_one("#report-status", Static)
        mark_outcome(status, outcome)
        status.update(message)

    def reload(self) -> None:
        app = gate_app(self)
        t, ctx = app.t, app.ctx
        day = self.day
        assert day is not None
        view = attempt(self, lambda: reports.daily_report(ctx, day))
        if view is None:
            return
        self.view = view
        title = t("report.title", site=ctx.site.name, day=day.isoformat())
        kind = t("report.kind.zero" if view.totals.zero else "report.kind.report")
        line = self.query_one("#report-day", Static)
        line.update(f"{title} · {kind} · {status_line(t, ctx, view)}")
        mark_outcome(line, "admitted" if view.closed else "referred")
        table = self.query_one(DataTable)
        table.clear()
        previous = None
        for section, item, value in report_rows(t, ctx, view, with_status=False):
            table.add_row(section if section != previous else "", item, value)
            previous = section
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()

    def action_day(self, step: int) -> None:
        assert self.day is not None
        day = self.day + timedelta(days=step)
        if day > today_local(gate_app(self).ctx):
            return
        self.day = day
        self.say("")
        self.reload()

    def action_close_day(self) -> None:
        self.app.push_screen(CloseDayCheck(), self.signed_off)

    def signed_off(self, leader: UserView | None) -> None:
        if leader is None or self.day is None:
            return
        app = gate_app(self)
        day = self.day
        try:
            view = reports.close_day(app.ctx, day, leader.id)
        except GateUIError as exc:
            self.say("✖ " + app.t.error(exc)[1], "denied")  # e.g. the day is not over yet
            return
        except Exception as exc:
            show_error(self, exc)
            return
        kind = app.t("report.kind.zero" if view.totals.zero else "report.kind.report")
        self.say(app.t("report.closed_ok", day=day.isoformat(), kind=kind), "admitted")
        self.reload()

    def action_export(self, fmt: str) -> None:
        app = gate_app(self)
        ctx, day = app.ctx, self.day
        assert day is not None
        path = ctx.db.path.parent / reports.export_file_name(ctx, f"daily-{day}", fmt)
        written = attempt(self, lambda: reports.export_daily_report(ctx, day, path, fmt))
        if written is not None:
            self.say(app.t("report.exported", path=str(written)), "admitted")

    def action_back(self) -> None:
        self.dismiss(None)
