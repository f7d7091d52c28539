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

T = TypeVar("T")
log = logging.getLogger(__name__)


def gate_app(node: DOMNode) -> GateApp:
    return cast("GateApp", node.app)


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
