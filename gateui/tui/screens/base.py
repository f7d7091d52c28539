"""What every screen needs from the app: the context, the translator, the user, and a safe way
to call a service (errors become a message in the user's language, never a crash)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.dom import DOMNode
from textual.widgets import Input

from gateui.errors import GateUIError

if TYPE_CHECKING:
    from gateui.tui.app import GateApp
    from gateui.tui.widgets.header import HeaderLine

T = TypeVar("T")
log = logging.getLogger(__name__)


def gate_app(node: DOMNode) -> GateApp:
    return cast("GateApp", node.app)


def header_line(node: DOMNode, on_duty: str | None = None) -> HeaderLine:
    """The top line of every screen after login: site, checkpoint, clock and who is on
    duty (`on_duty`, else the logged-in user)."""
    from gateui.tui.widgets.header import HeaderLine

    app = gate_app(node)
    if on_duty is None and app.user is not None:
        on_duty = app.user.name
    site = app.ctx.site
    return HeaderLine(
        app.t,
        site=site.name,
        checkpoint=app.checkpoint_label,
        zone=site.zone,
        clock=app.ctx.now,
        guard=on_duty,
    )


def show_error(node: DOMNode, exc: BaseException) -> None:
    app = gate_app(node)
    title, message = app.t.error(exc)
    app.notify(message, title=title, severity="error", timeout=10)


def attempt(node: DOMNode, call: Callable[[], T]) -> T | None:
    """Run one service call; on failure tell the user and return None.

    Callers keep whatever the user typed on screen when None comes back: a full disk or a
    read-only database must not cost the guard the entry they were making.
    """
    try:
        return call()
    except GateUIError as exc:
        show_error(node, exc)
    except Exception as exc:  # never crash at the gate; the log has the traceback
        log.exception("unexpected error in a service call")
        show_error(node, exc)
    return None


def settle_inputs(screen: DOMNode) -> None:
    """Apply app-wide input settings (no blinking cursor for snapshots and slow consoles)."""
    blink = gate_app(screen).cursor_blink
    for field in screen.query(Input):
        field.cursor_blink = blink
