"""A labelled one-line input with its error message right below it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static


class FormField(Vertical):
    """Label, input and, when invalid, the reason in words (marked ✖, not by colour alone)."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        & > Horizontal { height: 1; }
        & .field--label { width: 14; color: $text-muted; }
        & Input { width: 1fr; background: $boost; }
        & Input:focus { background: $primary 40%; }
        & .field--error { display: none; color: $error; text-style: bold; padding-left: 14; }
        &.-invalid .field--error { display: block; }
        &.-invalid .field--label { color: $error; text-style: bold; }
    }
    """

    def __init__(
        self,
        name: str,
        label: str,
        value: str = "",
        *,
        placeholder: str = "",
        password: bool = False,
        restrict: str | None = None,
        max_length: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id or f"field-{name}")
        self.field_name = name
        self._label = label
        self._input = Input(
            value,
            placeholder=placeholder,
            password=password,
            restrict=restrict,
            max_length=max_length,
            compact=True,
            id=f"{name}-input",
        )

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(self._label, classes="field--label")
            yield self._input
        yield Static("", classes="field--error")

    @property
    def input(self) -> Input:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    def set_error(self, message: str | None) -> None:
        self.query_one(".field--error", Static).update(f"✖ {message}" if message else "")
        self.set_class(bool(message), "-invalid")
