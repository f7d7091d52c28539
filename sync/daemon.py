"""The sync daemon's loop: rounds while online, backoff while HQ is unreachable."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sync.link import RoundResult

if TYPE_CHECKING:
    from sync.client import SyncClient


@dataclass
class Backoff:
    """Capped exponential backoff with full jitter (no herd of sites retrying in step).

    The cap is 30 s: when HQ comes back, a site finds it within half a minute (sooner on
    "sync now"), and a failed attempt costs one TCP connect or one small request. HQ slows
    sites down further with Retry-After on 429/503, which always wins over the backoff.
    """

    base: float = 1.0
    cap: float = 30.0
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
    watchdog_after: float = 600.0,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Run rounds until `stop` is set.

    Online and idle, it waits for a new local change (a cheap local read every
    `idle_check` seconds, never a network call). Offline, it sleeps the backoff delay and
    wakes early only for a "sync now" request.

    The watchdog: HQ answers rounds normally, changes are pending, yet HQ's acknowledgement
    has not moved for `watchdog_after` seconds — a queue that should drain and does not,
    whatever the cause (a batch the client never sends, a device stuck on a change). It
    records that in words after every such round (a round's success would otherwise clear
    it), so the footer and `gateui sync status` show it until the queue moves. Offline, a
    refused stream or refused credentials are not the watchdog's: they have their own,
    more precise messages.
    """
    backoff = backoff or Backoff()
    last_acked: int | None = None
    progress_at = clock()
    while not stop.is_set():
        result = client.run_round()
        moved = result.acked_seq is not None and result.acked_seq != last_acked
        if result.pending == 0 or moved:
            progress_at = clock()
        elif result.ok and clock() - progress_at >= watchdog_after:
            client.ports.record_attempt(
                online=True, error=f"watchdog: {result.pending} changes not draining"
            )
        if result.acked_seq is not None:
            last_acked = result.acked_seq
        hooks.on_round(result)  # after the watchdog: what it recorded is part of the round
        if result.ok:
            backoff.reset()
            seen = hooks.local_version()
            # Pending changes that did not go (the watchdog's case) are retried on the next
            # local change, or after `watchdog_after` at the latest.
            deadline = clock() + watchdog_after if result.pending else None
            while not stop.wait(idle_check):
                if hooks.local_version() != seen:
                    break
                if deadline is not None and clock() >= deadline:
                    break
        else:
            delay = backoff.next_delay(result.retry_after)
            seen = hooks.local_version()
            waited = 0.0
            while waited < delay and not stop.wait(min(idle_check, delay - waited)):
                waited += idle_check
                if hooks.local_version()[1] != seen[1]:
                    break  # someone asked for a sync now
