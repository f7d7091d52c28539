"""The terminal side of sync: push the change log up, pull reference data down.

The client is handed a `SyncPorts` object (built from gateui.services.sync_io by the CLI)
and knows nothing else of the database. One *round* pushes every pending batch and pulls
every reference page; `run_daemon` (sync.daemon) repeats rounds, backing off while HQ is
unreachable. Batches are cut by the link's measured rate (sync.batching); the ports, errors
and round result are in sync.link, enrollment in sync.enrollment (all re-exported here).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import httpx

from sync import protocol
from sync.batching import (
    MAX_BATCH_BYTES,
    TAIL_SHARE,
    BatchSizer,
    PushBatch,
    cut,
    encode_batch,
    push_body,
)
from sync.daemon import Backoff as Backoff
from sync.daemon import DaemonHooks as DaemonHooks
from sync.daemon import run_daemon as run_daemon
from sync.enrollment import EnrollmentError as EnrollmentError
from sync.enrollment import enroll as enroll
from sync.link import AuthRefused as AuthRefused
from sync.link import OutgoingLike as OutgoingLike
from sync.link import RoundResult as RoundResult
from sync.link import StreamRefused as StreamRefused
from sync.link import SyncPorts as SyncPorts
from sync.link import TransientError as TransientError
from sync.link import problem_of, retry_after
from sync.protocol import ProtocolError, PushAck


class _Gap(Exception):
    """HQ holds less than it acknowledged (restored from a backup): rewind and resend."""

    def __init__(self, acked_seq: int, reason: str) -> None:
        super().__init__(reason)
        self.acked_seq, self.reason = acked_seq, reason


class _TooLarge(Exception):
    """HQ refused a batch as too large; the sizer was told, the next batch is smaller."""


@dataclass
class SyncClient:
    ports: SyncPorts
    device_id: str
    base_url: str
    token: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))
    max_batch_bytes: int = MAX_BATCH_BYTES  # a cap; the sizer cuts by the link's rate
    max_batch_changes: int = protocol.MAX_BATCH_CHANGES
    pull_limit: int = 2_000
    sizer: BatchSizer = field(default_factory=BatchSizer)
    recoveries_per_round: int = 3
    _acked_local: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        # A batch's bytes may still be on the wire when the client starts waiting for the
        # answer (the socket's buffer took them): keep a batch well inside the read timeout.
        read_timeout = self.http.timeout.read
        if read_timeout is not None:
            self.sizer.target_seconds = min(self.sizer.target_seconds, read_timeout / 2)

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
            sent = not isinstance(
                exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
            )
            raise TransientError(f"{type(exc).__name__}: {exc}", maybe_stored=sent) from exc
        if response.status_code in (429, 503) or response.status_code >= 500:
            raise TransientError(f"HQ answered {response.status_code}", retry_after(response))
        if response.status_code in (401, 403):
            problem = problem_of(response)
            raise AuthRefused(problem.error if problem else str(response.status_code))
        return response

    def push_batch(self) -> tuple[int, int | None]:
        """Send one batch; (changes sent, HQ's acked sequence) — (0, None) if nothing pending."""
        while (batch := self._first_batch()) is not None:
            try:
                ack = self._post(batch)
            except _Gap as gap:
                self.ports.rewind_acknowledged(gap.acked_seq, gap.reason)
                return 0, gap.acked_seq
            except _TooLarge:
                continue  # the sizer halved its ceiling: the same changes, fewer at a time
            self.ports.mark_acknowledged(ack.acked_seq)
            return batch.count, ack.acked_seq
        return 0, None

    def push_all(
        self, on_batch: Callable[[int, int | None], None] | None = None
    ) -> tuple[int, int | None]:
        """Push every pending batch, one after another (see sync.batching).

        While a batch is on the wire a worker thread records the previous acknowledgement and
        reads and compresses the next batch, so neither the link nor HQ waits for the local
        database. A connection lost after the request went out costs no backoff: HQ is asked
        what it holds (GET /status) and the push goes on from there, at most
        `recoveries_per_round` times a round.
        """
        total, acked = 0, None
        recoveries = 0
        with ThreadPoolExecutor(1, thread_name_prefix="gateui-sync-push") as worker:
            marks: list[Future[None]] = []
            upcoming: Future[PushBatch | None] = worker.submit(self._first_batch)
            try:
                while (batch := upcoming.result()) is not None:
                    upcoming = worker.submit(self._batch_after, batch, self.sizer.limit())
                    started = time.perf_counter()
                    try:
                        ack = self._post(batch)
                    except _Gap as gap:
                        upcoming = self._restart(worker, upcoming, self._rewind, gap)
                        acked = gap.acked_seq
                        continue
                    except _TooLarge:
                        upcoming = self._restart(worker, upcoming)
                        continue
                    except TransientError as exc:
                        if not exc.maybe_stored or recoveries >= self.recoveries_per_round:
                            raise
                        recoveries += 1
                        held = self._held_by_hq(exc)
                        upcoming = self._restart(worker, upcoming, self._mark_held, held)
                        continue
                    if ack.acked_seq < batch.last_seq:  # not HQ's contract: try again later
                        raise TransientError(f"HQ acknowledged {ack.acked_seq} of {batch.last_seq}")
                    self.sizer.observe(batch, time.perf_counter() - started)
                    marks.append(worker.submit(self._mark, ack.acked_seq))
                    total, acked = total + batch.count, ack.acked_seq
                    if on_batch:
                        on_batch(batch.count, ack.acked_seq)
                    if ack.acked_seq > batch.last_seq or (
                        batch.more and self.sizer.limit() >= 2 * batch.limit
                    ):
                        # HQ holds more than this batch (a replay), or the link proved much
                        # faster than the next batch was cut for: cut it again.
                        upcoming = self._restart(worker, upcoming)
                    for mark in [m for m in marks if m.done()]:
                        marks.remove(mark)
                        mark.result()  # a failed write of an acknowledgement stops here
            finally:
                upcoming.cancel()
                for mark in marks:
                    mark.result()
        return total, acked

    def _restart(
        self,
        worker: ThreadPoolExecutor,
        upcoming: Future[PushBatch | None],
        before: Callable[..., None] | None = None,
        *args: object,
    ) -> Future[PushBatch | None]:
        """Drop the batch being prepared; (after `before`) start again from the device's
        acknowledged sequence."""
        upcoming.cancel()
        if before is not None:
            worker.submit(before, *args).result()
        return worker.submit(self._first_batch)

    # --- batches (on the worker thread during push_all) -----------------------------------

    def _first_batch(self) -> PushBatch | None:
        """The batch right after what the device holds as acknowledged."""
        limit = self.sizer.limit(self.max_batch_bytes)
        prev_hash, changes = self.ports.pending_changes(
            limit + limit // TAIL_SHARE, self.max_batch_changes
        )
        if not changes:
            return None
        self._acked_local = changes[0].seq - 1
        return self._encode(prev_hash, changes, limit)

    def _batch_after(self, previous: PushBatch, limit: int) -> PushBatch | None:
        """The batch after `previous` (read while `previous` is still on the wire)."""
        limit = min(limit, self.max_batch_bytes)
        changes = self.ports.changes_after(
            previous.last_seq, limit + limit // TAIL_SHARE, self.max_batch_changes
        )
        if not changes:
            return None
        return self._encode(previous.last_hash, changes, limit)

    def _encode(self, prev_hash: str, read: Sequence[OutgoingLike], limit: int) -> PushBatch:
        # Read up to a quarter past the limit: a rest that small goes along (one round trip
        # less); otherwise the batch is cut at the limit.
        last_local = self._acked_local + self.ports.pending_count()
        changes = read if last_local - read[-1].seq == 0 else cut(read, limit)
        after = max(0, last_local - changes[-1].seq)
        return encode_batch(
            self.device_id,
            prev_hash,
            changes,
            pending=after,
            device_time=self.ports.device_now(),
            limit=limit,
            more=after > 0,
            level=self.sizer.level(),
        )

    def _mark(self, acked_seq: int) -> None:
        self.ports.mark_acknowledged(acked_seq)
        self._acked_local = max(self._acked_local, acked_seq)

    def _mark_held(self, held: int) -> None:
        # More than this device ever wrote is not this device's log (a restored terminal):
        # then the resent batch lets HQ judge it (a conflict), as it would without asking.
        if held <= self._acked_local + self.ports.pending_count():
            self._mark(held)

    def _rewind(self, gap: _Gap) -> None:
        self.ports.rewind_acknowledged(gap.acked_seq, gap.reason)

    def _post(self, batch: PushBatch) -> PushAck:
        """POST one batch; HQ's acknowledgement, or the refusal as an exception."""
        response = self._send("POST", "/push", batch.body)
        if response.status_code == 200:
            try:
                return PushAck.model_validate_json(response.content)
            except ValueError as exc:
                # A truncated or garbled answer: HQ may or may not have committed. Resend.
                raise TransientError(
                    f"unreadable acknowledgement: {exc}", maybe_stored=True
                ) from exc
        problem = problem_of(response)
        if problem is None:
            raise TransientError(f"HQ answered {response.status_code} without a problem body")
        if problem.error == "gap" and problem.expected_seq is not None:
            # HQ holds less than it once acknowledged (restored from a backup): resend.
            raise _Gap(problem.expected_seq - 1, problem.message)
        if problem.error == "too_large" and self.sizer.refused_as_too_large(batch):
            raise _TooLarge(problem.message)  # HQ's body limit is lower: smaller batches
        raise StreamRefused(f"{problem.error}: {problem.message}")

    def _held_by_hq(self, lost: TransientError) -> int:
        """How far HQ holds this device's stream (its own line of GET /status), after a
        push whose answer was lost; `lost` is raised again if HQ cannot say."""
        try:
            response = self._send("GET", "/status")
            lines = response.json() if response.status_code == 200 else None
            mine = [
                x for x in lines or [] if isinstance(x, dict) and x.get("device") == self.device_id
            ]
            held = mine[0]["complete_through"] if len(mine) == 1 else None
        except (TransientError, ValueError) as exc:
            raise lost from exc
        if not isinstance(held, int) or held < 0:
            raise lost
        return held

    def pull_all(self) -> int:
        """Pull every page after the device's cursor. A page whose answer was lost or
        unreadable is asked for again at once (a GET changes nothing at HQ), at most
        `recoveries_per_round` times."""
        pulled, retries = 0, self.recoveries_per_round
        while True:
            cursor = self.ports.pull_cursor()
            try:
                header, items = self._pull_page(cursor)
            except TransientError as exc:
                if not exc.maybe_stored or retries <= 0:
                    raise
                retries -= 1
                continue
            pulled += self.ports.apply_reference_page(
                [(i.cursor, i.kind, i.payload) for i in items], header.next_cursor
            )
            if not header.more or header.next_cursor <= cursor:
                return pulled

    def _pull_page(self, cursor: int) -> tuple[protocol.PullHeader, list[protocol.PullItem]]:
        response = self._send("GET", "/pull", params={"cursor": cursor, "limit": self.pull_limit})
        if response.status_code != 200:
            problem = problem_of(response)
            raise StreamRefused(f"pull: {problem.error if problem else response.status_code}")
        try:
            return protocol.decode_pull(response.content)
        except ProtocolError as exc:
            raise TransientError(f"unreadable page: {exc}", maybe_stored=True) from exc

    def run_round(self) -> RoundResult:
        """Push everything and pull everything; classify whatever went wrong.

        The pull runs beside the push, on a connection of its own: the two do not depend
        on each other, and on a slow link the pull's round trip then costs no time."""
        result = RoundResult()
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="gateui-sync-pull") as puller:
                pulling = puller.submit(self.pull_all)
                try:
                    if self.ports.stream_stopped() is None:
                        try:
                            result.pushed, result.acked_seq = self.push_all()
                        except StreamRefused as exc:
                            result.stopped = str(exc)
                            self.ports.record_attempt(
                                online=True, error=str(exc), stop_stream=str(exc)
                            )
                finally:
                    wait([pulling])  # a push that failed still waits for its pull
                result.pulled = pulling.result()
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


def build_bundle(ports: SyncPorts, device_id: str, token: str) -> tuple[bytes, int]:
    """Every unacknowledged change as one signed bundle: (file bytes, number of changes)."""
    bodies: list[bytes] = []
    total = 0
    prev_hash, changes = ports.pending_changes(
        protocol.MAX_BATCH_RAW_BYTES, protocol.MAX_BATCH_CHANGES
    )
    # pending_changes always starts after the acknowledged sequence, so walk on by hand.
    while changes:
        bodies.append(
            push_body(device_id, prev_hash, changes, pending=0, device_time=ports.device_now())
        )
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
