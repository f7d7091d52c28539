"""The guard's shift screen (Ctrl+R on the gate screen) and what happens right after a login.

The shift screen says which shift is under way here and where its handover stands, lists
the guard's next shifts with their colleagues, and leads to: writing the handover (F2),
confirming the one waiting for them (F3), attendance (F4) and the roster (F5); those two
are for shift leaders, so anyone else is asked for a leader's badge and PIN first.

After a login (`after_login`): a handover waiting for the incoming guard is shown for
confirmation at once; otherwise the user is told their next shift, and a leader where the
roster is (Ctrl+R, then F5). On F9 near the end of a shift (`offer_handover`), the
handover screen comes before the lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from gateui.errors import GateUIError
from gateui.i18n import Translator
from gateui.services import roster
from gateui.services.roster_shiftchange import (
    handover_shift,
    pending_handover,
    shift_at,
    stood_the_shift,
)
from gateui.services.roster_views import HandoverView, NextShiftView
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.screens.override import LeaderCheckScreen
from gateui.tui.screens.roster_handover import HandoverAckScreen, HandoverWriteScreen
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import day_text, shift_label, stamp

if TYPE_CHECKING:
    from gateui.tui.app import GateApp


class RosterLeaderCheck(LeaderCheckScreen):
    title_key = "roster.ui.leader_check"


def next_shift_line(t: Translator, shift: NextShiftView) -> str:
    line = t(
        "roster.ui.next_shift",
        day=day_text(t, shift.cell.day),
        shift=shift_label(t, shift.cell.shift),
        start=shift.start,
        end=shift.end,
        checkpoint=f"{shift.checkpoint_name} {shift.cell.checkpoint}",
    )
    if shift.colleagues:
        names = t("roster.publish.name_separator").join(g.name for g in shift.colleagues)
        line += " · " + t("roster.ui.with", names=names)
    return line


def as_leader(screen: Screen[None], then: Callable[[UserView], object]) -> None:
    """Run `then` with the logged-in leader, or with one who shows badge and PIN now."""
    user = gate_app(screen).user
    if user is not None and user.is_leader:
        then(user)
        return

    def checked(leader: UserView | None) -> None:
        if leader is not None:
            then(leader)

    screen.app.push_screen(RosterLeaderCheck(), checked)


class ShiftScreen(Screen[None]):
    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "handover", "key.roster_handover", id="roster_shift.handover"),
        Binding("f3", "acknowledge", "key.roster_take_over", id="roster_shift.ack"),
        Binding("f4", "attendance", "key.roster_attendance", id="roster_shift.attendance"),
        Binding("f5", "roster", "key.roster_open", id="roster_shift.roster"),
        Binding("escape", "back", "key.back", id="roster_shift.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.pending: HandoverView | None = None

    @property
    def user(self) -> UserView:
        user = gate_app(self).user
        assert user is not None, "the shift screen opens only after login"
        return user

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self, self.user.name)
        yield Static(t("roster.ui.shift_title", name=self.user.name), id="shift-title")
        with VerticalScroll(id="shift-box"):
            yield Static("", id="shift-now")
            yield Static("", id="shift-next")
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return True if self.pending is not None else None
        return True

    def reload(self) -> None:
        app = gate_app(self)
        t, ctx, zone = app.t, app.ctx, app.ctx.site.zone
        now_lines: list[Text] = []
        current = attempt(self, lambda: shift_at(ctx))
        target = attempt(self, lambda: handover_shift(ctx))
        if current is not None:
            now_lines.append(
                Text(
                    t(
                        "roster.ui.shift_now",
                        checkpoint=app.checkpoint_label,
                        day=day_text(t, current.day),
                        shift=shift_label(t, current.shift),
                        start=current.start,
                        end=current.end,
                    ),
                    style="bold",
                )
            )
        if target is not None:
            written = attempt(
                self,
                lambda: roster.handover_for(ctx, target.day, target.shift, target.cell.checkpoint),
            )
            label = f"{day_text(t, target.day)} {shift_label(t, target.shift)}"
            if written is None:
                status = t("roster.ui.handover_none", shift=label)
            elif written.acknowledged_at is None or written.incoming is None:
                status = t(
                    "roster.ui.handover_waiting", shift=label, at=stamp(written.written_at, zone)
                )
            else:
                status = t(
                    "roster.ui.handover_done",
                    shift=label,
                    guard=written.incoming.name,
                    at=stamp(written.acknowledged_at, zone),
                )
            now_lines.append(Text(status))
        self.pending = attempt(self, lambda: pending_handover(ctx, self.user.id))
        if self.pending is not None:
            p = self.pending
            line = Text("⚠ ", style="bold yellow")
            line.append(
                t(
                    "roster.ui.handover_pending",
                    guard=p.outgoing.name,
                    shift=f"{day_text(t, p.cell.day)} {shift_label(t, p.cell.shift)}",
                )
            )
            now_lines.append(line)
        self.query_one("#shift-now", Static).update(Text("\n").join(now_lines))
        shifts = attempt(self, lambda: roster.my_next_shifts(ctx, self.user.id, limit=8)) or []
        lines = [Text(t("roster.ui.next_title"), style="bold")]
        lines += [Text("  " + next_shift_line(t, s)) for s in shifts]
        if not shifts:
            lines.append(Text("  " + t("roster.ui.next_none")))
        self.query_one("#shift-next", Static).update(Text("\n").join(lines))
        self.refresh_bindings()

    def action_handover(self) -> None:
        app = gate_app(self)
        target = attempt(self, lambda: handover_shift(app.ctx))
        if target is None:
            return
        written = attempt(
            self,
            lambda: roster.handover_for(app.ctx, target.day, target.shift, target.cell.checkpoint),
        )
        if written is not None:
            app.notify(
                app.t(
                    "roster.ui.handover_exists",
                    guard=written.outgoing.name,
                    at=stamp(written.written_at, app.ctx.site.zone),
                ),
                severity="warning",
            )
            return
        self.app.push_screen(HandoverWriteScreen(self.user, target))

    def action_acknowledge(self) -> None:
        if self.pending is not None:
            self.app.push_screen(HandoverAckScreen(self.pending, self.user))

    # The attendance and roster screens (the roster brings the grid, planning, publishing
    # and export with it) load when first opened: this module is loaded behind the login
    # screen for every guard, and most never open them.
    def action_attendance(self) -> None:
        from gateui.tui.screens.roster_attendance import AttendanceScreen

        as_leader(self, lambda _leader: self.app.push_screen(AttendanceScreen()))

    def action_roster(self) -> None:
        from gateui.tui.screens.roster import RosterScreen

        as_leader(self, lambda leader: self.app.push_screen(RosterScreen(leader)))

    def action_back(self) -> None:
        self.dismiss(None)


def offer_handover(app: GateApp) -> bool:
    """F9 near the end of a shift whose handover is not written, by a guard who stood it:
    the handover first (saved, or skipped with Esc), then the lock. False: just lock."""
    user, ctx = app.user, app.ctx
    if user is None or app.locked:
        return False
    window = timedelta(minutes=ctx.site.roster.checkin_early_minutes)
    try:
        target = handover_shift(ctx)
        if not target.ends_at - window <= ctx.now() < target.ends_at + window:
            return False
        if roster.handover_for(ctx, target.day, target.shift, target.cell.checkpoint):
            return False
        if not stood_the_shift(ctx, user.id, target):
            return False  # e.g. the incoming guard locking for a moment
    except GateUIError:
        return False  # a roster problem must never stand between the guard and the lock
    app.push_screen(HandoverWriteScreen(user, target, locking=True), lambda _: app.lock())
    return True


def after_login(app: GateApp, user: UserView) -> None:
    """Called once the gate screen is up for a newly logged-in user: a handover waiting for
    them is shown at once; otherwise their next shift (and, for a leader, where the roster
    is) comes as a short message."""
    ctx = app.ctx
    screen = app.screen
    pending = attempt(screen, lambda: pending_handover(ctx, user.id))
    if pending is not None:
        app.push_screen(HandoverAckScreen(pending, user))
        return
    shifts = attempt(screen, lambda: roster.my_next_shifts(ctx, user.id, limit=1)) or []
    lines = [app.t("roster.ui.your_next", shift=next_shift_line(app.t, s)) for s in shifts]
    if user.is_leader:
        lines.append(app.t("roster.ui.leader_hint"))
    if lines:
        app.notify("\n".join(lines), timeout=8)
