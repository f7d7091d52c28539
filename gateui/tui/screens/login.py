"""Log in with a badge scan (or a name, or pinyin initials) and a PIN.

Also the lock screen: when the gate locks, this screen covers everything; the guard on duty
unlocks with their PIN, or another guard takes over.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app, settle_inputs
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.header import HeaderLine
from gateui.tui.widgets.keybar import KeyBar


class LoginScreen(Screen[None]):
    CSS_PATH = "login.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "key.clear", id="login.clear"),
    ]

    def __init__(self, locked_user: UserView | None = None) -> None:
        super().__init__()
        self.locked_user = locked_user

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        # From the site file, not the database: the login screen is painted before the
        # database has finished opening (gateui.services.startup).
        yield HeaderLine(
            t,
            site=app.site.name,
            checkpoint=app.checkpoint_label,
            zone=app.site.zone,
            clock=app.clock,
        )
        with Vertical(id="login-box"):
            yield Static(t("login.title"), id="login-title")
            if self.locked_user is not None:
                yield Static(t("login.locked", name=self.locked_user.name), id="login-locked")
            yield FormField("who", t("login.who"), placeholder=t("login.who_hint"))
            yield FormField("pin", t("login.pin"), password=True, restrict=r"[0-9]*", max_length=8)
            yield Static("", id="login-error")
            yield Static(t("login.hint"), id="login-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        self.query_one("#who-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        who = self.query_one("#who-input", Input)
        pin = self.query_one("#pin-input", Input)
        if event.input is who:
            # A badge scan ends with Enter: go on to the PIN.
            if who.value.strip():
                pin.focus()
            return
        if not who.value.strip():
            who.focus()
            return
        self.run_login(who.value, pin.value)

    def run_login(self, who: str, pin: str) -> None:
        from gateui.services import auth  # SQLAlchemy and argon2: after the first paint

        app = gate_app(self)
        error = self.query_one("#login-error", Static)
        try:
            user = auth.login(app.ctx, who, pin)
        except Exception as exc:  # LoginError, StorageError, anything: words on screen
            _title, message = app.t.error(exc)
            error.update(f"✖ {message}")
            pin_input = self.query_one("#pin-input", Input)
            pin_input.value = ""
            code = getattr(exc, "code", "")
            target = "#who-input" if code == "auth.unknown_user" else "#pin-input"
            self.query_one(target, Input).focus()
            return
        error.update("")
        # The app swaps screens (this one included), so it must run there, not in our worker.
        app.call_later(app.logged_in, user)

    def action_clear(self) -> None:
        for field in self.query(Input):
            field.value = ""
        self.query_one("#login-error", Static).update("")
        self.query_one("#who-input", Input).focus()
