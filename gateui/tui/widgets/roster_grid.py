"""The roster grid of one checkpoint: shifts down, days across, names and marks in each cell.

At 80 columns a week of one checkpoint fits (7 days x 10 columns beside the shift names);
the screen pages by week and by checkpoint. Every problem is a text mark as well as a
colour, so it reads on a monochrome console: "缺1"/"-1" short, "!2" two rule problems,
"+1" one guard too many, "锁"/"L" locked, "?" edits from two terminals to confirm.
A name followed by "!" is the guard a rule problem is about.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from gateui.domain.roster import CellKey
from gateui.i18n import Translator
from gateui.services.roster_publish import shift_name
from gateui.services.roster_views import RosterCellView, RosterGridView, ShiftHeading

CELL_WIDTH = 8
_SHORT = Style(color="red", bold=True)
_ERROR = Style(color="yellow", bold=True)
_MUTED = Style(dim=True)
_LOCK = Style(color="cyan", bold=True)


def fit(text: str, width: int) -> str:
    """Cut a text to `width` terminal columns (a Chinese character takes two)."""
    if cell_len(text) <= width:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > width - 1:
            break
        out += char
    return out + "…"


def problem_guards(cell: RosterCellView) -> set[str]:
    """Names of the guards an error in this cell is about (rest, double booking…)."""
    return {
        str(v.params["guard"])
        for v in cell.violations
        if v.severity == "error" and "guard" in v.params
    }


def cell_marks(t: Translator, cell: RosterCellView) -> list[tuple[str, Style]]:
    marks: list[tuple[str, Style]] = []
    if cell.is_short:
        marks.append((t("roster.ui.mark_short", count=cell.short_by), _SHORT))
    errors = sum(
        1 for v in cell.violations if v.severity == "error" and v.code != "roster.rule.short"
    )
    if errors:
        marks.append((f"!{errors}", _ERROR))
    over = len(cell.guards) - cell.required
    if over > 0:
        marks.append((f"+{over}", _ERROR))
    if cell.locked:
        marks.append((t("roster.ui.mark_locked"), _LOCK))
    if cell.conflict:
        marks.append(("?", _ERROR))
    return marks


def cell_text(t: Translator, cell: RosterCellView, lines: int) -> Text:
    """Names (a place still to fill shows "·"), then the marks on the last line."""
    text = Text(no_wrap=True, overflow="crop")
    flagged = problem_guards(cell)
    for i in range(lines):
        if i < len(cell.guards):
            name = cell.guards[i].name
            bad = name in flagged
            shown = fit(name, CELL_WIDTH - 1 if bad else CELL_WIDTH)
            text.append(shown, _ERROR if bad else Style())
            if bad:
                text.append("!", _ERROR)
        elif i < cell.required:
            text.append("·", _MUTED)  # a place to fill
        text.append("\n")
    marks = cell_marks(t, cell)
    gap = " " if sum(cell_len(m) for m, _ in marks) + len(marks) - 1 <= CELL_WIDTH else ""
    for i, (mark, style) in enumerate(marks):
        if i:
            text.append(gap)
        text.append(mark, style)
    return text


def hour_span(heading: ShiftHeading) -> str:
    """ "00-08" for 00:00-08:00; minutes are kept when a shift does not start on the hour."""

    def short(clock: str) -> str:
        return clock[:2] if clock.endswith(":00") else clock

    return f"{short(heading.start)}-{short(heading.end)}"


def day_label(t: Translator, day: date, today: date) -> Text:
    style = Style(bold=True, underline=True) if day == today else Style(bold=True)
    return Text(f"{day:%m-%d}\n{t(f'roster.weekday.{day.weekday()}')}", style=style)


class RosterTable(DataTable[Text]):
    """The grid of one checkpoint; the cursor is a cell (a shift on a day)."""

    DEFAULT_CSS = """
    RosterTable {
        height: auto;
        max-height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            header_height=2, cell_padding=1, zebra_stripes=True, cursor_type="cell", id=id
        )
        self.grid: RosterGridView | None = None
        self.checkpoint = ""

    def show(self, t: Translator, grid: RosterGridView, checkpoint: str, today: date) -> None:
        """Draw the grid of `checkpoint`, keeping the cursor where it was."""
        where = self.cursor_coordinate
        self.grid, self.checkpoint = grid, checkpoint
        self.clear(columns=True)
        for day in grid.days:
            self.add_column(day_label(t, day, today), width=CELL_WIDTH, key=day.isoformat())
        for heading in grid.shifts:
            cells = [grid.cell(day, heading.code, checkpoint) for day in grid.days]
            lines = max([c.required for c in cells] + [len(c.guards) for c in cells] + [1])
            label = Text(f"{shift_name(t, heading)}\n{hour_span(heading)}", style="bold")
            self.add_row(
                *[cell_text(t, c, lines) for c in cells],
                height=lines + 1,
                key=heading.code,
                label=label,
            )
        row = min(where.row, len(grid.shifts) - 1)
        column = min(where.column, len(grid.days) - 1)
        self.move_cursor(row=max(row, 0), column=max(column, 0), animate=False)

    def cell_at_cursor(self) -> CellKey | None:
        grid = self.grid
        if grid is None or not grid.days or not grid.shifts:
            return None
        where = self.cursor_coordinate
        if not (0 <= where.row < len(grid.shifts) and 0 <= where.column < len(grid.days)):
            return None
        return CellKey(grid.days[where.column], grid.shifts[where.row].code, self.checkpoint)

    def select(self, day: date, shift: str) -> None:
        grid = self.grid
        if grid is None or day not in grid.days:
            return
        codes = [h.code for h in grid.shifts]
        if shift in codes:
            self.move_cursor(row=codes.index(shift), column=grid.days.index(day), animate=False)
