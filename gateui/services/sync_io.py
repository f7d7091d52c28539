"""What the sync client is handed: read pending changes, take acknowledgements, apply pulled
reference pages, keep the link's state. The client knows nothing else of the database.

Acknowledgements and link state are sync bookkeeping (table sync_state), not facts, so
they are not change-logged; pulled reference data is owned by HQ and is not change-logged
by the device either (DESIGN invariant 4); services.sync_reference applies each kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from gateui.domain.change_chain import GENESIS_HASH
from gateui.errors import GateUIError
from gateui.services.context import GateContext
from gateui.services.sync_reference import apply_item
from gateui.store.models import ChangeLog, SyncState


@dataclass(frozen=True)
class OutgoingChange:
    seq: int
    kind: str
    payload: bytes  # for a purged change: its payload as the privacy purge left it
    prev_hash: str
    hash: str
    # Hex digest the chain covers, set only when the payload was purged: the wire then
    # carries the digest (and the purged payload), never the personal data.
    digest: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    device_id: str
    enrolled: bool
    hq_url: str | None
    last_seq: int
    acked_seq: int
    pending_by_kind: dict[str, int]
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    stream_stopped: str | None
    online: bool
    requested_at: datetime | None

    @property
    def pending(self) -> int:
        return self.last_seq - self.acked_seq


@dataclass(frozen=True)
class Credentials:
    device_id: str
    hq_url: str
    token: str


def _state(s: Session, device_id: str) -> SyncState:
    state = s.get(SyncState, device_id)
    if state is None:
        state = SyncState(device_id=device_id)
        s.add(state)
        s.flush()
    return state


def _last_seq(s: Session, device_id: str) -> int:
    value = s.exec(select(func.max(ChangeLog.seq)).where(ChangeLog.device_id == device_id)).one()
    return int(value or 0)


def sync_status(ctx: GateContext, by_kind: bool = False) -> SyncStatus:
    """Everything the footer and the details screen show; cheap unless by_kind."""
    with ctx.db.read() as s:
        state = s.get(SyncState, ctx.device_id) or SyncState(device_id=ctx.device_id)
        last = _last_seq(s, ctx.device_id)
        kinds: dict[str, int] = {}
        if by_kind:
            stmt = (
                select(ChangeLog.kind, func.count())
                .where(ChangeLog.device_id == ctx.device_id, ChangeLog.seq > state.acked_seq)
                .group_by(col(ChangeLog.kind))
            )
            kinds = {k: int(n) for k, n in s.exec(stmt)}
        return SyncStatus(
            device_id=ctx.device_id,
            enrolled=bool(state.token),
            hq_url=state.hq_url,
            last_seq=last,
            acked_seq=state.acked_seq,
            pending_by_kind=kinds,
            last_success_at=state.last_success_at,
            last_attempt_at=state.last_attempt_at,
            last_error=state.last_error,
            stream_stopped=state.stream_stopped,
            online=state.online,
            requested_at=state.requested_at,
        )


def credentials(ctx: GateContext) -> Credentials | None:
    with ctx.db.read() as s:
        state = s.get(SyncState, ctx.device_id)
        if state is None or not state.token or not state.hq_url:
            return None
        return Credentials(ctx.device_id, state.hq_url, state.token)


def save_enrollment(ctx: GateContext, hq_url: str, token: str, site: str, acked_seq: int) -> None:
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        state.hq_url, state.token, state.site_code = hq_url.rstrip("/"), token, site
        state.acked_seq = acked_seq
        state.stream_stopped = None


def pending_changes(
    ctx: GateContext, max_bytes: int, max_count: int
) -> tuple[str, list[OutgoingChange]]:
    """(prev_hash, changes) after the acknowledged sequence, cut at max_bytes of payload."""
    with ctx.db.read() as s:
        state = s.get(SyncState, ctx.device_id)
        acked = state.acked_seq if state else 0
        prev_hash = GENESIS_HASH
        if acked:
            prev = s.get(ChangeLog, (ctx.device_id, acked))
            if prev is None:
                raise GateUIError("sync.ack_beyond_log", acked=acked)
            prev_hash = prev.hash
        return prev_hash, _changes_after(s, ctx.device_id, acked, max_bytes, max_count)


_PAGE = 256  # change-log rows read at a time while a batch is cut


def _changes_after(
    s: Session, device_id: str, seq: int, max_bytes: int, max_count: int
) -> list[OutgoingChange]:
    # Read in small pages of plain columns: a batch is cut by bytes long before max_count
    # rows, and loading max_count ORM objects to keep a few hundred took ~5x the batch's
    # whole client-side time.
    columns = (
        col(ChangeLog.seq),
        col(ChangeLog.kind),
        col(ChangeLog.payload),
        col(ChangeLog.prev_hash),
        col(ChangeLog.hash),
        col(ChangeLog.purged),
        col(ChangeLog.payload_sha256),
    )
    out: list[OutgoingChange] = []
    size = 0
    after = seq
    while len(out) < max_count:
        limit = min(_PAGE, max_count - len(out))
        page = s.execute(
            sa_select(*columns)
            .where(col(ChangeLog.device_id) == device_id, col(ChangeLog.seq) > after)
            .order_by(col(ChangeLog.seq))
            .limit(limit)
        ).all()
        for row_seq, kind, payload, prev_hash, link_hash, purged, digest in page:
            size += len(payload) + len(kind) + 2 + (66 if purged else 0)
            if out and size > max_bytes:
                return out
            out.append(
                OutgoingChange(
                    row_seq,
                    kind,
                    bytes(payload),
                    prev_hash,
                    link_hash,
                    digest if purged else None,
                )
            )
        if len(page) < limit:
            break
        after = out[-1].seq
    return out


def changes_after(
    ctx: GateContext, seq: int, max_bytes: int, max_count: int
) -> list[OutgoingChange]:
    """Changes after any sequence (bundles walk past what HQ has acknowledged)."""
    with ctx.db.read() as s:
        return _changes_after(s, ctx.device_id, seq, max_bytes, max_count)


def mark_acknowledged(ctx: GateContext, acked_seq: int) -> None:
    """HQ holds everything through acked_seq. Never moves backwards; never past the log."""
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        last = _last_seq(s, ctx.device_id)
        if acked_seq > last:
            raise GateUIError("sync.ack_beyond_log", acked=acked_seq)
        state.acked_seq = max(state.acked_seq, acked_seq)
        state.last_success_at = ctx.now()
        state.last_error = None
        state.online = True


def record_attempt(
    ctx: GateContext, *, online: bool, error: str | None = None, stop_stream: str | None = None
) -> None:
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        now = ctx.now()
        state.last_attempt_at, state.online = now, online
        if online and error is None:
            state.last_success_at = now
            state.last_error = None
            state.requested_at = None
        if error is not None:
            state.last_error, state.last_error_at = error, now
        if stop_stream is not None:
            state.stream_stopped = stop_stream


def request_sync(ctx: GateContext) -> None:
    """The TUI's "sync now": the daemon sees the request and runs a round at once."""
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        state.requested_at = ctx.now()
        state.stream_stopped = None  # a person asked: try the stopped stream again


