"""The header line: site, checkpoint, guard on duty, local time in the site's zone, language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual.widgets import Static

from gateui.i18n import Translator


class HeaderLine(Static):
    DEFAULT_CSS = """
    HeaderLine {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(
        self,
        t: Translator,
        *,
        site: str,
        checkpoint: str,
        zone: ZoneInfo,
        clock: Callable[[], datetime],
        guard: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self.t = t
        self.site = site
        self.checkpoint = checkpoint
        self.zone = zone
        self.clock = clock
        self.guard = guard

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def on_resize(self) -> None:
        self.tick()

    def line(self) -> str:
        left = f"{self.site} · {self.checkpoint}"
        if self.guard:
            left += f" · {self.t('header.guard', name=self.guard)}"
        now = self.clock().astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
        right = f"{now} · {self.t('header.language')}"
        room = max(self.size.width - 2, 0)
        gap = max(room - cell_len(left) - cell_len(right), 1)
        return left + " " * gap + right

    def tick(self) -> None:
        self.update(self.line())
