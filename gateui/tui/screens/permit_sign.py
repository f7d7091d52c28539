"""One signature on an exit permit: the signer's badge and PIN at this terminal.

The first signature is the unit's responsible person's (any active user of the terminal),
the second the site office's (a leader or admin); the service refuses the same person twice,
a wrong role or an expired permit, and the reason is shown under the badge field.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.widgets import Static

from gateui.errors import GateUIError
from gateui.i18n import Translator
from gateui.services import auth, permits
from gateui.services.permits import PermitView
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app
from gateui.tui.screens.override import LeaderModal
from gateui.tui.text import local_time


def window_text(view: PermitView, zone: ZoneInfo) -> tuple[str, str]:
    fmt = "%m-%d %H:%M"
    return local_time(view.valid_from, zone, fmt), local_time(view.valid_until, zone, fmt)


def summary_text(t: Translator, view: PermitView, zone: ZoneInfo) -> str:
    start, end = window_text(view, zone)
    return t(
        "permit.summary",
        name=view.person_name,
        start=start,
        end=end,
        reason=view.reason,
        creator=view.created_by_name,
    )


def signatures_text(t: Translator, view: PermitView, zone: ZoneInfo) -> str:
    """Who signed, for what, when; or that nobody has yet."""
    if not view.signatures:
        return t("permit.no_signatures")
    sep = "；" if t.lang == "zh" else "; "
    names = sep.join(
        t(
            "permit.signature",
            name=s.signer_name,
            step=t(f"permit.step_{s.step}"),
            at=local_time(s.at, zone, "%m-%d %H:%M"),
        )
        for s in view.signatures
    )
    return t("permit.signed_list", names=names)


class PermitSignScreen(LeaderModal[PermitView | None]):
    """Dismisses with the permit as signed, or None when cancelled."""

    title_key = "permit.sign_title"

    def __init__(self, permit: PermitView) -> None:
        super().__init__()
        self.permit = permit

    @property
    def step_words(self) -> str:
        return gate_app(self).t(f"permit.step_{self.permit.next_step or 'office'}")

    def compose_intro(self) -> ComposeResult:
        app = gate_app(self)
        yield Static(summary_text(app.t, self.permit, app.ctx.site.zone), id="override-subject")
        yield Static(signatures_text(app.t, self.permit, app.ctx.site.zone), id="permit-signed")

    def on_mount(self) -> None:
        super().on_mount()
        t = gate_app(self).t
        self.query_one("#leader-box").border_title = t("permit.sign_title", step=self.step_words)
        self.field("leader").query_one(".field--label", Static).update(t("permit.sign_who"))
        self.field("leader_pin").query_one(".field--label", Static).update(t("permit.sign_pin"))

    def verify(self, who: str, pin: str) -> UserView:
        """Any active user may sign for the unit; the service checks the office's role."""
        return auth.login(gate_app(self).ctx, who, pin)

    def finish(self, leader: UserView) -> None:
        app = gate_app(self)
        try:
            view = permits.approve_permit(app.ctx, self.permit.id, leader.id)
        except GateUIError as exc:
            self.field("leader").set_error(app.t.error(exc)[1])
            self.field("leader_pin").input.value = ""
            self.field("leader").input.focus()
            return
        self.dismiss(view)
