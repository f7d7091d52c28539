"""The exit-permit check on the gate screen's exit path.

When the site's rules ask some people for a permit to leave (`[site.permits]`), the card of
such a person, shown with direction out, says whether a permit lets them out. Enter then
saves the exit through services.permits.register_exit, which checks again in the same
transaction. A refused exit goes through the leader's override screen, like a hit: the
leader authorises it (recorded on the entry) or it is saved as refused, with the reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateui.domain.direction import Direction
from gateui.services import permits
from gateui.services.passages import Override
from gateui.services.views import PersonCard
from gateui.tui.screens.base import attempt, gate_app
from gateui.tui.text import local_time, saved_person_text

if TYPE_CHECKING:
    from gateui.tui.screens.gate import GateScreen


def _site_has_rules(screen: GateScreen) -> bool:
    rules = permits.site_permit_config(gate_app(screen).ctx)
    return bool(rules.statuses or rules.kinds)


def refresh_exit_check(screen: GateScreen) -> None:
    """After a card is shown or the direction changes: what the permit rule says of an exit."""
    pane = screen.pane
    pane.exit_note = None
    card = pane.card
    if card is not None and pane.direction is Direction.OUT and _site_has_rules(screen):
        app = gate_app(screen)
        check = attempt(screen, lambda: permits.check_exit(app.ctx, card.id))
        if check is not None and check.needed:
            t = app.t
            if check.allowed and check.permit is not None:
                until = local_time(check.permit.valid_until, app.ctx.site.zone, "%m-%d %H:%M")
                pane.exit_note = ("admitted", t("permit.exit_allowed", until=until))
            else:
                reason = t(check.reason or "permit.none")
                pane.exit_note = ("denied", t("permit.exit_refused", reason=reason))
    pane.render_verdict()


def exit_refusal(screen: GateScreen) -> str | None:
    """The refusal in words when this exit needs a permit the person does not have."""
    note = screen.pane.exit_note
    if note is None or note[0] == "admitted" or screen.pane.direction is not Direction.OUT:
        return None
    return note[1]


def save_exit(screen: GateScreen, card: PersonCard, override: Override | None) -> bool:
    """Save an exit under the site's permit rules; False when the site has none (the gate
    saves it as usual). The card stays on screen if the save fails."""
    if not _site_has_rules(screen):
        return False
    app = gate_app(screen)
    user_id = screen.user.id
    saved = attempt(screen, lambda: permits.register_exit(app.ctx, user_id, card.id, override))
    if saved is None:
        screen.focus_scan()
        return True
    result, _check = saved
    screen.say(saved_person_text(app.t, card.name, Direction.OUT.value, result), result.outcome)
    screen.clear_card()
    screen.refresh_side()
    screen.focus_scan()
    return True
