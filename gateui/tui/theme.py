"""Themes. High contrast uses only colours of the 16-colour palette, so it looks the same on
the Linux console (TERM=linux) as in a terminal emulator, and reads in sunlight."""

from __future__ import annotations

from textual.theme import Theme

DEFAULT_THEME = "textual-dark"

HIGH_CONTRAST = Theme(
    name="gateui-high-contrast",
    primary="#0000ff",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffff00",
    error="#ff0000",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#000080",
    boost="#000080",
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text-muted": "#ffffff",
        "footer-key-foreground": "#000000",
        "footer-key-background": "#ffff00",
        "footer-background": "#000000",
        "footer-foreground": "#ffffff",
        "footer-description-foreground": "#ffffff",
        "input-cursor-background": "#ffffff",
        "input-cursor-foreground": "#000000",
    },
)
