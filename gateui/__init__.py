"""GateUI: an offline-first gate terminal."""

__version__ = "0.1.0"
