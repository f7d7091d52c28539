"""The change log's hash chain (DESIGN invariant 3).

Each change a device makes gets the next sequence number on that device and a hash over
the previous change's hash and its own content, so HQ can prove a device's history is
complete and untouched: a missing, altered, reordered or foreign change breaks the chain.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

HASH_HEX_LENGTH = 64
GENESIS_HASH = "0" * HASH_HEX_LENGTH  # the "previous hash" of a device's first change
# Versioned so a future change of framing cannot be confused with this one.
_DOMAIN_TAG = b"gateui.change-chain.v1"
_HASH = re.compile(r"[0-9a-f]{64}")
_MAX_SEQ = 2**63 - 1  # fits a signed 64-bit database column


def canonical_json(obj: object) -> bytes:
    """One byte sequence per value: sorted keys, no spaces, UTF-8 text, no NaN/Infinity.

    Payloads are hashed as these bytes, so both ends must produce them identically.
    """
    text = json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def _frame(field: bytes) -> bytes:
    # Length-prefixing every field makes the concatenation unambiguous: ("ab", "c") and
    # ("a", "bc") hash differently.
    return len(field).to_bytes(8, "big") + field


def payload_digest(payload: bytes) -> bytes:
    """What the chain covers of a payload: its SHA-256.

    Chaining the digest rather than the bytes lets a device (or HQ) purge personal data
    from an acknowledged payload under the privacy rules, keep the digest, and still
    re-verify the whole chain.
    """
    return hashlib.sha256(bytes(payload)).digest()


def chain_hash(prev_hash: str, device_id: str, seq: int, kind: str, payload: bytes) -> str:
    """The hash of one change, chained to the previous one; lower-case hex SHA-256.

    Raises ValueError for arguments no stored change can have (a programming error).
    """
    return chain_hash_of_digest(prev_hash, device_id, seq, kind, payload_digest(payload))


def chain_hash_of_digest(
    prev_hash: str, device_id: str, seq: int, kind: str, digest_of_payload: bytes
) -> str:
    """`chain_hash` for a payload known only by its digest (a purged payload)."""
    if not _HASH.fullmatch(prev_hash):
        raise ValueError(f"prev_hash must be 64 lower-case hex digits, got {prev_hash!r}")
    if not device_id:
        raise ValueError("device_id must not be empty")
    if not 1 <= seq <= _MAX_SEQ:
        raise ValueError(f"seq must be 1..{_MAX_SEQ}, got {seq}")
    digest = hashlib.sha256(_DOMAIN_TAG)
    for field in (
        prev_hash.encode("ascii"),
        device_id.encode("utf-8"),
        seq.to_bytes(8, "big"),
        kind.encode("utf-8"),
        digest_of_payload,
    ):
        digest.update(_frame(field))
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainLink:
    """One change-log row as far as the chain is concerned."""

    device_id: str
    seq: int
    kind: str
    payload: bytes
    prev_hash: str
    hash: str
    # Hex SHA-256 of the payload as first written, for a link whose payload was purged
    # (privacy rules): the chain is then checked against this digest, not the bytes.
    payload_sha256: str | None = None

    def digest(self) -> bytes:
        """What the chain covers of this link's payload."""
        if self.payload_sha256 is None:
            return payload_digest(self.payload)
        if not _HASH.fullmatch(self.payload_sha256):
            raise ValueError("payload_sha256 must be 64 lower-case hex digits")
        return bytes.fromhex(self.payload_sha256)


class ChainProblemKind(enum.StrEnum):
    GAP = "gap"  # a sequence number is missing
    OUT_OF_ORDER = "out_of_order"  # a sequence number repeats or goes back
    OTHER_DEVICE = "other_device"  # a link of another device's chain is mixed in
    WRONG_PREV = "wrong_prev"  # prev_hash is not the previous link's hash
    WRONG_HASH = "wrong_hash"  # the content does not match the stored hash


@dataclass(frozen=True)
class ChainProblem:
    kind: ChainProblemKind
    seq: int  # the sequence number of the link where the problem was found
    expected: str  # what a sound chain has there, for logs and HQ's report
    found: str


def verify_chain(
    links: Iterable[ChainLink],
    start_prev_hash: str = GENESIS_HASH,
    start_seq: int = 1,
) -> ChainProblem | None:
    """Check links of one device in sequence order; return the first problem, or None.

    To verify a later part of a chain (a batch continuing what HQ already holds), pass the
    hash and the sequence number that part must continue from.
    """
    expected_prev, expected_seq = start_prev_hash, start_seq
    device_id: str | None = None
    for link in links:
        if device_id is None:
            device_id = link.device_id
        elif link.device_id != device_id:
            return ChainProblem(ChainProblemKind.OTHER_DEVICE, link.seq, device_id, link.device_id)
        if link.seq != expected_seq:
            kind = (
                ChainProblemKind.GAP if link.seq > expected_seq else ChainProblemKind.OUT_OF_ORDER
            )
            return ChainProblem(kind, link.seq, str(expected_seq), str(link.seq))
        if link.prev_hash != expected_prev:
            return ChainProblem(
                ChainProblemKind.WRONG_PREV, link.seq, expected_prev, link.prev_hash
            )
        try:
            digest = link.digest()
        except ValueError:
            return ChainProblem(
                ChainProblemKind.WRONG_HASH, link.seq, "a payload digest", str(link.payload_sha256)
            )
        actual = chain_hash_of_digest(link.prev_hash, link.device_id, link.seq, link.kind, digest)
        if link.hash != actual:
            return ChainProblem(ChainProblemKind.WRONG_HASH, link.seq, actual, link.hash)
        expected_prev, expected_seq = link.hash, link.seq + 1
    return None


def make_chain(
    device_id: str,
    changes: Iterable[tuple[str, bytes]],
    start_prev_hash: str = GENESIS_HASH,
    start_seq: int = 1,
) -> list[ChainLink]:
    """Link (kind, payload) changes into a chain: what the store does one change at a time."""
    links: list[ChainLink] = []
    prev_hash, seq = start_prev_hash, start_seq
    for kind, payload in changes:
        link_hash = chain_hash(prev_hash, device_id, seq, kind, payload)
        links.append(ChainLink(device_id, seq, kind, payload, prev_hash, link_hash))
        prev_hash, seq = link_hash, seq + 1
    return links
