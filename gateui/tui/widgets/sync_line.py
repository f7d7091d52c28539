"""The sync line above the key bar: is HQ reachable, how much is waiting, when it last worked,
and what went wrong, in words.

It reads `sync_io.sync_status`, a cheap local query (the sync state row and the change log's
last sequence), every few seconds. The TUI never talks to HQ: the `gateui sync` daemon does,
and writes what happened into the same database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import Static

from gateui.i18n import Translator
from gateui.services import sync_io
from gateui.services.sync_io import SyncStatus
from gateui.tui.screens.base import gate_app

REFRESH_SECONDS = 3.0
# A "sync now" the daemon has not acted on after this long: it is probably not running.
SILENT_AFTER = timedelta(seconds=30)

_TRANSPORT = re.compile(
    r"^(Connect|Read|Write|Pool|Remote|Network|Transport|Proxy|Protocol|Local)\w*(Error|Timeout)\b"
)
_TIMEOUT = re.compile(r"^\w*Timeout\b")
# HQ's refusal codes that the client reports as "<code>: <message>" (sync/hq/errors.py).
_REFUSALS = (
    "gap",
    "conflict",
    "chain_mismatch",
    "too_large",
    "version",
    "bad_request",
    "bad_encoding",
    "not_found",
    "method_not_allowed",
)
_AUTH = ("unauthorized", "revoked", "wrong_device")


def error_words(t: Translator, text: str | None) -> str:
    """The daemon's last error (technical English from the sync client) in the user's words.

    The original text stays available on the details screen for whoever calls HQ.
    """
    if not text:
        return ""
    text = text.strip()
    if text.startswith("watchdog:"):
        count = re.search(r"\d+", text)
        return t("sync.err.stuck", count=count.group(0) if count else "?")
    if text.startswith("HQ lost changes"):
        return t("sync.err.hq_lost")
    if text.startswith("refused: "):
        rest = text.removeprefix("refused: ")
        code = rest.split(":", 1)[0].strip()
        if code in _AUTH:
            return t(f"sync.err.{code}")
        if code == "pull":
            return t("sync.err.pull_refused")
        return refusal_words(t, code)
    if text.startswith("HQ answered"):
        status = re.search(r"\d{3}", text)
        if status and status.group(0) in ("429", "503"):
            return t("sync.err.busy")
        return t("sync.err.hq_error", status=status.group(0) if status else "?")
    if text.startswith("unreadable"):
        return t("sync.err.garbled")
    if _TIMEOUT.match(text):
        return t("sync.err.timeout")
    if _TRANSPORT.match(text):
        return t("sync.err.unreachable")
    code = text.split(":", 1)[0].strip()
    if code in _REFUSALS:
        return refusal_words(t, code)
    return t("sync.err.other", detail=text[:80])


def refusal_words(t: Translator, code: str) -> str:
    reason = t(f"sync.refusal.{code}") if t.has(f"sync.refusal.{code}") else code
    return t("sync.err.refused", reason=reason)


def when_text(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """Local time in the site's zone: "17:31" today, "11-28 17:31" on another day."""
    local, today = at.astimezone(zone), now.astimezone(zone)
    return local.strftime("%H:%M" if local.date() == today.date() else "%m-%d %H:%M")


def request_waiting(status: SyncStatus) -> bool:
    """A "sync now" the daemon has not yet answered with an attempt."""
    if status.requested_at is None:
        return False
    return status.last_attempt_at is None or status.last_attempt_at < status.requested_at


def daemon_silent(status: SyncStatus, now: datetime) -> bool:
    return request_waiting(status) and now - (status.requested_at or now) > SILENT_AFTER


def summary_parts(
    t: Translator, status: SyncStatus, zone: ZoneInfo, now: datetime
) -> list[tuple[str, str]]:
    """(text, tone) pieces of the one-line summary; tone is "", "ok", "warn" or "bad".

    Tone is never the only signal: each piece says its state in words (and ●/○ marks).
    """
    parts: list[tuple[str, str]] = []
    pending = ("sync.pending", "warn" if status.pending else "")
    if not status.enrolled:
        parts.append((t("sync.not_connected"), "warn"))
        parts.append((t(pending[0], count=status.pending), ""))
        return parts
    if status.online:
        parts.append((t("sync.online"), "ok"))
    else:
        parts.append((t("sync.offline"), "warn"))
    parts.append((t(pending[0], count=status.pending), pending[1]))
    if status.last_success_at is not None:
        parts.append((t("sync.last_success", at=when_text(status.last_success_at, zone, now)), ""))
    else:
        parts.append((t("sync.never_succeeded"), ""))
    if status.stream_stopped:
        parts.append((t("sync.stopped", reason=error_words(t, status.stream_stopped)), "bad"))
    elif status.last_error:
        parts.append(("✖ " + error_words(t, status.last_error), "bad"))
    if daemon_silent(status, now):
        parts.append((t("sync.daemon_silent"), "bad"))
    elif request_waiting(status):
        parts.append((t("sync.requested"), ""))
    return parts


class SyncLine(Static):
    """One line, refreshed on a timer; a failed read says so instead of raising."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sync-line--key",
        "sync-line--title",
        "sync-line--ok",
        "sync-line--warn",
        "sync-line--bad",
    }
    DEFAULT_CSS = """
    SyncLine {
        height: 1;
        padding: 0 1 0 0;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .sync-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .sync-line--title { text-style: bold; }
        & > .sync-line--ok { color: $success; text-style: bold; }
        & > .sync-line--warn { color: $warning; text-style: bold; }
        & > .sync-line--bad { color: $error; text-style: bold; }
    }
    """

    def __init__(
        self,
        *,
        interval: float = REFRESH_SECONDS,
        on_status: Callable[[SyncStatus], None] | None = None,
        key_hint: tuple[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        """`key_hint` is (key, what it does), printed first: the key to the details."""
        super().__init__("", id=id)
        self.interval = interval
        self.key_hint = key_hint
        self.on_status = on_status
        self.status: SyncStatus | None = None

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(self.interval, self.refresh_status)

    def refresh_status(self) -> None:
        app = gate_app(self)
        t = app.t
        try:
            status = sync_io.sync_status(app.ctx)
        except Exception as exc:  # a locked or unreadable file: say so, try again later
            self.status = None
            self.update(Text(t("sync.unknown", detail=app.t.error(exc)[1]), no_wrap=True))
            return
        self.status = status
        self.update(self.render_status(status))
        if self.on_status is not None:
            self.on_status(status)

    def render_status(self, status: SyncStatus) -> Text:
        app = gate_app(self)
        t = app.t
        text = Text(no_wrap=True, overflow="ellipsis")
        if self.key_hint is not None:
            key, action = self.key_hint
            text.append(f" {key} ", self.get_component_rich_style("sync-line--key"))
            text.append(f"{action}：" if t.lang == "zh" else f"{action}: ")
        else:
            title = self.get_component_rich_style("sync-line--title")
            text.append(f" {t('sync.title')} ", title)
        parts = summary_parts(t, status, app.ctx.site.zone, app.ctx.now())
        for index, (piece, tone) in enumerate(parts):
            if index:
                text.append(" · ")
            style = self.get_component_rich_style(f"sync-line--{tone}") if tone else ""
            text.append(piece, style)
        return text
