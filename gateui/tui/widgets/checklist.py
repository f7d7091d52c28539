"""The site's checklist, pre-filled with the normal answers and editable from the keyboard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from gateui.domain.checklist import ChecklistItem, normal_answers
from gateui.i18n import Translator
from gateui.tui.widgets.choice import ChoiceRow

LABEL_WIDTH = 12


def _short(t: Translator, key: str) -> str:
    """Screen labels are short ("checklist_short.*") where the full question is long."""
    return t(f"checklist_short.{key}") if t.has(f"checklist_short.{key}") else t(f"checklist.{key}")


class TemperatureRow(Horizontal):
    DEFAULT_CSS = f"""
    TemperatureRow {{
        height: 1;
        & > .temperature--label {{ width: {LABEL_WIDTH}; color: $text-muted; }}
        & > Input {{ width: 6; background: $boost; }}
        & > Input:focus {{ background: $primary 40%; }}
        & > .temperature--unit {{ width: auto; padding-left: 1; }}
        &:focus-within > .temperature--label {{ color: $text; text-style: bold underline; }}
    }}
    """

    def __init__(self, item: ChecklistItem, label: str) -> None:
        super().__init__(id=f"check-{item.key}")
        self.item = item
        self.label = label

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="temperature--label")
        yield Input(
            self.item.normal,
            restrict=r"[0-9.,]*",
            max_length=5,
            compact=True,
            id=f"answer-{self.item.key}",
        )
        yield Static("℃", classes="temperature--unit")

    @property
    def input(self) -> Input:
        return self.query_one(Input)


class ChecklistPanel(Vertical):
    DEFAULT_CSS = """
    ChecklistPanel { height: auto; }
    """

    class Changed(Message):
        """An answer changed; the screen updates its verdict preview."""

    def __init__(
        self, t: Translator, items: tuple[ChecklistItem, ...], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.t = t
        self.items = items

    def compose(self) -> ComposeResult:
        for item in self.items:
            if item.kind == "temperature":
                yield TemperatureRow(item, _short(self.t, item.key))
                continue
            options = [(o, _short(self.t, f"{item.key}.{o}")) for o in item.options]
            yield ChoiceRow(
                item.key,
                _short(self.t, item.key),
                options,
                item.normal,
                abnormal=item.deny | item.refer,
                label_width=LABEL_WIDTH,
                id=f"check-{item.key}",
            )

    def answers(self) -> dict[str, str]:
        out = normal_answers(self.items)
        for row in self.query(ChoiceRow):
            out[row.key] = row.value
        for temp in self.query(TemperatureRow):
            out[temp.item.key] = temp.input.value
        return out

    def reset(self) -> None:
        """Back to the normal answers for the next person."""
        normal = normal_answers(self.items)
        for row in self.query(ChoiceRow):
            row.value = normal[row.key]
        for temp in self.query(TemperatureRow):
            temp.input.value = normal[temp.item.key]

    def set_answers(self, answers: dict[str, str]) -> None:
        """Show someone's answers (the normal one for any item they lack)."""
        shown = normal_answers(self.items) | answers
        for row in self.query(ChoiceRow):
            row.value = shown[row.key]
        for temp in self.query(TemperatureRow):
            temp.input.value = shown[temp.item.key]

    def focus_first(self) -> None:
        first = next(iter(self.query(ChoiceRow)), None)
        if first is not None:
            first.focus()
        else:
            self.query_one(Input).focus()

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