def pull_cursor(ctx: GateContext) -> int:
    with ctx.db.read() as s:
        state = s.get(SyncState, ctx.device_id)
        return state.pull_cursor if state else 0


def apply_reference_page(
    ctx: GateContext, items: list[tuple[int, str, bytes]], next_cursor: int
) -> int:
    """Apply one pulled page of HQ-owned records and move the cursor, in one transaction.

    Items at or below the cursor were applied before (a lost response) and are skipped;
    how each kind applies is in services.sync_reference.
    """
    applied = 0
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        for cursor, kind, payload in items:
            if cursor <= state.pull_cursor:
                continue  # a page seen before (lost response): already applied
            if apply_item(ctx, s, state, cursor, kind, payload):
                applied += 1
        state.pull_cursor = max(state.pull_cursor, next_cursor)
    return applied


def rewind_acknowledged(ctx: GateContext, acked_seq: int, reason: str) -> None:
    """HQ says it holds less than it acknowledged (restored from a backup): send again.

    The only way the acknowledged sequence moves back; it is recorded as an error so that
    somebody asks HQ what happened.
    """
    with ctx.db.write() as s:
        state = _state(s, ctx.device_id)
        if 0 <= acked_seq < state.acked_seq:
            state.acked_seq = acked_seq
            state.last_error, state.last_error_at = f"HQ lost changes: {reason}", ctx.now()


@dataclass(frozen=True)
class ServicePorts:
    """The services functions handed to sync.client.SyncClient, bound to one gate."""

    ctx: GateContext

    def pending_changes(self, max_bytes: int, max_count: int) -> tuple[str, list[OutgoingChange]]:
        return pending_changes(self.ctx, max_bytes, max_count)

    def changes_after(self, seq: int, max_bytes: int, max_count: int) -> list[OutgoingChange]:
        return changes_after(self.ctx, seq, max_bytes, max_count)

    def pending_count(self) -> int:
        return sync_status(self.ctx).pending

    def mark_acknowledged(self, acked_seq: int) -> None:
        mark_acknowledged(self.ctx, acked_seq)

    def rewind_acknowledged(self, acked_seq: int, reason: str) -> None:
        rewind_acknowledged(self.ctx, acked_seq, reason)

    def pull_cursor(self) -> int:
        return pull_cursor(self.ctx)

    def apply_reference_page(self, items: list[tuple[int, str, bytes]], next_cursor: int) -> int:
        return apply_reference_page(self.ctx, items, next_cursor)

    def record_attempt(
        self, *, online: bool, error: str | None = None, stop_stream: str | None = None
    ) -> None:
        record_attempt(self.ctx, online=online, error=error, stop_stream=stop_stream)

    def stream_stopped(self) -> str | None:
        return sync_status(self.ctx).stream_stopped

    def device_now(self) -> datetime:
        """The gate's clock: what the client sends as device_time (HQ records the skew)."""
        return self.ctx.now()

    def local_version(self) -> tuple[int, object]:
        status = sync_status(self.ctx)
        return status.last_seq, status.requested_at
