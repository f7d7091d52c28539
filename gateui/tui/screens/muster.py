"""Who is on site now (in without out): the muster list and its counts.

F3 / F4 export it (CSV / XLSX) to a time-stamped file in the data directory, the screen
says where; `gateui export muster` does the same from the command line.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.services import presence, reports
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.text import local_time
from gateui.tui.widgets.keybar import KeyBar


class MusterScreen(Screen[None]):
    CSS_PATH = "muster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "reload", "key.reload", id="muster.reload"),
        Binding("f3", "export('csv')", "key.export_csv", id="muster.export_csv"),
        Binding("f4", "export('xlsx')", "key.export_xlsx", id="muster.export_xlsx"),
        Binding("escape", "back", "key.back", id="muster.back"),
    ]

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static("", id="muster-counts")
        table: DataTable[str] = DataTable(id="muster-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(
            t("muster.subject"),
            t("muster.label"),
            t("muster.unit"),
            t("muster.since"),
            t("muster.checkpoint"),
        )
        yield table
        yield Static("", id="muster-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(DataTable).focus()

    def action_reload(self) -> None:
        app = gate_app(self)
        t = app.t
        rows = attempt(self, lambda: presence.muster(app.ctx))
        if rows is None:
            return
        people = sum(1 for r in rows if r.subject == "person")
        self.query_one("#muster-counts", Static).update(
            t("muster.counts", people=people, vehicles=len(rows) - people)
        )
        table = self.query_one(DataTable)
        table.clear()
        zone = app.ctx.site.zone
        for row in rows:
            table.add_row(
                t(f"subject.{row.subject}"),
                row.label,
                row.unit or "",
                local_time(row.since, zone, "%m-%d %H:%M"),
                row.checkpoint_code,
            )

    def action_export(self, fmt: str) -> None:
        """Write the list as it is now, next to the database; say where it went."""
        app = gate_app(self)
        ctx = app.ctx
        path = ctx.db.path.parent / reports.export_file_name(ctx, "muster", fmt)
        written = attempt(self, lambda: reports.export_muster(ctx, path, fmt))
        if written is None:
            return  # the reason is on screen; the list stays as it was
        self.action_reload()
        status = self.query_one("#muster-status", Static)
        status.update(app.t("muster.exported", file=str(written)))
        app.notify(str(written), title=app.t("muster.exported_title"), timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)
