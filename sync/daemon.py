"""The sync daemon's loop: rounds while online, backoff while HQ is unreachable."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sync.link import RoundResult

if TYPE_CHECKING:
    from sync.client import SyncClient


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
