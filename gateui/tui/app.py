"""The gate terminal's Textual app and its factory, the one way the CLI and tests build it.

Screen flow: LoginScreen -> GateScreen, which opens the walk-in form, the vehicle screen,
the on-site list and corrections on top of itself. Locking (F9, or no key pressed for
`idle_lock_seconds`) puts a LoginScreen over everything: the same guard logging back in
finds the screen as they left it; another guard gets a fresh gate screen under their name.

Start-up is cut to what the login screen needs: the other screens are imported when they
first open, and with a `GateOpening` (see `gateui.services.startup`) the database is opened
in a worker thread once the login screen has been painted; `app.ctx` waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from gateui.config_glance import FirstScreenSite
from gateui.i18n import Language, Translator
from gateui.services.startup import GateOpening, start_checkpoints, stop_checkpoints
from gateui.services.views import UserView
from gateui.tui.screens.login import LoginScreen
from gateui.tui.theme import DEFAULT_THEME, HIGH_CONTRAST

if TYPE_CHECKING:
    from gateui.services.context import GateContext

OPEN_WORKER = "gate.open-database"


class GateApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "GateUI"
    # The command palette is English-only and mouse-minded; the key bar lists every action.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        gate: GateContext | GateOpening,
        t: Translator,
        *,
        high_contrast: bool = False,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        if isinstance(gate, GateOpening):
            self._opening: GateOpening | None = gate
            self._ctx: GateContext | None = None
        else:
            self._opening, self._ctx = None, gate
        # A glance at the site file until the database is open (gateui.config_glance); the
        # screens after the login read the validated one, `ctx.site`.
        self.site: FirstScreenSite = gate.site
        self.clock: Callable[[], datetime] = gate.now  # the device clock, as services see it
        self.checkpoint_code = gate.checkpoint_code
        self.t = t
        self.high_contrast = high_contrast
        self.cursor_blink = cursor_blink
        self.user: UserView | None = None
        self.locked = False
        self.idle_lock_seconds = float(gate.site.idle_lock_seconds)
        self.checkpoint_name = gate.site.checkpoint(gate.checkpoint_code).name
        # What the idle lock measures time with; tests hand in a clock they move by hand.
        self.idle_clock: Callable[[], float] = monotonic
        self.idle_timer: Timer | None = None
        self._last_activity = self.idle_clock()

    @property
    def ctx(self) -> GateContext:
        """The open gate. While it is still opening behind the login screen, this waits
        for it (a PIN check is the first thing that needs it) and raises what failed."""
        if self._ctx is None:
            assert self._opening is not None
            self._ctx = self._opening.open()
        return self._ctx

    @property
    def checkpoint_label(self) -> str:
        return f"{self.checkpoint_name} {self.checkpoint_code}"

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else DEFAULT_THEME
        self.push_screen(LoginScreen())
        # Check a few times per lock period, so the lock comes on time even when it is short.
        self.idle_timer = self.set_interval(min(1.0, self.idle_lock_seconds / 4), self.lock_if_idle)
        if self._opening is not None:
            self.call_after_refresh(self._open_behind_login)  # it starts the checkpoints
        elif self._ctx is not None:
            start_checkpoints(self._ctx)

    def on_unmount(self) -> None:
        # WAL checkpoints run in the background while the terminal runs, and end with it.
        if self._opening is not None:
            self._opening.stop_checkpoints()
        elif self._ctx is not None:
            stop_checkpoints(self._ctx)

    def _open_behind_login(self) -> None:
        if self._opening is not None and not self._opening.opened:
            self.run_worker(self._open_and_load, name=OPEN_WORKER, thread=True, exit_on_error=False)

    def _open_and_load(self) -> None:
        """The worker behind the login screen: open the database, then load what a login
        leads to (the PIN check, the gate screen, the shift check) while the guard types."""
        assert self._opening is not None
        self._opening.open()
        import gateui.services.auth
        import gateui.tui.screens.gate
        import gateui.tui.screens.roster_shift  # noqa: F401

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == OPEN_WORKER and event.state is WorkerState.ERROR:
            if self._opening is not None and self._opening.fatal is not None:
                self.exit()  # a site file refused: `gateui` reports it, as before any screen
                return
            # Said now, in words; the login tries to open again and says it again if need be.
            title, message = self.t.error(event.worker.error or RuntimeError())
            self.notify(message, title=title, severity="error", timeout=10)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_activity = self.idle_clock()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        if self.user is None or self.locked:
            return
        if self.idle_clock() - self._last_activity >= self.idle_lock_seconds:
            self.lock()

    def action_lock(self) -> None:
        from gateui.tui.screens.roster_shift import offer_handover

        if not offer_handover(self):  # at the end of a shift, the handover comes first
            self.lock()

    def lock(self) -> None:
        if self.user is None or self.locked:
            return
        self.locked = True
        self.push_screen(LoginScreen(locked_user=self.user))

    async def logged_in(self, user: UserView) -> None:
        """Called by the login screen once the PIN is right."""
        from gateui.tui.screens.gate import GateScreen
        from gateui.tui.screens.roster_shift import after_login

        self._last_activity = self.idle_clock()
        if self.locked and self.user is not None and user.id == self.user.id:
            self.locked = False
            await self.pop_screen()
            return
        self.user = user
        self.locked = False
        # Another guard takes over: drop whatever the previous one had open.
        while len(self.screen_stack) > 2:
            await self.pop_screen()
        await self.switch_screen(GateScreen())
        after_login(self, user)  # a handover to acknowledge, a leader's roster, my next shift


def create_app(
    gate: GateContext | GateOpening,
    lang: str = "zh",
    *,
    high_contrast: bool = False,
    cursor_blink: bool = True,
) -> GateApp:
    """Build the app for one gate: open (a GateContext, as the tests pass it) or opening
    behind the login screen (a GateOpening, as `gateui` starts it when it can).
    `lang` is "zh" (default) or "en"."""
    language: Language = "en" if lang == "en" else "zh"
    return GateApp(
        gate,
        Translator(language),
        high_contrast=high_contrast or gate.site.high_contrast,
        cursor_blink=cursor_blink,
    )
