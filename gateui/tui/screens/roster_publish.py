"""Publishing the week: the work-group text on screen, saved as a file, or as QR pages.

The text can be selected and copied (Shift+arrows, Ctrl+C) where the terminal allows;
F3-F5 save it (text, CSV, XLSX) under `exports/` beside the database, named after the
period. F2 shows it as QR codes a phone reads with no network: one QR at 80x24 holds
about 130 bytes (some 40 Chinese characters), so the text is split into numbered pages of
whole lines, as large as the terminal allows; ← → turn the pages.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center
from textual.screen import Screen
from textual.widgets import Static, TextArea

from gateui.services import roster
from gateui.services.roster_export import QR_QUIET_ZONE, QrPage, export_dir, export_roster, qr_pages
from gateui.services.roster_export import file_name as export_file_name
from gateui.tui.screens.base import attempt, gate_app, header_line
from gateui.tui.widgets.keybar import KeyBar
from gateui.tui.widgets.roster_text import day_text

# Explicit black on white, whatever the theme: phone scanners want dark modules on light.
_DARK, _LIGHT = "black", "bright_white"


def qr_text(modules: tuple[tuple[bool, ...], ...], quiet: int = QR_QUIET_ZONE) -> Text:
    """Two modules per character cell ("▀": top in the foreground, bottom in the background)."""
    n = len(modules)
    size = n + 2 * quiet

    def dark(row: int, col: int) -> bool:
        r, c = row - quiet, col - quiet
        return 0 <= r < n and 0 <= c < n and modules[r][c]

    styles = {
        (top, bottom): Style(color=_DARK if top else _LIGHT, bgcolor=_DARK if bottom else _LIGHT)
        for top in (False, True)
        for bottom in (False, True)
    }
    text = Text(no_wrap=True)
    for row in range(0, size, 2):
        if row:
            text.append("\n")
        for col in range(size):
            text.append("▀", styles[(dark(row, col), dark(row + 1, col))])
    return text


class PublishScreen(Screen[None]):
    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "qr", "key.roster_qr", id="roster_publish.qr"),
        Binding("f3", "save('text')", "key.roster_save_text", id="roster_publish.text"),
        Binding("f4", "save('csv')", "key.roster_save_csv", id="roster_publish.csv"),
        Binding("f5", "save('xlsx')", "key.roster_save_xlsx", id="roster_publish.xlsx"),
        Binding("escape", "back", "key.back", id="roster_publish.back"),
    ]

    def __init__(self, first: date, last: date, checkpoint: str | None = None) -> None:
        super().__init__()
        self.first, self.last = first, last
        self.checkpoint = checkpoint
        self.text = ""

    def compose(self) -> ComposeResult:
        app = gate_app(self)
        t = app.t
        yield header_line(self)
        yield Static(
            t(
                "roster.ui.publish_title",
                first=day_text(t, self.first),
                last=day_text(t, self.last),
            ),
            id="publish-title",
        )
        yield TextArea("", read_only=True, soft_wrap=True, id="publish-text")
        yield Static("", id="publish-status")
        yield KeyBar(t)

    def on_mount(self) -> None:
        app = gate_app(self)
        text = attempt(
            self,
            lambda: roster.publish_text(
                app.ctx, self.first, self.last, app.t.lang, self.checkpoint
            ),
        )
        self.text = text or ""
        area = self.query_one("#publish-text", TextArea)
        area.load_text(self.text)
        area.cursor_blink = app.cursor_blink
        area.focus()

    def action_save(self, fmt: str) -> None:
        app = gate_app(self)

        def save() -> str:
            folder = export_dir(app.ctx)
            path = folder / export_file_name(self.first, self.last, fmt)
            written = export_roster(
                app.ctx, path, self.first, self.last, fmt, self.checkpoint, app.t.lang
            )
            return str(written)

        path = attempt(self, save)
        if path is not None:
            message = app.t("roster.ui.saved_file", path=path)
            self.query_one("#publish-status", Static).update("✔ " + message)
            app.notify(message, timeout=8)

    def action_qr(self) -> None:
        if self.text:
            self.app.push_screen(QrScreen(self.text))

    def action_back(self) -> None:
        self.dismiss(None)


class QrScreen(Screen[None]):
    """The text as QR pages filling the screen; one line below says where and which keys."""

    CSS_PATH = "roster.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,pageup,up", "page(-1)", show=False, id="roster_qr.prev"),
        Binding("right,pagedown,down,space", "page(1)", show=False, id="roster_qr.next"),
        Binding("escape", "back", "key.back", show=False, id="roster_qr.back"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.pages: list[QrPage] = []
        self.index = 0
        self._side = 0

    def compose(self) -> ComposeResult:
        with Center(id="qr-center"):
            yield Static("", id="qr-code")
        yield Static("", id="qr-footer")

    def on_mount(self) -> None:
        self.paginate()

    def on_resize(self) -> None:
        self.paginate()

    def paginate(self) -> None:
        width, height = self.app.size
        side = min(width, 2 * (height - 1))
        if side == self._side:
            return
        self._side = side
        pages = attempt(self, lambda: qr_pages(self.text, side))
        self.pages = pages or []
        self.index = min(self.index, max(len(self.pages) - 1, 0))
        self.draw()

    def draw(self) -> None:
        t = gate_app(self).t
        footer = self.query_one("#qr-footer", Static)
        code = self.query_one("#qr-code", Static)
        if not self.pages:
            code.update("")
            footer.update(t("roster.ui.qr_no_room"))
            return
        code.update(qr_text(self.pages[self.index].modules))
        footer.update(t("roster.ui.qr_footer", page=self.index + 1, pages=len(self.pages)))

    def action_page(self, step: int) -> None:
        if self.pages:
            self.index = max(0, min(len(self.pages) - 1, self.index + step))
            self.draw()

    def action_back(self) -> None:
        self.dismiss(None)
