"""Privacy purge: only old entries HQ has acknowledged; passages and counts stay; logged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import col, select

from gateui.domain.change_chain import ChainLink, payload_digest, verify_chain
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.domain.errors import ValidationError
from gateui.services import chain_check, passages, presence, privacy, reports
from gateui.store.models import ChangeLog, Entry, SyncState
from tests.conftest import GateFixture


def admit(gate: GateFixture, name: str, direction: Direction = Direction.IN) -> str:
    req = passages.PersonPassage(gate.people[name], direction, normal_answers(gate.ctx.checklist))
    return passages.register_person(gate.ctx, gate.guard_id, req).entry_id


def ack(gate: GateFixture, through_entry: str | None = None) -> None:
    """What sync does when HQ acknowledges: move acked_seq (test shortcut, same table)."""
    with gate.ctx.db.write() as s:
        if through_entry is None:
            seq = max(r.seq for r in s.exec(select(ChangeLog)))
        else:
            seq = s.exec(select(ChangeLog.seq).where(ChangeLog.record_id == through_entry)).one()
        state = s.get(SyncState, gate.ctx.device_id) or SyncState(device_id=gate.ctx.device_id)
        state.acked_seq = seq
        s.add(state)


def entry(gate: GateFixture, entry_id: str) -> Entry:
    with gate.ctx.db.read() as s:
        e = s.get(Entry, entry_id)
        assert e is not None
        return e


def test_purges_only_old_acknowledged_entries_and_keeps_the_passage(pgate: GateFixture) -> None:
    old_acked = admit(pgate, "张露")
    old_unacked = admit(pgate, "单雄信")
    ack(pgate, through_entry=old_acked)
    pgate.clock.advance(40 * 86400)
    recent = admit(pgate, "曾小贤")  # too recent, and not acknowledged either
    day = (pgate.clock() - timedelta(days=40)).astimezone(pgate.ctx.site.zone).date()
    before = reports.daily_report(pgate.ctx, day).totals.to_payload()
    result = privacy.purge(pgate.ctx, older_than_days=30)
    assert result.entry_ids == (old_acked,)
    purged = entry(pgate, old_acked)
    assert json.loads(purged.answers) == {"_purged": True}
    assert purged.id_number is not None and purged.id_number.startswith("*")
    assert purged.id_number[-4:] == pgate.id_numbers["张露"][-4:]
    assert (purged.name, purged.direction, purged.outcome) == ("张露", "in", "admitted")
    for kept in (old_unacked, recent):
        e = entry(pgate, kept)
        assert json.loads(e.answers) == normal_answers(pgate.ctx.checklist)
        assert e.id_number in pgate.id_numbers.values()
    assert reports.daily_report(pgate.ctx, day).totals.to_payload() == before
    assert presence.on_site_counts(pgate.ctx) == (3, 0)


def test_each_purge_is_a_logged_change_and_a_second_run_does_nothing(pgate: GateFixture) -> None:
    ids = [admit(pgate, n) for n in ("张露", "陈丽华")]
    ack(pgate)
    pgate.clock.advance(8 * 86400)
    result = privacy.purge(pgate.ctx, 7)
    assert sorted(result.entry_ids) == sorted(ids) and result.purged == 2
    with pgate.ctx.db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
    (log,) = [r for r in rows if r.kind == "privacy.purged"]
    payload = json.loads(log.payload)
    assert sorted(payload["entry_ids"]) == sorted(ids)
    assert payload["rule"]["older_than_days"] == 7 and payload["fields"] == ["answers", "id_number"]
    assert (log.record_id,) == result.changes
    assert chain_check.verify_local_chain(pgate.ctx) is None
    assert privacy.purge(pgate.ctx, 7).purged == 0
    with pgate.ctx.db.read() as s:
        assert len(s.exec(select(ChangeLog).where(ChangeLog.kind == "privacy.purged")).all()) == 1


def test_nothing_is_purged_before_hq_acknowledges_or_too_early(pgate: GateFixture) -> None:
    admit(pgate, "陈丽华")
    ack(pgate)
    pgate.clock.advance(10 * 86400)
    assert privacy.purge(pgate.ctx, 30).purged == 0  # acknowledged, but only 10 days old
    admit(pgate, "张露")
    pgate.clock.advance(400 * 86400)
    assert privacy.purge(pgate.ctx, 1).entry_ids != ()  # the acknowledged one only

    assert privacy.purge(pgate.ctx, 1).purged == 0
    with pytest.raises(ValidationError) as info:
        privacy.purge(pgate.ctx, 0)
    assert info.value.code == "privacy.bad_days"


def test_large_purges_go_in_batches(pgate: GateFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "BATCH", 2)
    ids = [admit(pgate, n, d) for n in ("张露", "单雄信") for d in (Direction.IN, Direction.OUT)]
    ids.append(admit(pgate, "曾小贤"))
    ack(pgate)
    pgate.clock.advance(31 * 86400)
    result = privacy.purge(pgate.ctx, 30)
    assert sorted(result.entry_ids) == sorted(ids) and len(result.changes) == 3


def recorded(gate: GateFixture, entry_id: str) -> ChangeLog:
    with gate.ctx.db.read() as s:
        stmt = select(ChangeLog).where(
            ChangeLog.kind == "entry.recorded", ChangeLog.record_id == entry_id
        )
        return s.exec(stmt).one()


def test_the_change_logs_copy_is_purged_too_and_the_chain_still_verifies(
    pgate: GateFixture,
) -> None:
    old = admit(pgate, "张露")
    unacked = admit(pgate, "单雄信")
    ack(pgate, through_entry=old)
    original = recorded(pgate, old)
    assert pgate.id_numbers["张露"].encode() in original.payload  # what HQ received
    pgate.clock.advance(31 * 86400)
    result = privacy.purge(pgate.ctx, 30)
    assert (result.entry_ids, result.payloads) == ((old,), 1)
    log = recorded(pgate, old)
    assert log.purged and log.payload_sha256 == original.payload_sha256 == (
        payload_digest(original.payload).hex()
    )
    data = json.loads(log.payload)
    assert data["answers"] == privacy.PURGED_ANSWERS
    assert data["id_number"] == entry(pgate, old).id_number  # the same masked form
    assert pgate.id_numbers["张露"].encode() not in log.payload
    assert (data["name"], data["direction"], data["outcome"]) == ("张露", "in", "admitted")
    kept = recorded(pgate, unacked)  # HQ does not hold it yet: untouched
    assert not kept.purged and pgate.id_numbers["单雄信"].encode() in kept.payload
    (purge_log,) = [c for c in changes(pgate) if c.kind == "privacy.purged"]
    assert json.loads(purge_log.payload)["change_seqs"] == [log.seq]
    assert chain_check.verify_local_chain(pgate.ctx) is None
    # Checked by the bytes, the purged link no longer matches: the digest is what holds.
    links = [
        ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash)
        for r in changes(pgate)
    ]
    problem = verify_chain(links)
    assert problem is not None and problem.seq == log.seq


def changes(gate: GateFixture) -> list[ChangeLog]:
    with gate.ctx.db.read() as s:
        return list(s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))))


def test_entries_purged_before_the_log_was_get_their_log_copy_purged(pgate: GateFixture) -> None:
    """A file purged by the version that left the change log alone: rows clean, log not."""
    ids = [admit(pgate, n) for n in ("张露", "陈丽华")]
    ack(pgate)
    pgate.clock.advance(31 * 86400)
    with pgate.ctx.db.write() as s:  # what that version's purge left behind
        for entry_id in ids:
            row = s.get(Entry, entry_id)
            assert row is not None and row.id_number is not None
            row.answers, row.id_number = privacy.PURGED_ANSWERS, "*" * 14 + row.id_number[-4:]
    result = privacy.purge(pgate.ctx, 30)
    assert (result.purged, result.payloads) == (0, 2)
    for entry_id in ids:
        assert recorded(pgate, entry_id).purged
    assert chain_check.verify_local_chain(pgate.ctx) is None
    again = privacy.purge(pgate.ctx, 30)
    assert (again.purged, again.payloads, again.changes) == (0, 0, ())


def test_the_local_check_finds_a_tampered_digest(pgate: GateFixture) -> None:
    first = admit(pgate, "张露")
    ack(pgate)
    pgate.clock.advance(31 * 86400)
    privacy.purge(pgate.ctx, 30)
    assert chain_check.verify_local_chain(pgate.ctx) is None
    purged = recorded(pgate, first)
    with pgate.ctx.db.write() as s:
        row = s.get(ChangeLog, (purged.device_id, purged.seq))
        assert row is not None
        row.payload_sha256 = payload_digest(b"forged").hex()
    problem = chain_check.verify_local_chain(pgate.ctx)
    assert problem is not None and problem.seq == purged.seq
    with pgate.ctx.db.write() as s:
        row = s.get(ChangeLog, (purged.device_id, purged.seq))
        assert row is not None
        row.payload_sha256 = purged.payload_sha256
    assert chain_check.verify_local_chain(pgate.ctx) is None
    # An unpurged change whose digest column disagrees with its bytes: a later purge would
    # trust that digest, so the check refuses it although the chain itself still holds.
    with pgate.ctx.db.write() as s:
        person = s.exec(select(ChangeLog).where(ChangeLog.kind == "person.created")).first()
        assert person is not None
        person.payload_sha256, seq = "0" * 64, person.seq
    problem = chain_check.verify_local_chain(pgate.ctx)
    assert problem is not None and problem.seq == seq
