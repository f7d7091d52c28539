"""The person at the gate: their card, a loud line for a hit, the direction with what Enter
will do, and the checklist. Styled by the gate screen's CSS (#card, #alarm, #verdict)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from gateui.domain.checklist import ChecklistItem, Outcome, decide
from gateui.domain.direction import Direction, infer_direction
from gateui.domain.errors import ValidationError
from gateui.i18n import Translator
from gateui.services.views import PersonCard
from gateui.tui.text import direction_label, outcome_label, reasons_text
from gateui.tui.widgets.cards import CardView, alarm_text, mark_outcome, person_card_text
from gateui.tui.widgets.checklist import ChecklistPanel

_OUTCOMES = {Outcome.ADMIT: "admitted", Outcome.REFER: "referred", Outcome.DENY: "denied"}


class PassagePane(Vertical):
    def __init__(
        self,
        t: Translator,
        zone: ZoneInfo,
        checklist: tuple[ChecklistItem, ...],
        *,
        id_hint: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.id_hint = id_hint
        self.t = t
        self.zone = zone
        self.checklist = checklist
        self._panel = ChecklistPanel(t, checklist)
        self.card: PersonCard | None = None
        self.direction = Direction.IN
        # Set by the gate when leaving needs an exit permit: (outcome, words) for the verdict.
        self.exit_note: tuple[str, str] | None = None
        # Set by the gate after a refused pass of a known person ("pass:revoked"): entry is
        # refused (and recorded so) unless a leader overrides.
        self.refusals: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield CardView("", id="card")
        yield Static("", id="alarm")
        yield Static("", id="verdict")
        yield self._panel

    @property
    def panel(self) -> ChecklistPanel:
        # Held, not queried: a replaced panel stays in the DOM until its removal is processed.
        return self._panel

    def use_checklist(
        self, checklist: tuple[ChecklistItem, ...], answers: dict[str, str] | None = None
    ) -> None:
        """Show another checklist (HQ published one), with `answers` fitted to it.

        The panel is replaced whole: rows come and go, and a row kept by key may have other
        options. Panels carry no id, so the new one never clashes with the old one while
        Textual removes it; anything focused in the old panel loses the focus (the gate
        gives it back to the scan field)."""
        old = self._panel
        self.checklist = checklist
        self._panel = ChecklistPanel(self.t, checklist, answers=answers)
        if old.is_attached:
            self.mount(self._panel, after=old)
            old.remove()
        if self.card is not None:
            self.render_verdict()

    @property
    def needs_override(self) -> bool:
        """A hit on the way in: only a leader's override admits."""
        return self.card is not None and self.card.needs_override and self.direction is Direction.IN

    def alarm(self) -> str:
        card = self.card
        return alarm_text(self.t, card.status, card.watch_reasons) if card else ""

    def show(self, card: PersonCard) -> None:
        """A new person: direction from their last passage, normal answers."""
        self.card = card
        self.exit_note = None
        self.refusals = ()
        last = Direction(card.last_passage.direction) if card.last_passage else None
        self.direction = infer_direction(last)
        self.panel.reset()
        text = person_card_text(self.t, card, self.zone, self.id_hint)
        self.query_one("#card", CardView).update(text)
        alarm = self.query_one("#alarm", Static)
        alarm.set_class(card.needs_override, "-shown")
        alarm.update(self.alarm())
        self.render_verdict()

    def clear(self) -> None:
        self.card = None
        self.exit_note = None
        self.refusals = ()
        self.panel.reset()
        self.query_one("#alarm", Static).remove_class("-shown")

    def refuse(self, reasons: tuple[str, ...]) -> None:
        """Refuse entry for reasons found before the save (a refused pass)."""
        self.refusals = reasons
        self.render_verdict()

    def set_direction(self, direction: Direction) -> None:
        self.direction = direction
        self.render_verdict()

    def answers(self) -> dict[str, str]:
        return self.panel.answers()

    def render_verdict(self) -> None:
        """Direction and what Enter will do, before it is done."""
        t = self.t
        line = t("gate.direction", direction=direction_label(t, self.direction.value))
        outcome = "admitted"
        if self.direction is Direction.OUT:
            outcome, note = self.exit_note or ("admitted", t("gate.verdict_out"))
        elif self.refusals:
            outcome = "denied"
            note = t("gate.verdict_pass_refused", reason=reasons_text(t, self.refusals))
        elif self.needs_override:
            outcome, note = "referred", t("gate.verdict_override")
        else:
            try:
                decision = decide(self.checklist, self.answers())
            except ValidationError as exc:
                outcome, note = "denied", t.error(exc)[1]
            else:
                outcome = _OUTCOMES[decision.outcome]
                note = outcome_label(t, outcome)
                if decision.reasons:
                    reasons = [f"{r.item_key}:{r.answer}" for r in decision.reasons]
                    note += " — " + reasons_text(t, reasons)
        verdict = self.query_one("#verdict", Static)
        verdict.update(f"{line}  ▸ {t('gate.verdict', note=note)}")
        mark_outcome(verdict, outcome)

    def on_checklist_panel_changed(self, event: ChecklistPanel.Changed) -> None:
        event.stop()
        self.render_verdict()
