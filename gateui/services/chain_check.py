"""Re-checking this device's own change log: gap-free, chained, digests as first written.

A payload the privacy purge rewrote is checked by the digest kept in `payload_sha256`
(its content is no longer what was hashed); every other payload is checked by its bytes,
and its stored digest must match them, so the digest a later purge relies on is sound.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from gateui.domain.change_chain import (
    GENESIS_HASH,
    ChainLink,
    ChainProblem,
    ChainProblemKind,
    payload_digest,
    verify_chain,
)
from gateui.services.context import GateContext
from gateui.store.models import ChangeLog

_PAGE = 2_000


def device_links(s: Session, device_id: str) -> Iterator[ChainLink]:
    """The device's change log as chain links, in sequence order (purged ones by digest)."""
    columns = (
        col(ChangeLog.seq),
        col(ChangeLog.kind),
        col(ChangeLog.payload),
        col(ChangeLog.payload_sha256),
        col(ChangeLog.purged),
        col(ChangeLog.prev_hash),
        col(ChangeLog.hash),
    )
    rows = s.execute(
        sa_select(*columns)
        .where(col(ChangeLog.device_id) == device_id)
        .order_by(col(ChangeLog.seq))
        .execution_options(yield_per=_PAGE)
    )
    for seq, kind, payload, digest, purged, prev_hash, link_hash in rows:
        yield ChainLink(
            device_id,
            int(seq),
            str(kind),
            bytes(payload),
            str(prev_hash),
            str(link_hash),
            payload_sha256=str(digest) if purged else None,
        )


def _digests_match(s: Session, device_id: str) -> ChainProblem | None:
    stmt = (
        sa_select(col(ChangeLog.seq), col(ChangeLog.payload), col(ChangeLog.payload_sha256))
        .where(col(ChangeLog.device_id) == device_id, col(ChangeLog.purged).is_(False))
        .order_by(col(ChangeLog.seq))
        .execution_options(yield_per=_PAGE)
    )
    for seq, payload, digest in s.execute(stmt):
        actual = payload_digest(bytes(payload)).hex()
        if actual != digest:
            return ChainProblem(ChainProblemKind.WRONG_HASH, int(seq), actual, str(digest))
    return None


def verify_local_chain(ctx: GateContext) -> ChainProblem | None:
    """The first problem of this device's change log, or None when it is whole."""
    with ctx.db.read() as s:
        problem = verify_chain(device_links(s, ctx.device_id), GENESIS_HASH, 1)
        if problem is not None:
            return problem
        return _digests_match(s, ctx.device_id)
