"""What the sync client is handed and what it reports: the ports (a few services
functions, DESIGN: sync knows nothing else of the database), the errors of the link, and
the result of a round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx

from sync.protocol import Problem


class OutgoingLike(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def hash(self) -> str: ...
    @property
    def digest(self) -> str | None:
        """The chain's digest of a purged payload (sent instead of it); None otherwise."""
        ...


class SyncPorts(Protocol):
    """The few services functions the client is handed (DESIGN: sync knows nothing else)."""

    def pending_changes(
        self, max_bytes: int, max_count: int
    ) -> tuple[str, Sequence[OutgoingLike]]: ...
    def changes_after(self, seq: int, max_bytes: int, max_count: int) -> Sequence[OutgoingLike]: ...
    def pending_count(self) -> int: ...
    def mark_acknowledged(self, acked_seq: int) -> None: ...
    def rewind_acknowledged(self, acked_seq: int, reason: str) -> None: ...
    def pull_cursor(self) -> int: ...
    def apply_reference_page(
        self, items: list[tuple[int, str, bytes]], next_cursor: int
    ) -> int: ...
    def record_attempt(
        self, *, online: bool, error: str | None = None, stop_stream: str | None = None
    ) -> None: ...
    def stream_stopped(self) -> str | None: ...
    def device_now(self) -> datetime:
        """The terminal's own clock (right or wrong: HQ measures the skew from it)."""
        ...


class TransientError(Exception):
    """HQ unreachable or busy: back off and try again.

    `maybe_stored`: the request went out and its answer was lost or unreadable (a reset on
    the way back, a truncated answer), so HQ may have committed it: worth asking HQ what it
    holds before sending the same bytes again."""

    def __init__(
        self, message: str, retry_after: float | None = None, *, maybe_stored: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.maybe_stored = maybe_stored


class StreamRefused(Exception):
    """HQ refused a batch for a reason a retry cannot fix: stop pushing, keep pulling."""


class AuthRefused(Exception):
    """HQ does not accept this device's credentials (revoked, never enrolled, wrong token)."""


@dataclass
class RoundResult:
    pushed: int = 0
    acked_seq: int | None = None
    pulled: int = 0
    pending: int = 0
    online: bool = False
    error: str | None = None
    retry_after: float | None = None
    stopped: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def problem_of(response: httpx.Response) -> Problem | None:
    try:
        return Problem.model_validate_json(response.content)
    except ValueError:
        return None
