"""Cancelling an exit permit: a leader's badge and PIN and a reason, over the permit list.

The service refuses a permit already cancelled or expired and a user who is not a leader;
the reason is shown under the field it concerns and nothing is written.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from gateui.errors import GateUIError
from gateui.services import permits
from gateui.services.permits import PermitView
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app
from gateui.tui.screens.override import LeaderModal
from gateui.tui.screens.permit_sign import signatures_text, summary_text
from gateui.tui.widgets.field import FormField


class PermitCancelScreen(LeaderModal[PermitView | None]):
    """Dismisses with the cancelled permit, or None when the leader gave up (Esc)."""

    title_key = "permit.cancel_title"
    field_order = ("leader", "leader_pin", "reason")

    def __init__(self, permit: PermitView) -> None:
        super().__init__()
        self.permit = permit

    def compose_intro(self) -> ComposeResult:
        app = gate_app(self)
        yield Static(summary_text(app.t, self.permit, app.ctx.site.zone), id="override-subject")
        yield Static(signatures_text(app.t, self.permit, app.ctx.site.zone), id="permit-signed")

    def compose_extra(self) -> ComposeResult:
        t = gate_app(self).t
        yield FormField(
            "reason", t("permit.cancel_reason"), placeholder=t("permit.cancel_reason_hint")
        )

    def check_extra(self) -> bool:
        if self.field("reason").value.strip():
            return True
        reason = self.field("reason")
        reason.set_error(gate_app(self).t("permit.cancel_reason_required"))
        reason.input.focus()
        return False

    def finish(self, leader: UserView) -> None:
        app = gate_app(self)
        try:
            view = permits.cancel_permit(
                app.ctx, self.permit.id, leader.id, self.field("reason").value
            )
        except GateUIError as exc:
            self.field("reason").set_error(app.t.error(exc)[1])
            self.field("leader_pin").input.value = ""
            self.field("reason").input.focus()
            return
        self.dismiss(view)
