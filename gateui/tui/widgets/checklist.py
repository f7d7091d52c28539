"""The site's checklist, pre-filled with the normal answers and editable from the keyboard.

HQ may publish a new checklist while the gate runs (GateContext.checklist re-reads it), so a
panel is built for one checklist and replaced when it changes (PassagePane.use_checklist).
A panel just mounted has not composed its rows yet; `answers()` then reports the answers it
was built with, so a save right after a swap sends what the screen is about to show.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from gateui.domain.checklist import YESNO_OPTIONS, ChecklistItem, normal_answers
from gateui.i18n import Translator
from gateui.tui.widgets.choice import ChoiceRow

LABEL_WIDTH = 12


def _short(t: Translator, key: str) -> str:
    """Screen labels are short ("checklist_short.*") where the full question is long.

    An item HQ added that this terminal's catalogs do not name shows its key (and yes/no
    in words) rather than a raw "checklist.<key>" the guard cannot read."""
    if t.has(f"checklist_short.{key}"):
        return t(f"checklist_short.{key}")
    if t.has(f"checklist.{key}"):
        return t(f"checklist.{key}")
    last = key.rpartition(".")[2]
    if "." in key and last in YESNO_OPTIONS:
        return t(f"checklist_any.{last}")
    return last.replace("_", " ")


def fit_answers(items: tuple[ChecklistItem, ...], answers: dict[str, str]) -> dict[str, str]:
    """Answers for `items` from answers given to another version of the checklist: what was
    answered to an item still asked is kept (if still a possible answer), a new item starts
    at its normal answer, an item no longer asked is dropped."""
    fitted = normal_answers(items)
    for item in items:
        answer = answers.get(item.key)
        if answer is not None and (item.kind == "temperature" or answer in item.options):
            fitted[item.key] = answer
    return fitted


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

    def __init__(self, item: ChecklistItem, label: str, value: str) -> None:
        super().__init__(id=f"check-{item.key}")
        self.item = item
        self.label = label
        self.initial = value

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="temperature--label")
        yield Input(
            self.initial,
            restrict=r"[0-9.,]*",
            max_length=5,
            compact=True,
            id=f"answer-{self.item.key}",
        )
        yield Static("℃", classes="temperature--unit")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        """What the field holds; before it is composed, what it will hold."""
        field = next(iter(self.query(Input)), None)
        return self.initial if field is None else field.value

    @value.setter
    def value(self, value: str) -> None:
        self.initial = value
        field = next(iter(self.query(Input)), None)
        if field is not None:
            field.value = value


class ChecklistPanel(Vertical):
    DEFAULT_CSS = """
    ChecklistPanel { height: auto; }
    """

    class Changed(Message):
        """An answer changed; the screen updates its verdict preview."""

    def __init__(
        self,
        t: Translator,
        items: tuple[ChecklistItem, ...],
        *,
        answers: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.t = t
        self.items = items
        # The answers the rows show until someone changes them (the rows are the truth then).
        self.shown = fit_answers(items, answers or {})

    def compose(self) -> ComposeResult:
        for item in self.items:
            if item.kind == "temperature":
                yield TemperatureRow(item, _short(self.t, item.key), self.shown[item.key])
                continue
            options = [(o, _short(self.t, f"{item.key}.{o}")) for o in item.options]
            yield ChoiceRow(
                item.key,
                _short(self.t, item.key),
                options,
                self.shown[item.key],
                abnormal=item.deny | item.refer,
                label_width=LABEL_WIDTH,
                id=f"check-{item.key}",
            )

    def answers(self) -> dict[str, str]:
        out = dict(self.shown)
        for row in self.query(ChoiceRow):
            out[row.key] = row.value
        for temp in self.query(TemperatureRow):
            out[temp.item.key] = temp.value
        return out

    def reset(self) -> None:
        """Back to the normal answers for the next person."""
        self.set_answers({})

    def set_answers(self, answers: dict[str, str]) -> None:
        """Show someone's answers (the normal one for any item they lack)."""
        self.shown = fit_answers(self.items, answers)
        for row in self.query(ChoiceRow):
            row.value = self.shown[row.key]
        for temp in self.query(TemperatureRow):
            temp.value = self.shown[temp.item.key]

    def focus_first(self) -> None:
        first = next(iter(self.query(ChoiceRow)), None)
        if first is not None:
            first.focus()
        else:
            field = next(iter(self.query(Input)), None)
            if field is not None:
                field.focus()

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())
