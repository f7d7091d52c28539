"""A shift leader's view of one person: the full ID number (masked everywhere else), phone,
unit, the person responsible, status with its note and since when, the watch list, and the
person's recent passages with their outcomes and reasons.

It opens only after a leader's badge and PIN (LeaderCheckScreen), and closes itself when the
terminal locks: the next person at the screen must not find a full ID number on it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from gateui.services import lookup
from gateui.services.views import PersonDetail, UserView
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.text import (
    direction_label,
    entry_flags,
    kind_label,
    local_time,
    outcome_label,
    outcome_mark,
    reasons_text,
    status_label,
)
from gateui.tui.widgets.keybar import KeyBar


class PersonDetailScreen(Screen[None]):
    CSS_PATH = "person_detail.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key.back", id="person_detail.back"),
    ]

    def __init__(self, person_id: str, leader: UserView) -> None:
        super().__init__()
        self.person_id = person_id
        self.leader = leader
        self.detail: PersonDetail | None = None
        self._hidden = False

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static(t("detail.title", leader=self.leader.name), id="detail-title")
        yield Static("", id="detail-facts")
        yield Static(t("detail.recent"), id="detail-recent-title")
        table: DataTable[str | Text] = DataTable(
            id="detail-recent", cursor_type="row", zebra_stripes=True
        )
        table.add_columns(
            t("detail.col.at"),
            t("detail.col.checkpoint"),
            t("detail.col.direction"),
            t("detail.col.outcome"),
            t("detail.col.guard"),
            t("detail.col.reasons"),
        )
        yield table
        yield KeyBar(t)

    def on_mount(self) -> None:
        app = gate_app(self)
        detail = attempt(
            self, lambda: lookup.person_detail(app.ctx, self.person_id, self.leader.id)
        )
        if detail is None:
            self.dismiss(None)
            return
        self.detail = detail
        self.query_one("#detail-facts", Static).update(self.facts(detail))
        self.fill_recent(detail)
        self.query_one(DataTable).focus()

    def facts(self, detail: PersonDetail) -> Table:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        card = detail.card
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        name = Text(card.name, "bold")
        name.append(f"  {kind_label(t, card.kind)}")
        grid.add_row(t("detail.name"), name)
        grid.add_row(t("detail.id_number"), card.id_number or t("card.no_id"))
        grid.add_row(t("detail.phone"), card.phone or "—")
        grid.add_row(t("detail.unit"), card.unit or "—")
        grid.add_row(t("detail.responsible"), card.responsible_name or "—")
        status = Text(status_label(t, card.status))
        if card.status != "normal":
            status.stylize("bold")
        if card.status_note:
            status.append(f" — {card.status_note}")
        if detail.status_since is not None:
            since = local_time(detail.status_since, zone, "%Y-%m-%d %H:%M")
            status.append("  " + t("detail.since", at=since))
        grid.add_row(t("detail.status"), status)
        if card.watch_reasons:
            sep = "；" if t.lang == "zh" else "; "
            grid.add_row(t("detail.watch"), Text(sep.join(card.watch_reasons), "bold"))
        if card.card_code:
            grid.add_row(t("detail.card_code"), card.card_code)
        return grid

    def fill_recent(self, detail: PersonDetail) -> None:
        app = gate_app(self)
        t, zone = app.t, app.ctx.site.zone
        table = self.query_one(DataTable)
        table.clear()
        for entry in detail.recent:
            outcome = outcome_mark(entry.outcome) + outcome_label(t, entry.outcome)
            flags = entry_flags(t, entry)
            if flags:
                outcome += f" {flags}"
            table.add_row(
                local_time(entry.at, zone, "%m-%d %H:%M"),
                entry.checkpoint_code,
                direction_label(t, entry.direction),
                outcome,
                entry.guard_name or "",
                reasons_text(t, entry.reasons),
            )
        if not detail.recent:
            table.add_row(t("detail.no_passages"), "", "", "", "", "")

    def on_screen_suspend(self) -> None:
        """Locked (or covered): wipe the full number now, close on return."""
        self._hidden = True
        self.query_one("#detail-facts", Static).update("")
        self.query_one(DataTable).clear()

    def on_screen_resume(self) -> None:
        if self._hidden:
            self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)
