"""Who came to the shift: rostered against present at every checkpoint.

A login at a gate terminal is the check-in. Each rostered guard reads present, late (with
the minutes), expected (grace not over), no-show (grace over) or logged in at another
checkpoint; guards who logged in without being rostered are listed too. ← → step to the
previous or next shift, so at a shift change the leader sees both sides of it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from gateui.services import roster
from gateui.services.roster_shiftchange import ShiftAt, neighbour_shift, shift_at
from gateui.services.roster_views import AttendanceView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.text import local_time
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import attendance_line, day_text, shift_label


class AttendanceScreen(Screen[None]):
    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "shift(-1)", show=False, id="roster_attendance.prev"),
        Binding("right", "shift(1)", show=False, id="roster_attendance.next"),
        Binding("f5", "reload", "key.reload", id="roster_attendance.reload"),
        Binding("escape", "back", "key.back", id="roster_attendance.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shift: ShiftAt | None = None

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static("", id="attendance-title")
        with VerticalScroll(id="attendance-box"):
            yield Static("", id="attendance-body")
        yield KeyBar(t)

    def key_hints(self) -> list[tuple[str, str]]:
        return [("←/→", gate_app(self).t("key.roster_shift_step"))]

    def on_mount(self) -> None:
        ctx = gate_app(self).ctx
        self.shift = attempt(self, lambda: shift_at(ctx))
        self.action_reload()
        self.set_interval(30.0, self.action_reload)  # logins at other terminals arrive too
        self.query_one("#attendance-box").focus()

    def action_shift(self, step: int) -> None:
        ctx = gate_app(self).ctx
        current = self.shift
        if current is not None:
            self.shift = attempt(self, lambda: neighbour_shift(ctx, current, step)) or current
            self.action_reload()

    def action_reload(self) -> None:
        app = gate_app(self)
        t, shift = app.t, self.shift
        if shift is None:
            return
        views = attempt(
            self,
            lambda: [
                roster.attendance(app.ctx, shift.day, shift.shift, cp.code)
                for cp in app.ctx.site.checkpoints
            ],
        )
        if views is None:
            return
        zone = app.ctx.site.zone
        now = app.ctx.now()
        when = "now" if shift.starts_at <= now < shift.ends_at else "other"
        self.query_one("#attendance-title", Static).update(
            t(
                f"roster.ui.attendance_title_{when}",
                shift=shift_label(t, shift.shift),
                day=day_text(t, shift.day),
                start=shift.start,
                end=shift.end,
                grace=local_time(views[0].grace_ends_at, zone) if views else "",
            )
        )
        self.query_one("#attendance-body", Static).update(self.body(views))

    def body(self, views: list[AttendanceView]) -> Text:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        names = {cp.code: cp.name for cp in app.ctx.site.checkpoints}
        lines: list[Text] = []
        for view in views:
            code = view.cell.checkpoint
            missing = len(view.missing)
            head = t(
                "roster.ui.attendance_head",
                checkpoint=f"{names.get(code, code)} {code}",
                rostered=len(view.rostered),
                required=view.required,
                present=view.present,
                missing=missing,
            )
            lines.append(Text(head, style="bold red" if missing else "bold"))
            if not view.rostered:
                lines.append(Text("  " + t("roster.ui.attendance_nobody")))
            for row in (*view.rostered, *view.unrostered):
                line = Text("  ")
                line.append_text(attendance_line(t, row, zone))
                lines.append(line)
            lines.append(Text(""))
        return Text("\n").join(lines)

    def action_back(self) -> None:
        self.dismiss(None)
