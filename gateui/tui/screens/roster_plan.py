"""Filling the roster in bulk: copy last week, or generate a fair period (preview, then apply).

Both keep locked cells as they are. The generator's preview shows each guard's shifts,
nights, weekend shifts and hours, the largest differences between guards, and every cell
it could not fill with the reasons (rest, 7-day limit, leave…); nothing is written until
the leader presses F10.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Static

from gateui.i18n import Translator
from gateui.services import roster
from gateui.services.roster_views import CopyResult, GenerationReport
from gateui.services.views import UserView
from gateui.tui.screens.base import attempt, gate_app, header_line, settle_inputs
from gateui.tui.widgets.choice import ChoiceRow
from gateui.tui.widgets.field import FormField
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import day_text, parse_day, shift_label

SPANS = (1, 2, 4)  # weeks


def checkpoint_options(t: Translator, checkpoints: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", t("roster.ui.all_checkpoints"))] + [(c, n) for c, n in checkpoints]


def period_text(t: Translator, first: date, last: date) -> str:
    return t("roster.ui.period", first=day_text(t, first), last=day_text(t, last))


class CopyWeekScreen(ModalScreen[CopyResult | None]):
    """Copy the week before `first` into the week from `first`."""

    CSS_PATH = "roster_modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,f10", "copy", "key.roster_copy_go", id="roster_copy.go"),
        Binding("escape", "cancel", "key.cancel", id="roster_copy.cancel"),
    ]

    def __init__(self, leader: UserView, first: date) -> None:
        super().__init__()
        self.leader = leader
        self.first = first

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        source = self.first - timedelta(days=7)
        checkpoints = [(cp.code, cp.name) for cp in app.ctx.site.checkpoints]
        with Vertical(id="roster-copy-box", classes="roster-box") as box:
            box.border_title = t("roster.ui.copy_title")
            yield Static(
                t(
                    "roster.ui.copy_body",
                    source=period_text(t, source, source + timedelta(days=6)),
                    target=period_text(t, self.first, self.first + timedelta(days=6)),
                ),
                id="copy-body",
            )
            yield ChoiceRow(
                "checkpoint",
                t("roster.ui.checkpoint"),
                checkpoint_options(t, checkpoints),
                "",
                label_width=14,
                id="copy-checkpoint",
            )
        yield KeyBar(t)

    def on_mount(self) -> None:
        self.query_one("#copy-checkpoint", ChoiceRow).focus()

    def action_copy(self) -> None:
        app = gate_app(self)
        t = app.t
        checkpoint = self.query_one("#copy-checkpoint", ChoiceRow).value or None
        source = self.first - timedelta(days=7)
        result = attempt(
            self,
            lambda: roster.copy_week(app.ctx, self.leader.id, source, self.first, checkpoint),
        )
        if result is None:
            return
        message = t("roster.ui.copied", changes=result.events)
        if result.skipped:
            sep = t("roster.publish.cell_separator")
            shown = sep.join(
                f"{cell.day:%m-%d} {shift_label(t, cell.shift)} {guard.name} {t(code)}"
                for cell, guard, code in result.skipped[:4]
            )
            message += "\n" + t("roster.ui.not_copied", count=len(result.skipped), guards=shown)
        app.notify(message, timeout=12, severity="warning" if result.skipped else "information")
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GenerateScreen(Screen[GenerationReport | None]):
    """Dismisses with the applied report, or None when the leader went back."""

    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "preview", "key.roster_preview", id="roster_generate.preview"),
        Binding("f10", "apply", "key.roster_apply", id="roster_generate.apply"),
        Binding("escape", "back", "key.back", id="roster_generate.back"),
    ]

    def __init__(self, leader: UserView, first: date) -> None:
        super().__init__()
        self.leader = leader
        self.first = first
        self.report: GenerationReport | None = None
        self.previewed: tuple[date, date, str | None] | None = None

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self, self.leader.name)
        last = self.first + timedelta(days=6)
        with Horizontal(id="gen-dates"):
            yield FormField("gen_first", t("roster.ui.gen_first"), f"{self.first}", max_length=10)
            yield FormField("gen_last", t("roster.ui.gen_last"), f"{last}", max_length=10)
        spans = [(str(w), t("roster.ui.weeks", count=w)) for w in SPANS]
        yield ChoiceRow("span", t("roster.ui.gen_span"), spans, "1", label_width=14, id="gen-span")
        checkpoints = [(cp.code, cp.name) for cp in app.ctx.site.checkpoints]
        yield ChoiceRow(
            "checkpoint",
            t("roster.ui.checkpoint"),
            checkpoint_options(t, checkpoints),
            "",
            label_width=14,
            id="gen-checkpoint",
        )
        yield Static("", id="gen-summary")
        table: DataTable[str] = DataTable(id="gen-loads", cursor_type="row", zebra_stripes=True)
        yield table
        with VerticalScroll(id="gen-unfilled-box"):
            yield Static("", id="gen-unfilled")
        yield KeyBar(t)

    def on_mount(self) -> None:
        settle_inputs(self)
        t = gate_app(self).t
        table = self.query_one("#gen-loads", DataTable)
        for key in ("guard", "shifts", "nights", "weekends", "hours", "available"):
            table.add_column(t(f"roster.ui.col_{key}"), key=key)
        self.query_one("#gen-span", ChoiceRow).focus()
        self.action_preview()

    def field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def on_choice_row_changed(self, event: ChoiceRow.Changed) -> None:
        if event.row.id == "gen-span":
            first = parse_day(self.field("gen_first").value, self.first) or self.first
            last = first + timedelta(days=7 * int(event.value) - 1)
            self.field("gen_last").input.value = last.isoformat()
        if self.is_mounted and self.query_one("#gen-loads", DataTable).columns:
            self.action_preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def params(self) -> tuple[date, date, str | None] | None:
        t = gate_app(self).t
        days = []
        for name in ("gen_first", "gen_last"):
            field = self.field(name)
            day = parse_day(field.value, self.first)
            field.set_error(None if day else t("roster.ui.bad_date", text=field.value))
            if day is None:
                field.input.focus()
                return None
            days.append(day)
        checkpoint = self.query_one("#gen-checkpoint", ChoiceRow).value or None
        return days[0], days[1], checkpoint

    def action_preview(self) -> None:
        app = gate_app(self)
        params = self.params()
        if params is None:
            return
        first, last, checkpoint = params
        report = attempt(self, lambda: roster.preview_generation(app.ctx, first, last, checkpoint))
        if report is None:
            return
        self.report, self.previewed = report, params
        self.show(report, first, last, checkpoint)

    def show(self, report: GenerationReport, first: date, last: date, cp: str | None) -> None:
        t = gate_app(self).t
        result = report.result
        filled = sum(len(g) for g in result.assignments.values())
        missing = sum(u.missing for u in result.unfilled)
        fair = result.fairness
        where = cp or t("roster.ui.all_checkpoints")
        self.query_one("#gen-summary", Static).update(
            t(
                "roster.ui.gen_summary",
                period=period_text(t, first, last),
                checkpoint=where,
                filled=filled,
                needed=filled + missing,
                unfilled=len(result.unfilled),
            )
            + "\n"
            + t(
                "roster.ui.gen_fairness",
                shifts=fair.spread_shifts,
                nights=fair.spread_nights,
                weekends=fair.spread_weekends,
                hours=f"{fair.spread_hours:g}",
            )
        )
        table = self.query_one("#gen-loads", DataTable)
        table.clear()
        for load in sorted(result.fairness.loads, key=lambda x: (x.name, x.guard_id)):
            table.add_row(
                load.name,
                str(load.shifts),
                str(load.nights),
                str(load.weekends),
                f"{load.hours:g}",
                f"{load.available:.0%}",
            )
        self.query_one("#gen-unfilled", Static).update(self.unfilled_text(report))

    def unfilled_text(self, report: GenerationReport) -> Text:
        app = gate_app(self)
        t = app.t
        names = {cp.code: cp.name for cp in app.ctx.site.checkpoints}
        unfilled = report.result.unfilled
        if not unfilled:
            return Text("✔ " + t("roster.ui.gen_all_filled"), style="bold green")
        lines = [Text(t("roster.ui.gen_unfilled_title", count=len(unfilled)), style="bold")]
        sep = t("roster.publish.cell_separator")
        for u in unfilled:
            why = sep.join(t(code, count=n) for code, n in u.blocked) or t("roster.no_guards")
            line = Text("✖ ", style="bold red")
            line.append(
                t(
                    "roster.ui.gen_unfilled",
                    checkpoint=f"{names.get(u.cell.checkpoint, '')} {u.cell.checkpoint}",
                    day=day_text(t, u.cell.day),
                    shift=shift_label(t, u.cell.shift),
                    missing=u.missing,
                    why=why,
                )
            )
            lines.append(line)
        return Text("\n").join(lines)

    def action_apply(self) -> None:
        app = gate_app(self)
        params = self.params()
        if params is None:
            return
        if params != self.previewed:
            self.action_preview()  # what is applied is what was shown
            app.notify(app.t("roster.ui.gen_preview_first"), severity="warning")
            return
        first, last, cp = params
        report = attempt(
            self, lambda: roster.generate_and_apply(app.ctx, self.leader.id, first, last, cp)
        )
        if report is None:
            return
        app.notify(
            app.t(
                "roster.ui.generated",
                period=period_text(app.t, first, last),
                changes=report.events,
                unfilled=len(report.result.unfilled),
            ),
            timeout=10,
        )
        self.dismiss(report)

    def action_back(self) -> None:
        self.dismiss(None)
