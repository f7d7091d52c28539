"""Where the gate screen leads: a scanned pass, a text nobody matches, and every screen the
gate opens on top of itself (walk-in form, vehicle, registration, person detail, corrections,
sync, shift desk, permits/report desk, on-site list), with what it does with their answers.

The gate screen (gate.py) keeps the scan field, the card and the save; its key actions call
these functions. Each screen module is imported when it is first opened: a guard who never
presses F6 never pays for loading the corrections screen, and the gate comes up sooner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app
from gateui.tui.screens.walk_in import is_plate, offers_walk_in

if TYPE_CHECKING:
    from gateui.tui.screens.gate import GateScreen
    from gateui.tui.screens.vehicle import VehicleSaved
    from gateui.tui.screens.walk_in import WalkIn


# A pass refused for these reasons still names a known person; status and watch-list
# refusals are the card's own hit (a leader's override, as for any scan).
REFUSED_PASS_CODES = frozenset({"pass.revoked", "pass.expired", "pass.not_yet_valid"})


def check_pass(gate: GateScreen, text: str) -> None:
    """A signed QR pass, checked offline. A refused pass of a known person still shows
    their card (a hit is loud there), with the refusal in words above it."""
    from gateui.services import passes

    app = gate_app(gate)
    check = attempt(gate, lambda: passes.verify_scanned_pass(app.ctx, text))
    if check is None:
        return
    if check.ok and check.vehicle is not None:
        open_vehicle(gate, check.vehicle.id)
        return
    if check.person is not None:
        gate.show_person(check.person.id)
        if not check.ok and check.reason in REFUSED_PASS_CODES:
            # The card is theirs, the pass is not good: Enter records a refused attempt,
            # a leader who checked the ID card may override (F8).
            gate.pane.refuse((f"pass:{check.reason.removeprefix('pass.')}",))
    if not check.ok:
        reason = app.t(check.reason or "pass.malformed", **check.params)
        gate.say(app.t("gate.pass_refused", reason=reason), "denied")
        if check.person is None:
            gate.scan.restore(text)


def no_match(gate: GateScreen, text: str) -> None:
    """Enter on a text nobody matches: a walk-in for a name or ID number, a registration
    for a plate, else "not found" with the text kept for the next try."""
    if offers_walk_in(text):
        open_walk_in(gate, text)
        return
    if is_plate(text):
        open_vehicle_register(gate, text)
        return
    gate.say(gate_app(gate).t("gate.not_found", text=text), "referred")
    gate.scan.restore(text)  # visible, and selected so that the next scan replaces it
    gate.focus_scan()


def open_walk_in(gate: GateScreen, text: str) -> None:
    """The form starts with what was typed; cancelled, the text returns to the field."""
    from gateui.tui.screens.walk_in import WalkInScreen

    def walked_in(result: WalkIn | None) -> None:
        if result is None:
            gate.scan.restore(text)
            gate.focus_scan()
            return
        gate.say(gate_app(gate).t("walk_in.saved", name=result.name), "admitted")
        gate.show_person(result.person_id, purpose=result.purpose or None)

    gate.app.push_screen(WalkInScreen(text), walked_in)


def vehicle_key(gate: GateScreen) -> None:
    """F4: the vehicle among the matches, or a plate nobody registered to register."""
    vehicles = [m for m in gate.matches if m.kind == "vehicle"]
    typed = gate.scan.value.strip()
    if not vehicles and is_plate(typed):
        gate.scan.value = ""
        open_vehicle_register(gate, typed)
        return
    if not vehicles:
        gate.say(gate_app(gate).t("gate.vehicle_first"), "referred")
        gate.focus_scan()
        return
    gate.scan.value = ""
    open_vehicle(gate, vehicles[0].id)


def open_vehicle(gate: GateScreen, vehicle_id: str) -> None:
    from gateui.tui.screens.vehicle import VehicleScreen, saved_vehicle_text

    def done(saved: VehicleSaved | None) -> None:
        if saved is not None:
            gate.say(saved_vehicle_text(gate_app(gate).t, saved), saved.result.outcome)
        gate.refresh_side()
        gate.focus_scan()

    gate.app.push_screen(VehicleScreen(vehicle_id), done)


def open_vehicle_register(gate: GateScreen, text: str) -> None:
    """An unknown plate: a short registration, then the vehicle screen. Cancelled, the
    typed plate returns to the scan field."""
    from gateui.tui.screens.vehicle_register import VehicleRegisterScreen

    def registered(vehicle_id: str | None) -> None:
        t = gate_app(gate).t
        if vehicle_id is None:
            gate.say(t("gate.vehicle_not_registered", text=text), "referred")
            gate.scan.restore(text)
            gate.focus_scan()
            return
        gate.say(t("vehicle_register.saved"), "admitted")
        open_vehicle(gate, vehicle_id)

    gate.app.push_screen(VehicleRegisterScreen(text), registered)


def open_person_detail(gate: GateScreen) -> None:
    """The leader's view of the person on the card (full ID number): badge + PIN first."""
    from gateui.tui.screens.override import LeaderCheckScreen
    from gateui.tui.screens.person_detail import PersonDetailScreen

    card = gate.card
    if card is None:
        return

    def verified(leader: UserView | None) -> None:
        if leader is None:
            gate.focus_scan()
        else:
            gate.app.push_screen(PersonDetailScreen(card.id, leader))

    gate.app.push_screen(LeaderCheckScreen(), verified)


def open_corrections(gate: GateScreen) -> None:
    """Corrections of saved entries: a leader's badge + PIN first."""
    from gateui.tui.screens.correction import CorrectionScreen
    from gateui.tui.screens.override import LeaderCheckScreen

    def verified(leader: UserView | None) -> None:
        if leader is None:
            gate.focus_scan()
        else:
            gate.app.push_screen(CorrectionScreen(leader))

    gate.app.push_screen(LeaderCheckScreen(), verified)


def open_sync_details(gate: GateScreen) -> None:
    from gateui.tui.screens.sync_details import SyncScreen

    gate.app.push_screen(SyncScreen())


def open_shift_desk(gate: GateScreen) -> None:
    """My shifts, the handover, attendance and (for leaders) the roster."""
    from gateui.tui.screens.roster_shift import ShiftScreen

    gate.app.push_screen(ShiftScreen())


def open_desk(gate: GateScreen) -> None:
    """Exit permits and the daily report (the menu offers a permit for the card's person)."""
    from gateui.tui.screens.report_menu import DeskMenu

    card = gate.card
    gate.app.push_screen(DeskMenu(card.id if card else None, card.name if card else None))


def open_on_site(gate: GateScreen) -> None:
    from gateui.tui.screens.muster import MusterScreen

    gate.app.push_screen(MusterScreen())
