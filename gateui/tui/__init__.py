"""The Textual interface of the gate terminal. Textual is imported nowhere else."""

from gateui.tui.app import GateApp, create_app

__all__ = ["GateApp", "create_app"]
