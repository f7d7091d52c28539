"""Registering someone the registry does not know: a short form, refused field by field.

Nothing is saved until every field is valid, and nothing typed is lost: a refused form stays
as typed, with the reason beside each refused field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gateui.domain.errors import ValidationError
from gateui.domain.plates import parse_plate
from gateui.domain.resident_id import is_full_id_candidate, parse_resident_id
from gateui.services import lookup, registry
from gateui.services.registry import FormError, PersonForm
from gateui.tui.screens.base import gate_app, settle_inputs, show_error
from gateui.tui.text import kind_label
from gateui.tui.widgets.choice import ChoiceRow
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar

FIELD_ORDER = ("name", "id_number", "phone", "kind", "unit", "purpose")


@dataclass(frozen=True)
class WalkIn:
    """The walk-in just registered; the purpose goes on the entry, not on the person."""

    person_id: str
    name: str
    purpose: str


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def is_plate(text: str) -> bool:
    try:
        parse_plate(text)
    except ValidationError:
        return False
    return True


def offers_walk_in(text: str) -> bool:
    """An unknown ID number or name means a walk-in; an unknown plate or code does not."""
    text = text.strip()
    if not text or is_plate(text):
        return False
    return is_full_id_candidate(text) or _has_cjk(text)


def prefill(text: str) -> tuple[str, str]:
    """(name, ID number) guessed from what was typed in the scan field."""
    text = text.strip()
    if not text or is_plate(text):
        return "", ""
    if is_full_id_candidate(text):
        return "", text
    return (text, "") if _has_cjk(text) else ("", "")


class WalkInScreen(ModalScreen[WalkIn | None]):
    CSS_PATH = "walk_in.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "key.save", id="walk_in.save"),
        Binding("escape", "cancel", "key.cancel", id="walk_in.cancel"),
        Binding("enter", "next_field", show=False, id="walk_in.next"),
    ]

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        name, id_number = prefill(self.typed)
        with Vertical(id="walk-in-box") as box:
            box.border_title = t("walk_in.title")
            yield FormField("name", t("walk_in.name"), name, max_length=40)
            yield FormField("id_number", t("walk_in.id_number"), id_number, max_length=24)
            yield FormField("phone", t("walk_in.phone"), max_length=20)
            yield ChoiceRow(
                "kind",
                t("walk_in.kind"),
                [(k, kind_label(t, k)) for k in registry.PERSON_KINDS],
                "visitor",
                label_width=14,
                id="kind",
            )
            yield FormField("unit", t("walk_in.unit"), max_length=60)
            yield FormField("purpose", t("walk_in.purpose"), max_length=60)
            yield Static(t("walk_in.hint"), id="walk-in-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        _name, id_number = prefill(self.typed)
        if id_number:
            self.check_prefilled_id(id_number)
        # Start where typing is needed: the first empty field.
        empty = [n for n in ("name", "id_number", "phone") if not self.field(n).value]
        self.field(empty[0] if empty else "name").input.focus()

    def check_prefilled_id(self, id_number: str) -> None:
        """A scanned number that cannot be right is flagged at once, not after typing it all."""
        ctx = gate_app(self).ctx
        try:
            parse_resident_id(id_number, lookup.today_local(ctx))
        except ValidationError as exc:
            self.field("id_number").set_error(gate_app(self).t(exc.code, **exc.params))

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def form(self) -> PersonForm:
        return PersonForm(
            name=self.field("name").value,
            id_number=self.field("id_number").value,
            phone=self.field("phone").value,
            kind=self.query_one("#kind", ChoiceRow).value,
            unit=self.field("unit").value,
            purpose=self.field("purpose").value,
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.advance((event.input.id or "").removesuffix("-input"))

    def action_next_field(self) -> None:
        focused = self.focused
        self.advance(focused.id if isinstance(focused, ChoiceRow) and focused.id else "kind")

    def advance(self, current: str) -> None:
        """Enter moves to the next field; on the last one it saves."""
        if current not in FIELD_ORDER or current == FIELD_ORDER[-1]:
            self.action_save()
            return
        following = FIELD_ORDER[FIELD_ORDER.index(current) + 1]
        if following == "kind":
            self.query_one("#kind", ChoiceRow).focus()
        else:
            self.field(following).input.focus()

    def action_save(self) -> None:
        app = gate_app(self)
        form = self.form()
        for name in FIELD_ORDER:
            if name != "kind":
                self.field(name).set_error(None)
        try:
            person_id = registry.register_person(app.ctx, form, origin="walk_in")
        except FormError as exc:
            self.show_form_errors(exc)
            return
        except ValidationError as exc:
            self.field("name").set_error(app.t(exc.code, **exc.params))
            return
        except Exception as exc:  # storage and the unexpected: the form stays as typed
            show_error(self, exc)
            return
        self.dismiss(WalkIn(person_id, form.name.strip(), form.purpose.strip()))

    def show_form_errors(self, exc: FormError) -> None:
        t = gate_app(self).t
        first: FormField | None = None
        for name in FIELD_ORDER:
            error = exc.fields.get(name)
            if error is None or name == "kind":
                continue
            field = self.field(name)
            field.set_error(t(error.code, **error.params))
            first = first or field
        title, message = t.error(exc)
        self.app.notify(message, title=title, severity="error")
        if first is not None:
            first.input.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
