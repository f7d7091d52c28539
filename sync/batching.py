"""How the sync client cuts its push batches: by what the link carries, not by a fixed size.

A batch is worth sending when the link's fixed costs (a round trip, HTTP headers, HQ's
transaction) are small beside the time its bytes take, and small enough that a dropped
connection wastes little: so the client aims at `target_seconds` on the wire per batch,
measured on the batches it sent (raw bytes per second, request to acknowledgement). On a
2G link (~8 kB/s) that is ~1 MiB of raw changes (~50 kB compressed); on a LAN the ceiling
(and protocol.MAX_BATCH_CHANGES) bounds it. The first batch of a client uses
protocol.MAX_BATCH_RAW_BYTES, which a 2G link carries in a few seconds. The measured rate
also picks the compression level: the slow link's bytes are worth CPU, the fast link's not.

Batches go out one after another, each only after HQ acknowledged the one before: HQ
refuses a batch that starts past what it holds (`gap`), so two in flight could turn a
delay of the first into a refusal of the second.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import zstandard

from sync import protocol
from sync.link import OutgoingLike
from sync.protocol import PushHeader, WireChange

MIN_BATCH_BYTES = 64 * 1024
# Half of HQ's default body limit (8 MiB after decompression): a batch near the ceiling is
# still accepted by an HQ whose limit was halved; a lower limit shrinks it (too_large).
MAX_BATCH_BYTES = 4 * 1024 * 1024
TARGET_SECONDS = 8.0
# zstd levels: 9 where bytes are dear (a slow or unknown link), 3 on a link that carries
# more than FAST_LINK raw bytes a second (~100 kB/s compressed), where the bytes it saves
# cost less than its CPU: level 9 takes ~5x the time of level 3 for ~15% fewer bytes.
SLOW_LINK_LEVEL, FAST_LINK_LEVEL = 9, 3
FAST_LINK = 2 * 1024 * 1024
TAIL_SHARE = 4  # a rest of at most 1/4 of a batch goes along with it instead of alone


C = TypeVar("C", bound=OutgoingLike)


def change_size(change: OutgoingLike) -> int:
    """A change's share of a batch, counted as gateui.services.sync_io cuts batches."""
    return len(change.payload) + len(change.kind) + 2 + (66 if change.digest else 0)


def cut(changes: Sequence[C], max_bytes: int) -> Sequence[C]:
    """The longest prefix of `changes` within `max_bytes` (at least one change)."""
    size = 0
    for i, change in enumerate(changes):
        size += change_size(change)
        if i and size > max_bytes:
            return changes[:i]
    return changes


@dataclass(frozen=True)
class PushBatch:
    """One encoded push body and what the client needs to know of it once it is sent."""

    first_seq: int
    last_seq: int
    last_hash: str
    count: int
    raw_bytes: int  # the body before compression
    body: bytes  # compressed with zstd
    limit: int  # the byte limit it was cut at
    more: bool  # changes were left after it (it was cut by size)


def push_body(
    device_id: str,
    prev_hash: str,
    changes: Sequence[OutgoingLike],
    *,
    pending: int,
    device_time: datetime,
) -> bytes:
    """The uncompressed push body of `changes` (a batch, or one body of a bundle)."""
    header = PushHeader(
        device=device_id,
        first_seq=changes[0].seq,
        count=len(changes),
        prev_hash=prev_hash,
        last_hash=changes[-1].hash,
        pending=pending,
        device_time=device_time,
    )
    wire = [WireChange(kind=c.kind, payload=c.payload, digest=c.digest) for c in changes]
    return protocol.encode_push(header, wire)


def encode_batch(
    device_id: str,
    prev_hash: str,
    changes: Sequence[OutgoingLike],
    *,
    pending: int,
    device_time: datetime,
    limit: int,
    more: bool,
    level: int = SLOW_LINK_LEVEL,
) -> PushBatch:
    raw = push_body(device_id, prev_hash, changes, pending=pending, device_time=device_time)
    return PushBatch(
        first_seq=changes[0].seq,
        last_seq=changes[-1].seq,
        last_hash=changes[-1].hash,
        count=len(changes),
        raw_bytes=len(raw),
        body=_compressor(level).compress(raw),
        limit=limit,
        more=more,
    )


_local = threading.local()  # a zstd compressor is not for two threads at once


def _compressor(level: int) -> zstandard.ZstdCompressor:
    compressors: dict[int, zstandard.ZstdCompressor] = _local.__dict__.setdefault("by_level", {})
    compressor = compressors.get(level)
    if compressor is None:
        compressor = compressors[level] = zstandard.ZstdCompressor(level=level)
    return compressor


@dataclass
class BatchSizer:
    """The byte limit of the next batch, from the rate of the batches acknowledged so far."""

    current: int = protocol.MAX_BATCH_RAW_BYTES
    floor: int = MIN_BATCH_BYTES
    ceiling: int = MAX_BATCH_BYTES
    target_seconds: float = TARGET_SECONDS
    rate: float | None = None  # raw bytes a second, of the last batch cut by size

    def level(self) -> int:
        """The zstd level of the next batch: bytes are dear until the link proved fast."""
        fast = self.rate is not None and self.rate >= FAST_LINK
        return FAST_LINK_LEVEL if fast else SLOW_LINK_LEVEL

    def limit(self, cap: int | None = None) -> int:
        top = self.ceiling if cap is None else min(self.ceiling, cap)
        return max(1, min(self.current, top))

    def observe(self, batch: PushBatch, seconds: float) -> None:
        """A batch was acknowledged `seconds` after it was sent. Only a batch cut by size
        says anything of the link: a small one measures the round trip, not the rate."""
        if not batch.more and batch.raw_bytes < batch.limit // 2:
            return
        self.rate = batch.raw_bytes / max(seconds, 1e-3)
        wanted = self.rate * self.target_seconds
        grown = min(wanted, 4 * batch.limit)  # grow step by step; shrink at once
        self.current = int(max(self.floor, min(self.ceiling, grown)))

    def refused_as_too_large(self, batch: PushBatch) -> bool:
        """HQ refused the batch as too large: halve the ceiling below it. False when a
        batch of one change was refused (nothing smaller can be sent)."""
        if batch.count <= 1:
            return False
        self.ceiling = max(1, batch.raw_bytes // 2)
        self.floor = min(self.floor, self.ceiling)
        self.current = min(self.current, self.ceiling)
        return True
