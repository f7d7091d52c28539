"""The terminal's side of the sync tests: gate entries, enrollment, and the exact comparison
of a device's change log with what HQ stores for it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlmodel import col, select

from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages, sync_io
from gateui.services.context import GateContext
from gateui.store.models import ChangeLog
from sync.client import SyncClient, enroll
from sync.hq import admin
from sync.hq.core.config import HQSettings
from tests.conftest import GateFixture

Row = tuple[int, str, bytes, str]  # (seq, kind, payload bytes, hash)


def write_entries(gate: GateFixture, count: int, rng: random.Random) -> None:
    """`count` gate entries through services.passages.register_person, the guard's own path;
    the device clock moves on 5-90 s between two entries."""
    people = sorted(gate.people.values())
    answers = normal_answers(gate.ctx.checklist)
    for _ in range(count):
        gate.clock.advance(rng.uniform(5, 90))
        direction = Direction.IN if rng.random() < 0.5 else Direction.OUT
        request = passages.PersonPassage(rng.choice(people), direction, answers)
        passages.register_person(gate.ctx, gate.guard_id, request)


def enroll_gate(
    ctx: GateContext, hq_base_url: str, settings: HQSettings, site: str = "MINE1"
) -> str:
    """Enroll the gate's device at HQ (a one-time code, exchanged over HTTP); its token."""
    code = admin.make_enroll_code(settings, site)
    with httpx.Client(timeout=30) as http:
        answer = enroll(hq_base_url, code.code, ctx.device_id, http=http)
    sync_io.save_enrollment(ctx, hq_base_url, answer.token, answer.site, answer.acked_seq)
    return answer.token


def client_for(
    ctx: GateContext, base_url: str, token: str, timeout: float = 30.0, **options: Any
) -> SyncClient:
    return SyncClient(
        sync_io.ServicePorts(ctx),
        ctx.device_id,
        base_url,
        token,
        http=httpx.Client(timeout=timeout),
        **options,
    )


def device_log(ctx: GateContext) -> list[Row]:
    """The terminal's change log, in sequence order."""
    with ctx.db.read() as s:
        rows = s.exec(
            select(ChangeLog)
            .where(ChangeLog.device_id == ctx.device_id)
            .order_by(col(ChangeLog.seq))
        ).all()
        return [(r.seq, r.kind, bytes(r.payload), r.hash) for r in rows]


def hq_log(engine: Engine, device: str) -> list[Row]:
    """What HQ stores for the device, in sequence order."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT seq, kind, payload, hash FROM hq_change WHERE device_id = :d ORDER BY seq"
            ),
            {"d": device},
        ).all()
    return [(int(seq), str(kind), bytes(payload), str(h)) for seq, kind, payload, h in rows]


@dataclass(frozen=True)
class Exactness:
    device_rows: int
    hq_rows: int


def assert_hq_holds_exactly(
    ctx: GateContext, engine: Engine, settings: HQSettings, verify: bool = True
) -> Exactness:
    """HQ holds exactly the device's change log: row by row (seq, kind, payload bytes, hash),
    nothing lost, nothing duplicated; the chain verifies; HQ states the device complete
    through the last local sequence; the terminal knows it (nothing pending) and its stream
    is not stopped. `verify=False` leaves the chain re-check (every device's, at HQ) to the
    caller, who checks many devices and runs admin.verify_all once."""
    mine = device_log(ctx)
    held = hq_log(engine, ctx.device_id)
    assert mine, "the device wrote nothing"
    assert [r[0] for r in mine] == list(range(1, len(mine) + 1)), "the local log has a gap"
    assert len(held) == len(mine), f"HQ holds {len(held)} changes, the device made {len(mine)}"
    for local, stored in zip(mine, held, strict=True):
        assert stored == local, f"sequence {local[0]} differs at HQ"
    if verify:
        assert [p for p in admin.verify_all(settings) if f"device {ctx.device_id}:" in p] == []
    (status,) = [d for d in admin.list_devices(settings) if d.device == ctx.device_id]
    assert status.complete_through == mine[-1][0]
    assert status.conflicts == 0
    state = sync_io.sync_status(ctx)
    assert state.acked_seq == state.last_seq == mine[-1][0]
    assert state.stream_stopped is None
    return Exactness(len(mine), len(held))
