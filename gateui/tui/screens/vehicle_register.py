"""Registering a vehicle the gate does not know: plate, kind, unit.

Like the walk-in form: nothing is saved until the plate is valid, a refused field says why
beside it, and nothing typed is lost (a storage failure keeps the form as typed).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gateui.domain.errors import ValidationError
from gateui.domain.plates import parse_plate
from gateui.services import registry
from gateui.services.registry import FormError
from gateui.tui.screens.base import gate_app, settle_inputs, show_error
from gateui.tui.text import vehicle_kind_label
from gateui.tui.widgets.choice import ChoiceRow
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar

FIELD_ORDER = ("plate", "kind", "unit")
DEFAULT_KIND = "car"


class VehicleRegisterScreen(ModalScreen[str | None]):
    """Dismisses with the new vehicle's id, or None when cancelled."""

    CSS_PATH = "vehicle_register.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "key.save", id="vehicle_register.save"),
        Binding("escape", "cancel", "key.cancel", id="vehicle_register.cancel"),
        Binding("enter", "next_field", show=False, id="vehicle_register.next"),
    ]

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed.strip()

    def compose(self) -> ComposeResult:
        t = gate_app(self).t
        with Vertical(id="vehicle-register-box") as box:
            box.border_title = t("vehicle_register.title")
            yield Static(t("vehicle_register.intro"), id="vehicle-register-intro")
            yield FormField("plate", t("vehicle_register.plate"), self.typed, max_length=16)
            yield ChoiceRow(
                "kind",
                t("vehicle_register.kind"),
                [(k, vehicle_kind_label(t, k)) for k in registry.VEHICLE_KINDS],
                DEFAULT_KIND,
                label_width=14,
                id="vehicle-kind",
            )
            yield FormField("unit", t("vehicle_register.unit"), max_length=60)
            yield Static(t("vehicle_register.hint"), id="vehicle-register-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        if self.typed:
            self.check_plate(self.typed)
            # A valid scanned plate needs only its kind: start there.
            if not self.field("plate").has_class("-invalid"):
                self.query_one("#vehicle-kind", ChoiceRow).focus()
                return
        self.field("plate").input.focus()

    def check_plate(self, text: str) -> None:
        try:
            parse_plate(text)
        except ValidationError as exc:
            self.field("plate").set_error(gate_app(self).t(exc.code, **exc.params))

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def on_choice_row_typed(self, event: ChoiceRow.Typed) -> None:
        """A letter typed on the kind row belongs to the unit (the next field to type in)."""
        event.stop()
        unit = self.field("unit").input
        unit.focus()
        unit.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.advance((event.input.id or "").removesuffix("-input"))

    def action_next_field(self) -> None:
        self.advance("kind")

    def advance(self, current: str) -> None:
        """Enter moves to the next field; on the last one it saves."""
        if current not in FIELD_ORDER or current == FIELD_ORDER[-1]:
            self.action_save()
            return
        following = FIELD_ORDER[FIELD_ORDER.index(current) + 1]
        if following == "kind":
            self.query_one("#vehicle-kind", ChoiceRow).focus()
        else:
            self.field(following).input.focus()

    def action_save(self) -> None:
        app = gate_app(self)
        plate, unit = self.field("plate"), self.field("unit")
        plate.set_error(None)
        kind = self.query_one("#vehicle-kind", ChoiceRow).value
        try:
            vehicle_id = registry.register_vehicle(app.ctx, plate.value, kind, unit.value)
        except FormError as exc:
            self.show_form_errors(exc)
            return
        except Exception as exc:  # storage and the unexpected: the form stays as typed
            show_error(self, exc)
            return
        self.dismiss(vehicle_id)

    def show_form_errors(self, exc: FormError) -> None:
        t = gate_app(self).t
        # Only the plate is typed; a bad kind cannot be chosen on this form.
        error = exc.fields.get("plate") or next(iter(exc.fields.values()))
        plate = self.field("plate")
        plate.set_error(t(error.code, **error.params))
        plate.input.focus()
        plate.input.action_select_all()

    def action_cancel(self) -> None:
        self.dismiss(None)
