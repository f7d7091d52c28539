"""The key bar: every action key of the current screen, translated, wrapped over two lines.

Textual's Footer is one line and scrolls sideways, so at 80 columns in English some keys
would be hidden; a guard must see every key, so this bar wraps instead. Binding
descriptions are i18n keys, translated here.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from gateui.i18n import Translator

_KEY_NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "delete": "Del",
    "tab": "Tab",
    "space": "Space",
}


def key_label(binding: Binding) -> str:
    """How a key is printed: F2, Esc, ^Q. A keymap's new key shows as itself."""
    if binding.key_display:
        return binding.key_display
    key = binding.key.split(",")[0]
    *mods, name = key.split("+")
    label = _KEY_NAMES.get(name, name.upper() if len(name) <= 3 else name.title())
    if "ctrl" in mods:
        label = f"^{label}"
    if "shift" in mods:
        label = f"⇧{label}"
    return label


class KeyBar(Static):
    """Docked at the bottom, always two lines: a screen's own bar covers the one beneath."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "keybar--key",
        "keybar--description",
        "keybar--disabled",
    }
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 2;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
        }
        & > .keybar--disabled {
            text-style: dim;
        }
    }
    """

    def __init__(self, t: Translator, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.t = t

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.refresh_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self) -> None:
        self.refresh_keys()

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        if self.is_attached:
            self.call_after_refresh(self.refresh_keys)

    def items(self) -> list[tuple[str, str, bool]]:
        """(key, description, enabled) of every shown binding, once per action.

        A screen may add `key_hints()`: keys owned by a focused widget, such as Enter in
        the scan field, whose meaning depends on what the screen shows.
        """
        seen: set[str] = set()
        hints = getattr(self.screen, "key_hints", None)
        out = [(key, text, True) for key, text in hints()] if callable(hints) else []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append((key_label(binding), self.t(binding.description), active.enabled))
        return out

    def refresh_keys(self) -> None:
        if not self.is_attached:
            return  # a late refresh after the screen went away
        key_style = self.get_component_rich_style("keybar--key")
        desc_style = self.get_component_rich_style("keybar--description")
        dim_style = self.get_component_rich_style("keybar--disabled")
        width = max(self.size.width, 20)
        lines: list[Text] = [Text()]
        for key, description, enabled in self.items():
            k_style, d_style = (
                (key_style, desc_style)
                if enabled
                else (
                    key_style + dim_style,
                    desc_style + dim_style,
                )
            )
            piece = Text()
            piece.append(f" {key} ", k_style)
            piece.append(f"{description} ", d_style)
            if lines[-1].cell_len and lines[-1].cell_len + cell_len(piece.plain) > width:
                lines.append(Text())
            lines[-1].append_text(piece)
        self.update(Text("\n").join(lines))
