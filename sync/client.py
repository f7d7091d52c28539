"""The terminal side of sync: push the change log up, pull reference data down.

The client is handed a `SyncPorts` object (built from gateui.services.sync_io by the CLI)
and knows nothing else of the database. One *round* pushes every pending batch and pulls
every reference page; `run_daemon` repeats rounds, backing off while HQ is unreachable.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import httpx

from sync import protocol
from sync.protocol import Problem, ProtocolError, PushAck, PushHeader, WireChange


class OutgoingLike(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def hash(self) -> str: ...


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
    """HQ unreachable or busy: back off and try again."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _problem(response: httpx.Response) -> Problem | None:
    try:
        return Problem.model_validate_json(response.content)
    except ValueError:
        return None


@dataclass
class SyncClient:
    ports: SyncPorts
    device_id: str
    base_url: str
    token: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))
    max_batch_bytes: int = protocol.MAX_BATCH_RAW_BYTES
    max_batch_changes: int = protocol.MAX_BATCH_CHANGES
    pull_limit: int = 2_000

    def _headers(self) -> dict[str, str]:
        return {
            **protocol.auth_header(self.device_id, self.token),
            "Content-Type": protocol.CONTENT_TYPE,
            "Content-Encoding": protocol.ENCODING,
        }

    def _send(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        params: dict[str, int] | None = None,
    ) -> httpx.Response:
        try:
            response = self.http.request(
                method,
                self.base_url + protocol.API_PREFIX + path,
                content=body,
                params=params,
                headers=self._headers(),
            )
        except (httpx.TransportError, httpx.DecodingError) as exc:
            # DecodingError: an answer whose compressed body arrived garbled (a middlebox, a
            # broken link). Like a lost answer, it is retried; it must not end the daemon.
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code in (429, 503) or response.status_code >= 500:
            raise TransientError(f"HQ answered {response.status_code}", _retry_after(response))
        if response.status_code in (401, 403):
            problem = _problem(response)
            raise AuthRefused(problem.error if problem else str(response.status_code))
        return response

    def push_batch(self) -> tuple[int, int | None]:
        """Send one batch; (changes sent, HQ's acked sequence) — (0, None) if nothing pending."""
        prev_hash, changes = self.ports.pending_changes(
            self.max_batch_bytes, self.max_batch_changes
        )
        if not changes:
            return 0, None
        header = PushHeader(
            device=self.device_id,
            first_seq=changes[0].seq,
            count=len(changes),
            prev_hash=prev_hash,
            last_hash=changes[-1].hash,
            pending=max(0, self.ports.pending_count() - len(changes)),
            device_time=self.ports.device_now(),
        )
        wire = [WireChange(kind=c.kind, payload=c.payload) for c in changes]
        body = protocol.compress(protocol.encode_push(header, wire))
        response = self._send("POST", "/push", body)
        if response.status_code == 200:
            try:
                ack = PushAck.model_validate_json(response.content)
            except ValueError as exc:
                # A truncated or garbled answer: HQ may or may not have committed. Resend.
                raise TransientError(f"unreadable acknowledgement: {exc}") from exc
            self.ports.mark_acknowledged(ack.acked_seq)
            return len(changes), ack.acked_seq
        problem = _problem(response)
        if problem is None:
            raise TransientError(f"HQ answered {response.status_code} without a problem body")
        if problem.error == "gap" and problem.expected_seq is not None:
            # HQ holds less than it once acknowledged (restored from a backup): resend.
            self.ports.rewind_acknowledged(problem.expected_seq - 1, problem.message)
            return 0, problem.expected_seq - 1
        raise StreamRefused(f"{problem.error}: {problem.message}")

    def push_all(
        self, on_batch: Callable[[int, int | None], None] | None = None
    ) -> tuple[int, int | None]:
        total, acked = 0, None
        while True:
            sent, batch_acked = self.push_batch()
            if batch_acked is None:
                return total, acked
            total, acked = total + sent, batch_acked
            if on_batch:
                on_batch(sent, batch_acked)
            if sent == 0 and self.ports.pending_count() == 0:
                return total, acked

    def pull_all(self) -> int:
        pulled = 0
        while True:
            cursor = self.ports.pull_cursor()
            response = self._send(
                "GET", "/pull", params={"cursor": cursor, "limit": self.pull_limit}
            )
            if response.status_code != 200:
                problem = _problem(response)
                raise StreamRefused(f"pull: {problem.error if problem else response.status_code}")
            try:
                header, items = protocol.decode_pull(response.content)
            except ProtocolError as exc:
                raise TransientError(f"unreadable page: {exc}") from exc
            pulled += self.ports.apply_reference_page(
                [(i.cursor, i.kind, i.payload) for i in items], header.next_cursor
            )
            if not header.more or header.next_cursor <= cursor:
                return pulled

    def run_round(self) -> RoundResult:
        """Push everything, then pull everything; classify whatever went wrong."""
        result = RoundResult()
        try:
            if self.ports.stream_stopped() is None:
                try:
                    result.pushed, result.acked_seq = self.push_all()
                except StreamRefused as exc:
                    result.stopped = str(exc)
                    self.ports.record_attempt(online=True, error=str(exc), stop_stream=str(exc))
            result.pulled = self.pull_all()
            result.online = True
        except TransientError as exc:
            result.error, result.retry_after = str(exc), exc.retry_after
            self.ports.record_attempt(online=False, error=result.error)
        except (AuthRefused, StreamRefused) as exc:
            result.error, result.online = f"refused: {exc}", True
            self.ports.record_attempt(online=True, error=result.error)
        else:
            if result.stopped is None:
                self.ports.record_attempt(online=True)
            else:
                result.error = result.stopped
        result.pending = self.ports.pending_count()
        return result


