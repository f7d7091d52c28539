"""A new exit permit: who, from when, until when, why. Saved by a leader (`creator`), it lets
nobody out until two people have signed it (permit_sign.PermitSignScreen)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from gateui.domain.errors import ValidationError
from gateui.services import lookup, permits
from gateui.services.permits import PermitView
from gateui.services.views import UserView
from gateui.tui.screens.base import gate_app, settle_inputs, show_error
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar

FIELD_ORDER = ("person", "from", "until", "reason")
TIME_FORMAT = "%Y-%m-%d %H:%M"
# Which field shows a refusal of the service.
ERROR_FIELDS = {
    "permit.bad_window": "until",
    "permit.window_too_long": "until",
    "permit.reason_required": "reason",
    "person.not_found": "person",
}


def parse_local(text: str, zone: ZoneInfo) -> datetime | None:
    """ "2026-11-20 09:30" (or with a T) in the site's zone; None if it is not a time."""
    try:
        naive = datetime.strptime(" ".join(text.replace("T", " ").split()), TIME_FORMAT)
    except ValueError:
        return None
    return naive.replace(tzinfo=zone)


class PermitFormScreen(ModalScreen[PermitView | None]):
    CSS_PATH = "permit.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f10,ctrl+s", "save", "key.save", id="permit_form.save"),
        Binding("escape", "cancel", "key.cancel", id="permit_form.cancel"),
    ]

    def __init__(
        self, creator: UserView, person_id: str | None = None, person_name: str = ""
    ) -> None:
        super().__init__()
        self.creator = creator
        self.person_id = person_id
        self.person_name = person_name

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        start = app.ctx.now().astimezone(zone).replace(second=0, microsecond=0)
        with Vertical(id="permit-box") as box:
            box.border_title = t("permit.form_title")
            yield FormField(
                "person",
                t("permit.field.person"),
                self.person_name,
                placeholder=t("permit.person_hint"),
                max_length=40,
            )
            chosen = t("permit.person_chosen", name=self.person_name, detail="")
            yield Static(chosen if self.person_id else "", id="permit-person")
            yield FormField("from", t("permit.field.from"), start.strftime(TIME_FORMAT))
            until = start + timedelta(days=1)
            yield FormField("until", t("permit.field.until"), until.strftime(TIME_FORMAT))
            yield FormField("reason", t("permit.field.reason"), max_length=80)
            yield Static(t("permit.form_hint"), id="permit-hint")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        self.field("reason" if self.person_id else "person").input.focus()

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "person-input" and event.value != self.person_name:
            self.person_id = None  # typed over: find again
            self.query_one("#permit-person", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        current = (event.input.id or "").removesuffix("-input")
        if current == "person" and not self.find_person():
            return
        if current not in FIELD_ORDER or current == FIELD_ORDER[-1]:
            self.action_save()
            return
        self.field(FIELD_ORDER[FIELD_ORDER.index(current) + 1]).input.focus()

    def find_person(self) -> bool:
        """The best person match for what was typed; shown under the field."""
        app = gate_app(self)
        field = self.field("person")
        field.set_error(None)
        try:
            matches = [m for m in lookup.find(app.ctx, field.value) if m.kind == "person"]
        except Exception as exc:
            show_error(self, exc)
            return False
        if not matches:
            self.person_id = None
            field.set_error(app.t("permit.person_not_found"))
            return False
        best = matches[0]
        self.person_id, self.person_name = best.id, best.label
        field.input.value = best.label
        self.query_one("#permit-person", Static).update(
            app.t("permit.person_chosen", name=best.label, detail=best.detail)
        )
        return True

    def action_save(self) -> None:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        for name in FIELD_ORDER:
            self.field(name).set_error(None)
        if self.person_id is None and not self.find_person():
            self.field("person").set_error(t("permit.person_required"))
            self.field("person").input.focus()
            return
        times = {n: parse_local(self.field(n).value, zone) for n in ("from", "until")}
        for name, value in times.items():
            if value is None:
                self.field(name).set_error(t("permit.bad_time"))
                self.field(name).input.focus()
                return
        start, end = times["from"], times["until"]
        assert start is not None and end is not None and self.person_id is not None
        reason = self.field("reason").value
        try:
            view = permits.create_permit(
                app.ctx, self.person_id, start, end, reason, self.creator.id
            )
        except ValidationError as exc:
            target = self.field(ERROR_FIELDS.get(exc.code, "reason"))
            target.set_error(t(exc.code, **exc.params))
            target.input.focus()
            return
        except Exception as exc:  # storage and the unexpected: the form stays as typed
            show_error(self, exc)
            return
        self.dismiss(view)

    def action_cancel(self) -> None:
        self.dismiss(None)
