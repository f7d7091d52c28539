"""The services the sync client is handed: pending batches, acks, rewinds, pulled pages."""

from __future__ import annotations

import pytest

from gateui.domain.change_chain import GENESIS_HASH, canonical_json
from gateui.errors import GateUIError
from gateui.services import sync_io
from gateui.services.lookup import find, person_card
from tests.conftest import GateFixture, person_id_number


def test_pending_changes_are_cut_by_bytes_and_follow_the_ack(gate: GateFixture) -> None:
    status = sync_io.sync_status(gate.ctx, by_kind=True)
    assert status.acked_seq == 0 and status.pending == status.last_seq > 0
    assert sum(status.pending_by_kind.values()) == status.pending
    prev, first = sync_io.pending_changes(gate.ctx, max_bytes=1, max_count=100)
    assert prev == GENESIS_HASH and len(first) == 1  # always at least one change
    prev, batch = sync_io.pending_changes(gate.ctx, max_bytes=10**6, max_count=3)
    assert [c.seq for c in batch] == [1, 2, 3]
    sync_io.mark_acknowledged(gate.ctx, 3)
    prev, rest = sync_io.pending_changes(gate.ctx, max_bytes=10**6, max_count=100)
    assert prev == batch[-1].hash and rest[0].seq == 4
    assert sync_io.sync_status(gate.ctx).pending == status.last_seq - 3


def test_ack_never_moves_back_nor_past_the_log(gate: GateFixture) -> None:
    sync_io.mark_acknowledged(gate.ctx, 4)
    sync_io.mark_acknowledged(gate.ctx, 2)  # a late, older ack
    assert sync_io.sync_status(gate.ctx).acked_seq == 4
    with pytest.raises(GateUIError):
        sync_io.mark_acknowledged(gate.ctx, 10**6)
    sync_io.rewind_acknowledged(gate.ctx, 1, "HQ restored a backup")
    status = sync_io.sync_status(gate.ctx)
    assert status.acked_seq == 1 and status.last_error and "backup" in status.last_error


def test_pulled_page_applies_once_and_moves_the_cursor(gate: GateFixture) -> None:
    number = gate.id_numbers["张露"]
    items = [
        (
            1,
            "watch.set",
            canonical_json({"id": "hq-w1", "id_number": number, "reason": "密接", "active": True}),
        ),
        (
            2,
            "person.upsert",
            canonical_json(
                {
                    "id": "hq-p1",
                    "name": "赵敏",
                    "kind": "contractor",
                    "id_number": person_id_number(40),
                }
            ),
        ),
        (3, "unknown.kind", b"{}"),
    ]
    assert sync_io.apply_reference_page(gate.ctx, items, 3) == 2
    assert sync_io.pull_cursor(gate.ctx) == 3
    assert person_card(gate.ctx, gate.people["张露"]).watch_reasons == ("密接",)
    assert find(gate.ctx, "zm")[0].label == "赵敏"
    # The same page again (its response was lost): nothing applied twice.
    assert sync_io.apply_reference_page(gate.ctx, items, 3) == 0
    lifted = [
        (
            4,
            "watch.set",
            canonical_json({"id": "hq-w1", "id_number": number, "reason": "密接", "active": False}),
        )
    ]
    sync_io.apply_reference_page(gate.ctx, lifted, 4)
    assert person_card(gate.ctx, gate.people["张露"]).watch_reasons == ()


def test_batches_read_in_pages_are_cut_exactly_by_count_and_bytes(
    gate: GateFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pending changes are read a page at a time (sync_io._PAGE rows); the cut by count and
    by bytes is the same wherever the page boundaries fall."""
    import random

    from tests.support.terminal import device_log, write_entries

    write_entries(gate, 12, random.Random(1))
    log = device_log(gate.ctx)
    monkeypatch.setattr(sync_io, "_PAGE", 3)
    for count in (1, 2, 3, 4, 7, len(log), len(log) + 5):
        _, batch = sync_io.pending_changes(gate.ctx, max_bytes=10**9, max_count=count)
        assert [(c.seq, c.kind, c.payload, c.hash) for c in batch] == log[:count]
    sizes = [len(payload) + len(kind) + 2 for _seq, kind, payload, _h in log]
    for take in (1, 4, 5, 9):
        limit = sum(sizes[:take]) + sizes[take] - 1  # one byte short of one more change
        _, batch = sync_io.pending_changes(gate.ctx, max_bytes=limit, max_count=1_000)
        assert [c.seq for c in batch] == [row[0] for row in log[:take]]
    after = sync_io.changes_after(gate.ctx, 5, 10**9, 1_000)
    assert [c.seq for c in after] == [row[0] for row in log[5:]]
    assert all(c.prev_hash == log[c.seq - 2][3] for c in after)
