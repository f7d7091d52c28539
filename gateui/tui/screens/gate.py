"""The gate screen: one scan/search field, the card of who is at the gate, the checklist.

A pass holder with nothing abnormal is two keys: scan (the scanner types the code and
Enter), then Enter. The scan field has the focus and gets it back after every action, so
a keyboard-wedge scanner can never type into the wrong place for long.

Service calls run synchronously: a save is one fsync'd SQLite transaction of a few
milliseconds, and running it on the event loop means that when "saved" shows, the entry
is on disk, and keys typed meanwhile wait in the queue instead of racing the save.

This module keeps the scan field, the card and the save; where a scan or a key leads
beyond them (a pass, an unknown text, the screens opened on top) is in gate_open.py.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from gateui.domain.direction import Direction, toggle
from gateui.domain.passes import looks_like_pass
from gateui.services import lookup, passages, presence
from gateui.services.passages import Override, PassageResult, PersonPassage
from gateui.services.views import Match, PersonCard, UserView
from gateui.tui.screens import gate_open
from gateui.tui.screens.base import attempt, gate_app, header_line, settle_inputs
from gateui.tui.screens.gate_checklist import follow_checklist, save_following_checklist
from gateui.tui.screens.override import OverrideScreen
from gateui.tui.screens.permit_gate import exit_refusal, refresh_exit_check, save_exit
from gateui.tui.screens.walk_in import offers_walk_in
from gateui.tui.text import reasons_text, saved_person_text
from gateui.tui.widgets.cards import mark_outcome, match_text
from gateui.tui.widgets.choice import ChoiceRow
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.passage import PassagePane
from gateui.tui.widgets.scan import ScanInput
from gateui.tui.widgets.side import SidePanel
from gateui.tui.widgets.sync_line import SyncLine


class GateScreen(Screen[None]):
    CSS_PATH = "gate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "admit", "key.admit", show=False, id="gate.admit"),
        Binding("f2", "toggle_direction", "key.direction", id="gate.direction"),
        Binding("f3", "walk_in", "key.walk_in", id="gate.walk_in"),
        Binding("f4", "vehicle", "key.vehicle", id="gate.vehicle"),
        Binding("f5", "on_site", "key.on_site", id="gate.on_site"),
        Binding("f6", "corrections", "key.corrections", id="gate.corrections"),
        Binding("f7", "checklist", "key.checklist", id="gate.checklist"),
        Binding("f8", "override", "key.override", id="gate.override"),
        Binding("f9", "app.lock", "key.lock", id="gate.lock"),
        Binding("f10", "desk", "key.desk", id="gate.desk"),
        Binding("escape", "clear", "key.clear", id="gate.clear"),
        # The key bar is full at 80 columns: F11 is named on the card beside the masked ID
        # number, F12 at the start of the sync line.
        Binding("f11", "person_detail", "key.person_detail", show=False, id="gate.person_detail"),
        Binding("f12", "sync_details", "key.sync", show=False, id="gate.sync"),
        Binding("ctrl+r", "shift_desk", "key.roster_shift", id="gate.shift"),
        Binding("up", "move_match(-1)", show=False, id="gate.match_up"),
        Binding("down", "move_match(1)", show=False, id="gate.match_down"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.purpose: str | None = None
        self.matches: list[Match] = []
        self._shown_hints: list[tuple[str, str]] = []

    @property
    def user(self) -> UserView:
        user = gate_app(self).user
        assert user is not None, "the gate screen opens only after login"
        return user

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self, self.user.name)
        with Horizontal(id="gate-body"):
            with Vertical(id="gate-main"):
                scan = ScanInput(
                    placeholder=t("gate.scan_placeholder"), id="scan", select_on_focus=False
                )
                scan.border_title = t("gate.scan_title")
                yield scan
                yield Static("", id="gate-status")
                with ContentSwitcher(initial="hint", id="panes"):
                    yield Static(t("gate.hint"), id="hint")
                    matches = OptionList(id="matches")
                    matches.can_focus = False  # the scan field keeps the focus; ↑↓ move here
                    yield matches
                    yield Static("", id="no-match")
                    yield PassagePane(
                        t,
                        app.ctx.site.zone,
                        app.ctx.checklist,
                        id_hint=t("card.detail_hint"),
                        id="card-pane",
                    )
            yield SidePanel(t, app.ctx.site.zone, id="side")
        yield SyncLine(key_hint=("F12", t("key.sync")), id="sync-line")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        self.refresh_side()
        self.set_interval(10.0, self.refresh_side)  # other terminals and sync change counts
        self.focus_scan()

    def on_screen_resume(self) -> None:
        self.refresh_side()
        self.focus_scan()

    # --- helpers -----------------------------------------------------------------------

    @property
    def scan(self) -> ScanInput:
        return self.query_one("#scan", ScanInput)

    def focus_scan(self) -> None:
        self.scan.focus()

    def refresh_side(self) -> None:
        ctx = gate_app(self).ctx
        counts = attempt(self, lambda: presence.on_site_counts(ctx))
        entries = attempt(self, lambda: presence.recent_entries(ctx, limit=16))
        if counts is not None and entries is not None:
            self.query_one(SidePanel).show(counts, entries)
        # A save changes the pending count too: show it now, not at the next tick.
        self.query_one(SyncLine).refresh_status()

    def say(self, message: str, outcome: str | None = None) -> None:
        """The status line under the scan field: saved, refused, not found."""
        status = self.query_one("#gate-status", Static)
        mark_outcome(status, outcome)
        status.update(message)

    def key_hints(self) -> list[tuple[str, str]]:
        """What Enter does now, for the key bar (Enter is the scan field's own key)."""
        t = gate_app(self).t
        if self.scan.value.strip():
            pick = [("↑↓", t("key.select"))] if len(self.matches) > 1 else []
            return [("Enter", t("key.find")), *pick]
        return [("Enter", t("key.admit"))] if self.card is not None else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "person_detail":
            return self.card is not None
        if action in ("toggle_direction", "checklist", "admit"):
            return self.card is not None or None
        if action == "override":
            return (self.card is not None and self.direction is Direction.IN) or None
        return True

    # --- searching -----------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "scan":
            return
        text = event.value.strip()
        switcher = self.query_one("#panes", ContentSwitcher)
        if not text:
            self.matches = []
            switcher.current = "card-pane" if self.card is not None else "hint"
            self.refresh_hints()
            return
        if looks_like_pass(text):
            # A pass is checked on Enter; searching its hundred characters one by one as
            # the scanner types them would only slow the scan down.
            self.matches = []
            self.query_one("#no-match", Static).update(gate_app(self).t("gate.pass_scanned"))
            switcher.current = "no-match"
            self.refresh_hints()
            return
        ctx, t = gate_app(self).ctx, gate_app(self).t
        self.matches = attempt(self, lambda: lookup.find(ctx, text)) or []
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        options.add_options([Option(match_text(t, m)) for m in self.matches])
        if self.matches:
            options.highlighted = 0
            switcher.current = "matches"
        else:
            key = "gate.no_match_walk_in" if offers_walk_in(text) else "gate.no_match"
            self.query_one("#no-match", Static).update(t(key))
            switcher.current = "no-match"
        self.refresh_hints()

    def refresh_hints(self) -> None:
        """Redraw the key bar only when what Enter means has changed, not on every key."""
        hints = self.key_hints()
        if hints != self._shown_hints:
            self._shown_hints = hints
            self.refresh_bindings()

    def on_choice_row_typed(self, event: ChoiceRow.Typed) -> None:
        """Typing while in the checklist goes to the scan field, where scans belong."""
        self.focus_scan()
        self.scan.insert_text_at_cursor(event.character)

    def action_move_match(self, step: int) -> None:
        options = self.query_one("#matches", OptionList)
        if self.matches and options.highlighted is not None:
            options.highlighted = max(0, min(len(self.matches) - 1, options.highlighted + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id != "scan":
            self.action_admit()  # Enter in the temperature field admits, like Enter anywhere
            return
        text = event.value.strip()
        if not text:
            self.action_admit()
            return
        if looks_like_pass(text):
            gate_open.check_pass(self, text)
            return
        ctx = gate_app(self).ctx
        matches = attempt(self, lambda: lookup.find(ctx, text))
        if matches is None:
            return
        if not matches:
            gate_open.no_match(self, text)
            return
        index = 0
        highlighted = self.query_one("#matches", OptionList).highlighted
        if matches == self.matches and highlighted is not None:
            index = highlighted
        self.pick(matches[index])

    def pick(self, match: Match) -> None:
        if match.kind == "vehicle":
            gate_open.open_vehicle(self, match.id)
        else:
            self.show_person(match.id)

    # --- the card ----------------------------------------------------------------------

    @property
    def pane(self) -> PassagePane:
        return self.query_one(PassagePane)

    @property
    def card(self) -> PersonCard | None:
        return self.pane.card

    @property
    def direction(self) -> Direction:
        return self.pane.direction

    def show_person(self, person_id: str, purpose: str | None = None) -> None:
        ctx = gate_app(self).ctx
        card = attempt(self, lambda: lookup.person_card(ctx, person_id))
        if card is None:
            return
        self.purpose = purpose
        follow_checklist(self)  # HQ may have changed the checklist since the last card
        self.pane.show(card)
        refresh_exit_check(self)  # leaving may need an exit permit
        self.query_one("#panes", ContentSwitcher).current = "card-pane"
        self.refresh_bindings()
        self.focus_scan()

    def clear_card(self) -> None:
        self.purpose = None
        self.pane.clear()
        self.query_one("#panes", ContentSwitcher).current = "hint"
        self.refresh_bindings()

    # --- actions -----------------------------------------------------------------------

    def action_toggle_direction(self) -> None:
        if self.card is not None:
            self.pane.set_direction(toggle(self.direction))
            refresh_exit_check(self)
            self.refresh_bindings()

    def action_checklist(self) -> None:
        if self.card is not None:
            self.pane.panel.focus_first()

    def action_admit(self) -> None:
        card = self.card
        if card is None:
            self.focus_scan()
            return
        refusal = exit_refusal(self)
        if refusal is not None:
            # Leaving without a valid exit permit, like a hit: the leader's override or refused.
            self.app.push_screen(OverrideScreen(card.name, refusal), self.register)
            return
        if self.pane.needs_override:
            # A hit cannot pass on the guard's word: the leader authorises or it is refused.
            self.app.push_screen(OverrideScreen(card.name, self.pane.alarm()), self.register)
            return
        self.register(None)

    def action_override(self) -> None:
        card = self.card
        if card is None or self.direction is not Direction.IN:
            return
        t = gate_app(self).t
        refused = reasons_text(t, self.pane.refusals) if self.pane.refusals else ""
        reasons = self.pane.alarm() or refused or t("alarm.none")

        def granted(override: Override | None) -> None:
            if override is not None:
                self.register(override)
            else:
                self.focus_scan()

        self.app.push_screen(OverrideScreen(card.name, reasons), granted)

    def register(self, override: Override | None) -> None:
        """Save the passage; only then say saved and clear for the next person."""
        card = self.card
        if card is None:
            return
        if self.direction is Direction.OUT and save_exit(self, card, override):
            return  # saved under the site's exit-permit rules
        ctx = gate_app(self).ctx
        request = PersonPassage(
            card.id,
            self.direction,
            self.pane.answers(),
            override=override,
            purpose=self.purpose,
            refusals=self.pane.refusals,
            checklist=self.pane.checklist,
        )
        user_id = self.user.id

        def save(req: PersonPassage) -> PassageResult:
            return passages.register_person(ctx, user_id, req)

        result = attempt(self, lambda: save_following_checklist(self, save, request))
        if result is None:
            self.focus_scan()  # the card and the answers stay, so nothing typed is lost
            return
        t = gate_app(self).t
        self.say(saved_person_text(t, card.name, self.direction.value, result), result.outcome)
        self.clear_card()
        self.refresh_side()
        self.focus_scan()

    def action_clear(self) -> None:
        if not self.scan.has_focus:
            self.focus_scan()  # Esc leaves the checklist without dropping the card
        elif self.scan.value:
            self.scan.value = ""
        elif self.card is not None:
            self.clear_card()
            self.say("")
        else:
            self.say("")

    # --- keys that open another screen (gate_open.py) ----------------------------------

    def action_walk_in(self) -> None:
        text = self.scan.value.strip()
        self.scan.value = ""
        gate_open.open_walk_in(self, text)

    def action_vehicle(self) -> None:
        gate_open.vehicle_key(self)

    def action_person_detail(self) -> None:
        gate_open.open_person_detail(self)

    def action_sync_details(self) -> None:
        gate_open.open_sync_details(self)

    def action_shift_desk(self) -> None:
        gate_open.open_shift_desk(self)

    def action_desk(self) -> None:
        gate_open.open_desk(self)

    def action_on_site(self) -> None:
        gate_open.open_on_site(self)

    def action_corrections(self) -> None:
        gate_open.open_corrections(self)
