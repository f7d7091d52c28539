"""The shift leader's roster: a week of one checkpoint at a time, every problem in words.

PgUp/PgDn page by week, Tab by checkpoint; the arrows move between cells. Enter opens the
cell to put guards in or take them out (type-ahead by name, badge or pinyin initials);
F2 locks a cell against copying and generating; F3 copies the previous week into this
one; F4 generates a fair roster for a period (preview first); F5 records leave, sickness
or quarantine; F6 shows who came to the current shift; F7 publishes the week; F8 confirms
a cell that two terminals edited offline. Below the grid, the selected cell's problems
are explained in sentences.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.services import roster
from gateui.services.roster import Lock, Resolve, Unlock
from gateui.services.roster_store import calendar_for
from gateui.services.roster_views import CopyResult, GenerationReport, RosterGridView
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.screens.roster_absence import AbsenceScreen
from gateui.tui.screens.roster_attendance import AttendanceScreen
from gateui.tui.screens.roster_edit import CellEditScreen
from gateui.tui.screens.roster_plan import CopyWeekScreen, GenerateScreen
from gateui.tui.screens.roster_publish import PublishScreen
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_grid import RosterTable
from gateui.tui.widgets.roster_text import cell_detail, day_text


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class RosterScreen(Screen[None]):
    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "edit", "key.roster_edit", priority=True, id="roster.edit"),
        Binding("f2", "lock", "key.roster_lock", id="roster.lock"),
        Binding("f3", "copy_week", "key.roster_copy", id="roster.copy"),
        Binding("f4", "generate", "key.roster_generate", id="roster.generate"),
        Binding("f5", "absence", "key.roster_absence", id="roster.absence"),
        Binding("f6", "attendance", "key.roster_attendance", id="roster.attendance"),
        Binding("f7", "publish", "key.roster_publish", id="roster.publish"),
        Binding("f8", "resolve", "key.roster_resolve", id="roster.resolve"),
        Binding("pageup", "week(-1)", show=False, priority=True, id="roster.prev_week"),
        Binding("pagedown", "week(1)", show=False, priority=True, id="roster.next_week"),
        Binding("tab", "checkpoint(1)", "key.roster_checkpoint", priority=True, id="roster.cp"),
        Binding("shift+tab", "checkpoint(-1)", show=False, priority=True, id="roster.cp_back"),
        Binding("escape", "back", "key.back", id="roster.back"),
    ]

    def __init__(self, leader: UserView, first: date | None = None) -> None:
        super().__init__()
        self.leader = leader
        self.first = first
        self.cp_index = 0
        self.grid: RosterGridView | None = None

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self, self.leader.name)
        yield Static("", id="roster-title")
        yield RosterTable(id="roster-grid")
        yield Static(t("roster.ui.legend"), id="roster-legend")
        with VerticalScroll(id="roster-detail-box"):
            yield Static("", id="roster-detail")
        yield KeyBar(t)

    @property
    def table(self) -> RosterTable:
        return self.query_one(RosterTable)

    @property
    def today(self) -> date:
        ctx = gate_app(self).ctx
        return ctx.now().astimezone(ctx.site.zone).date()

    @property
    def checkpoint(self) -> str:
        codes = [cp.code for cp in gate_app(self).ctx.site.checkpoints]
        return codes[self.cp_index % len(codes)]

    def on_mount(self) -> None:
        ctx = gate_app(self).ctx
        codes = [cp.code for cp in ctx.site.checkpoints]
        if ctx.checkpoint_code in codes:
            self.cp_index = codes.index(ctx.checkpoint_code)
        if self.first is None:
            self.first = week_start(self.today)
        self.reload()
        now_shift = calendar_for(ctx).instance_at(ctx.now())
        self.table.select(now_shift.day, now_shift.shift)
        self.table.focus()

    def key_hints(self) -> list[tuple[str, str]]:
        return [("PgUp/PgDn", gate_app(self).t("key.roster_week"))]

    @property
    def period(self) -> tuple[date, date]:
        first = self.first or week_start(self.today)
        return first, first + timedelta(days=6)

    def reload(self) -> None:
        app = gate_app(self)
        first, last = self.period
        grid = attempt(self, lambda: roster.roster_view(app.ctx, first, last))
        if grid is None:
            return
        self.grid = grid
        self.table.show(app.t, grid, self.checkpoint, self.today)
        self.show_title()
        self.show_detail()
        self.refresh_bindings()

    def show_title(self) -> None:
        grid, t = self.grid, gate_app(self).t
        if grid is None:
            return
        codes = [code for code, _ in grid.checkpoints]
        mine = [c for c in grid.cells.values() if c.cell.checkpoint == self.checkpoint]
        short = sum(1 for c in mine if c.is_short)
        problems = sum(1 for c in mine if c.has_errors and not c.is_short)
        name = dict(grid.checkpoints)[self.checkpoint]
        self.query_one("#roster-title", Static).update(
            t(
                "roster.ui.title",
                first=day_text(t, grid.first),
                last=day_text(t, grid.last),
                checkpoint=f"{name} {self.checkpoint}",
                page=codes.index(self.checkpoint) + 1,
                pages=len(codes),
                short=short,
                problems=problems,
            )
        )

    def show_detail(self) -> None:
        app = gate_app(self)
        cell = self.table.cell_at_cursor()
        detail = self.query_one("#roster-detail", Static)
        if self.grid is None or cell is None:
            detail.update("")
            return
        detail.update(cell_detail(app.t, self.grid, cell, app.ctx.site.zone))

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resolve":
            cell = self.table.cell_at_cursor() if self.is_mounted else None
            conflict = self.grid is not None and cell is not None and self.grid.cells[cell].conflict
            return True if conflict else None
        return True

    # --- paging ----------------------------------------------------------------------------

    def action_week(self, step: int) -> None:
        first, _ = self.period
        self.first = first + timedelta(days=7 * step)
        self.reload()

    def action_checkpoint(self, step: int) -> None:
        self.cp_index = (self.cp_index + step) % len(gate_app(self).ctx.site.checkpoints)
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    # --- editing ---------------------------------------------------------------------------

    def action_edit(self) -> None:
        cell = self.table.cell_at_cursor()
        if self.grid is None or cell is None:
            return
        first, last = self.period
        view = self.grid.cells[cell]
        self.app.push_screen(
            CellEditScreen(self.leader, view, self.grid, first, last), lambda _: self.reload()
        )

    def action_lock(self) -> None:
        cell = self.table.cell_at_cursor()
        if self.grid is None or cell is None:
            return
        app = gate_app(self)
        command = Unlock(cell) if self.grid.cells[cell].locked else Lock(cell)
        if attempt(self, lambda: roster.record_events(app.ctx, self.leader.id, [command])):
            self.reload()

    def action_resolve(self) -> None:
        cell = self.table.cell_at_cursor()
        if self.grid is None or cell is None or not self.grid.cells[cell].conflict:
            return
        app = gate_app(self)
        if attempt(self, lambda: roster.record_events(app.ctx, self.leader.id, [Resolve(cell)])):
            app.notify(app.t("roster.ui.resolved"))
            self.reload()

    def action_copy_week(self) -> None:
        first, _ = self.period

        def copied(result: CopyResult | None) -> None:
            if result is not None:
                self.reload()

        self.app.push_screen(CopyWeekScreen(self.leader, first), copied)

    def action_generate(self) -> None:
        first, _ = self.period

        def generated(report: GenerationReport | None) -> None:
            self.reload()

        self.app.push_screen(GenerateScreen(self.leader, first), generated)

    def action_absence(self) -> None:
        cell = self.table.cell_at_cursor()
        if self.grid is None or cell is None:
            return
        first, last = self.period
        self.app.push_screen(AbsenceScreen(self.leader, cell, first, last), lambda _: self.reload())

    def action_attendance(self) -> None:
        self.app.push_screen(AttendanceScreen())

    def action_publish(self) -> None:
        first, last = self.period
        self.app.push_screen(PublishScreen(first, last))

    def on_screen_resume(self) -> None:
        self.table.focus()
