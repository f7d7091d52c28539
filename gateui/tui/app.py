"""The gate terminal's Textual app and its factory, the one way the CLI and tests build it.

Screen flow: LoginScreen -> GateScreen, which opens the walk-in form, the vehicle screen,
the on-site list and corrections on top of itself. Locking (F9, or no key pressed for
`idle_lock_seconds`) puts a LoginScreen over everything: the same guard logging back in
finds the screen as they left it; another guard gets a fresh gate screen under their name.
"""

from __future__ import annotations

from time import monotonic
from typing import ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType

from gateui.i18n import Language, Translator
from gateui.services.context import GateContext
from gateui.services.views import UserView
from gateui.tui.screens.gate import GateScreen
from gateui.tui.screens.login import LoginScreen
from gateui.tui.screens.roster_shift import after_login, offer_handover
from gateui.tui.theme import DEFAULT_THEME, HIGH_CONTRAST


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
        ctx: GateContext,
        t: Translator,
        *,
        high_contrast: bool = False,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.t = t
        self.high_contrast = high_contrast
        self.cursor_blink = cursor_blink
        self.user: UserView | None = None
        self.locked = False
        self.idle_lock_seconds = float(ctx.site.idle_lock_seconds)
        self.checkpoint_name = ctx.site.checkpoint(ctx.checkpoint_code).name
        self._last_activity = monotonic()

    @property
    def checkpoint_label(self) -> str:
        return f"{self.checkpoint_name} {self.ctx.checkpoint_code}"

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.high_contrast else DEFAULT_THEME
        self.push_screen(LoginScreen())
        # Check a few times per lock period, so the lock comes on time even when it is short.
        self.set_interval(min(1.0, self.idle_lock_seconds / 4), self.lock_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_activity = monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        if self.user is None or self.locked:
            return
        if monotonic() - self._last_activity >= self.idle_lock_seconds:
            self.lock()

    def action_lock(self) -> None:
        if not offer_handover(self):  # at the end of a shift, the handover comes first
            self.lock()

    def lock(self) -> None:
        if self.user is None or self.locked:
            return
        self.locked = True
        self.push_screen(LoginScreen(locked_user=self.user))

    async def logged_in(self, user: UserView) -> None:
        """Called by the login screen once the PIN is right."""
        self._last_activity = monotonic()
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
    ctx: GateContext,
    lang: str = "zh",
    *,
    high_contrast: bool = False,
    cursor_blink: bool = True,
) -> GateApp:
    """Build the app for one open gate. `lang` is "zh" (default) or "en"."""
    language: Language = "en" if lang == "en" else "zh"
    return GateApp(
        ctx,
        Translator(language),
        high_contrast=high_contrast or ctx.site.high_contrast,
        cursor_blink=cursor_blink,
    )
