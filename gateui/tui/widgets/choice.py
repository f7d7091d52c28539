"""A one-line choice among a few options, changed from the keyboard (← → or Space).

Used for checklist answers and the kind of a walk-in: faster with gloves than a drop-down,
and every option stays visible. An answer that is not normal is marked with "!" as well as
colour, so it reads the same on a monochrome screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceRow(Widget, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice--selected",
        "choice--abnormal",
        "choice--label",
    }
    DEFAULT_CSS = """
    ChoiceRow {
        height: 1;
        width: 1fr;
        & > .choice--label { color: $text-muted; }
        & > .choice--selected { background: $primary; color: $text; text-style: bold; }
        & > .choice--abnormal { background: $error; color: $text; text-style: bold; }
        &:focus { background: $boost; }
        &:focus > .choice--label { color: $text; text-style: bold underline; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "key.choice_prev", show=False),
        Binding("right,space", "move(1)", "key.choice_next", show=False),
        Binding("up", "app.focus_previous", show=False),
        Binding("down", "app.focus_next", show=False),
    ]

    class Changed(Message):
        def __init__(self, row: ChoiceRow, value: str) -> None:
            super().__init__()
            self.row = row
            self.value = value

    value: reactive[str] = reactive("", init=False)

    def __init__(
        self,
        key: str,
        label: str,
        options: list[tuple[str, str]],
        value: str,
        *,
        abnormal: frozenset[str] = frozenset(),
        label_width: int = 10,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.key = key
        self.label = label
        self.options = options
        self.abnormal = abnormal
        self.label_width = label_width
        self.set_reactive(ChoiceRow.value, value)

    @property
    def values(self) -> list[str]:
        return [v for v, _ in self.options]

    def action_move(self, step: int) -> None:
        values = self.values
        index = values.index(self.value) if self.value in values else 0
        self.value = values[(index + step) % len(values)]

    class Typed(Message):
        """A printable key the row has no use for: most likely a scan meant for the scan
        field. The row hands it on instead of swallowing it (or worse, taking digits of an
        ID number as answers)."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character != " ":
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(event.character))

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def render(self) -> Text:
        label_style = self.get_component_rich_style("choice--label")
        selected = self.get_component_rich_style("choice--selected")
        abnormal = self.get_component_rich_style("choice--abnormal")
        text = Text(no_wrap=True, overflow="ellipsis")
        pad = max(self.label_width - cell_len(self.label), 1)
        text.append(self.label + " " * pad, label_style)
        for value, label in self.options:
            if value == self.value:
                bad = value in self.abnormal
                mark = "!" if bad else ""
                text.append(f"[{label}{mark}]", abnormal if bad else selected)
            else:
                text.append(f" {label} ")
            text.append(" ")
        return text
