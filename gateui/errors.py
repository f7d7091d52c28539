"""One exception base for everything GateUI reports to a person.

Like harlequin's HarlequinError, each error carries a title; both title and message are
i18n keys with parameters, so the TUI and the CLI can show them in the user's language.
"""

from __future__ import annotations

from typing import Any


class GateUIError(Exception):
    """A problem to show to the user, never a crash."""

    title_key: str = "error.title"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return f"{self.code} {self.params}" if self.params else self.code


class StorageError(GateUIError):
    """The database cannot be written (disk full, read-only, locked by another program)."""

    title_key = "error.storage_title"


class NotFoundError(GateUIError):
    title_key = "error.not_found_title"


class PermissionDeniedError(GateUIError):
    title_key = "error.permission_title"


class ConfigError(GateUIError):
    title_key = "error.config_title"