@dataclass
class Backoff:
    """Capped exponential backoff with full jitter (no herd of sites retrying in step)."""

    base: float = 1.0
    cap: float = 300.0
    attempt: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_delay(self, retry_after: float | None = None) -> float:
        self.attempt += 1
        ceiling = min(self.cap, self.base * 2 ** min(self.attempt, 20))
        delay = self.rng.uniform(self.base, ceiling)
        return max(delay, retry_after) if retry_after is not None else delay

    def reset(self) -> None:
        self.attempt = 0


@dataclass
class DaemonHooks:
    """How the daemon notices work without polling HQ: local changes and "sync now"."""

    local_version: Callable[[], tuple[int, object]]  # (last local seq, sync-now marker)
    on_round: Callable[[RoundResult], None] = lambda _r: None


def run_daemon(
    client: SyncClient,
    hooks: DaemonHooks,
    stop: threading.Event,
    idle_check: float = 1.0,
    backoff: Backoff | None = None,
    watchdog_rounds: int = 5,
) -> None:
    """Run rounds until `stop` is set.

    Online and idle, it waits for a new local change (a cheap local read every
    `idle_check` seconds, never a network call). Offline, it sleeps the backoff delay and
    wakes early only for a "sync now" request. A watchdog records a stuck queue: changes
    pending while rounds succeed without HQ's acknowledgement moving.
    """
    backoff = backoff or Backoff()
    stalled = 0
    last_acked: int | None = None
    while not stop.is_set():
        result = client.run_round()
        hooks.on_round(result)
        if result.ok:
            backoff.reset()
            if result.pending and result.acked_seq == last_acked:
                stalled += 1
                if stalled >= watchdog_rounds:
                    client.ports.record_attempt(
                        online=True, error=f"watchdog: {result.pending} changes not draining"
                    )
            else:
                stalled = 0
            last_acked = result.acked_seq if result.acked_seq is not None else last_acked
            seen = hooks.local_version()
            while not stop.wait(idle_check):
                if hooks.local_version() != seen:
                    break
        else:
            delay = backoff.next_delay(result.retry_after)
            seen = hooks.local_version()
            waited = 0.0
            while waited < delay and not stop.wait(min(idle_check, delay - waited)):
                waited += idle_check
                if hooks.local_version()[1] != seen[1]:
                    break  # someone asked for a sync now


class EnrollmentError(Exception):
    """HQ refused the enrollment code, or could not be reached."""


def enroll(
    base_url: str, code: str, device_id: str, name: str = "", http: httpx.Client | None = None
) -> protocol.EnrollResponse:
    """Exchange a one-time enrollment code for this device's credentials."""
    client = http or httpx.Client(timeout=30.0)
    request = protocol.EnrollRequest(code=code.strip(), device=device_id, name=name)
    try:
        response = client.post(
            base_url.rstrip("/") + protocol.API_PREFIX + "/enroll",
            content=request.model_dump_json(),
            headers={"Content-Type": "application/json"},
        )
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise EnrollmentError(f"HQ unreachable: {exc}") from exc
    if response.status_code != 200:
        problem = _problem(response)
        raise EnrollmentError(problem.message if problem else f"HQ answered {response.status_code}")
    try:
        return protocol.EnrollResponse.model_validate_json(response.content)
    except ValueError as exc:
        raise EnrollmentError(f"unreadable answer from HQ: {exc}") from exc


def build_bundle(ports: SyncPorts, device_id: str, token: str) -> tuple[bytes, int]:
    """Every unacknowledged change as one signed bundle: (file bytes, number of changes)."""
    bodies: list[bytes] = []
    total = 0
    prev_hash, changes = ports.pending_changes(
        protocol.MAX_BATCH_RAW_BYTES, protocol.MAX_BATCH_CHANGES
    )
    # pending_changes always starts after the acknowledged sequence, so walk on by hand.
    while changes:
        header = PushHeader(
            device=device_id,
            first_seq=changes[0].seq,
            count=len(changes),
            prev_hash=prev_hash,
            last_hash=changes[-1].hash,
            pending=0,
            device_time=ports.device_now(),
        )
        wire = [WireChange(kind=c.kind, payload=c.payload) for c in changes]
        bodies.append(protocol.encode_push(header, wire))
        total += len(changes)
        prev_hash = changes[-1].hash
        changes = list(
            ports.changes_after(
                changes[-1].seq, protocol.MAX_BATCH_RAW_BYTES, protocol.MAX_BATCH_CHANGES
            )
        )
    if not bodies:
        return b"", 0
    return protocol.sign_bundle(device_id, token, bodies), total
