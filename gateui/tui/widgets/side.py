"""Beside the scan field: how many are on site now, and the last entries at this checkpoint."""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from gateui.i18n import Translator
from gateui.services.views import EntryView
from gateui.tui.text import (
    OUTCOME_CLASSES,
    direction_label,
    entry_subject,
    outcome_label,
    outcome_mark,
)


class SidePanel(Vertical):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"side--ok", "side--warn", "side--bad", "side--void"}
    DEFAULT_CSS = """
    SidePanel {
        width: 30;
        height: 1fr;
        border-left: vkey $primary;
        padding: 0 0 0 1;
        & > #on-site { height: 2; text-style: bold; }
        & > #recent-title { height: 1; color: $text-muted; }
        & > #recent { height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; }
        & > .side--ok { color: $success; }
        & > .side--warn { color: $warning; text-style: bold; }
        & > .side--bad { color: $error; text-style: bold; }
        & > .side--void { text-style: strike dim; }
    }
    """

    def __init__(self, t: Translator, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.t = t
        self.zone = zone

    def compose(self) -> ComposeResult:
        yield Static("", id="on-site")
        yield Static(self.t("side.recent"), id="recent-title")
        yield Static("", id="recent")

    def show(self, counts: tuple[int, int], entries: list[EntryView]) -> None:
        people, vehicles = counts
        self.query_one("#on-site", Static).update(
            f"{self.t('side.on_site')}\n{self.t('side.counts', people=people, vehicles=vehicles)}"
        )
        styles = {
            cls: self.get_component_rich_style(f"side-{cls}") for cls in OUTCOME_CLASSES.values()
        }
        void_style = self.get_component_rich_style("side--void")
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, entry in enumerate(entries):
            if index:
                text.append("\n")
            at = entry.at.astimezone(self.zone).strftime("%H:%M")
            style = styles[OUTCOME_CLASSES.get(entry.outcome, "-warn")]
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{at} {direction_label(self.t, entry.direction)} ")
            # The mark carries the outcome without colour; a refusal also says its word.
            line.append(outcome_mark(entry.outcome), style)
            line.append(entry_subject(entry))
            if entry.outcome != "admitted":
                line.append(f" {outcome_label(self.t, entry.outcome)}", style)
            if entry.voided:
                line.stylize(void_style)
                line.append(f" {self.t('entry.voided')}")
            text.append_text(line)
        if not entries:
            text.append(self.t("side.no_entries"))
        self.query_one("#recent", Static).update(text)
