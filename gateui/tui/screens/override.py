"""A shift leader's badge and PIN, at the guard's terminal: to override a refusal or a hit
(with a reason, recorded with the entry), or to open corrections."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gateui.errors import PermissionDeniedError
from gateui.services import auth
from gateui.services.passages import Override
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app, settle_inputs
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar

ResultT = TypeVar("ResultT")


class LeaderModal(ModalScreen[ResultT]):
    """Badge/name + PIN of a leader; subclasses add fields and build the result."""

    CSS_PATH = "override.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "key.cancel", id="leader.cancel")
    ]
    title_key = "leader.title"
    field_order: tuple[str, ...] = ("leader", "leader_pin")

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        with Vertical(id="leader-box") as box:
            box.border_title = t(self.title_key)
            yield from self.compose_intro()
            yield FormField("leader", t("leader.who"), placeholder=t("login.who_hint"))
            yield FormField(
                "leader_pin", t("leader.pin"), password=True, restrict=r"[0-9]*", max_length=8
            )
            yield from self.compose_extra()
            yield Static(t("leader.hint"), id="leader-hint")
        yield KeyBar(t)

    def compose_intro(self) -> ComposeResult:
        yield from ()

    def compose_extra(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        settle_inputs(self)
        self.query_one("#leader-input", Input).focus()

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        names = list(self.field_order)
        current = (event.input.id or "").removesuffix("-input")
        if current in names and names.index(current) < len(names) - 1:
            # Enter moves on to the next field, as after a badge scan.
            self.field(names[names.index(current) + 1]).input.focus()
            return
        self.submit()

    def check_extra(self) -> bool:
        return True

    def submit(self) -> None:
        app = gate_app(self)
        for name in self.field_order:
            self.field(name).set_error(None)
        if not self.check_extra():
            return
        who, pin = self.field("leader").value, self.field("leader_pin").value
        try:
            leader = self.verify(who, pin)
        except Exception as exc:  # wrong PIN, locked, not a leader, storage: say it in words
            message = app.t.error(exc)[1]
            code = getattr(exc, "code", "")
            on_who = isinstance(exc, PermissionDeniedError) or code == "auth.unknown_user"
            target = self.field("leader" if on_who else "leader_pin")
            target.set_error(message)
            self.field("leader_pin").input.value = ""
            target.input.focus()
            return
        self.finish(leader)

    def verify(self, who: str, pin: str) -> UserView:
        """Badge + PIN of a leader; a subclass may accept other users (permit signers)."""
        return auth.verify_leader(gate_app(self).ctx, who, pin)

    def finish(self, leader: UserView) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideScreen(LeaderModal[Override | None]):
    """Dismisses with the leader's Override, or None when nobody authorised."""

    title_key = "override.title"
    field_order = ("leader", "leader_pin", "reason")

    def __init__(self, subject: str, reasons: str) -> None:
        super().__init__()
        self.subject = subject
        self.reasons = reasons

    def compose_intro(self) -> ComposeResult:
        yield Static(self.subject, id="override-subject")
        yield Static(self.reasons, id="override-reasons")

    def compose_extra(self) -> ComposeResult:
        t = gate_app(self).t
        yield FormField("reason", t("override.reason"), placeholder=t("override.reason_hint"))

    def check_extra(self) -> bool:
        if self.field("reason").value.strip():
            return True
        reason = self.field("reason")
        reason.set_error(gate_app(self).t("override.reason_required"))
        reason.input.focus()
        return False

    def finish(self, leader: UserView) -> None:
        self.dismiss(Override(leader.id, self.field("reason").value.strip()))


class LeaderCheckScreen(LeaderModal[UserView | None]):
    """Dismisses with the verified leader (for corrections), or None."""

    title_key = "leader.check_title"

    def finish(self, leader: UserView) -> None:
        self.dismiss(leader)
