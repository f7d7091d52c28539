"""The save path's plain SQL writes what the ORM would: the same rows, the same change-log
payload bytes, the same durability settings; its failures roll everything back."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import col, select

from gateui.config import SiteConfig
from gateui.domain.change_chain import ChainLink, canonical_json, verify_chain
from gateui.domain.checklist import decide, normal_answers
from gateui.domain.direction import Direction
from gateui.errors import NotFoundError, StorageError
from gateui.services import passages, registry, save_memo, sync_io
from gateui.services.context import open_gate
from gateui.services.lookup import find
from gateui.store.db import Database, session_tx
from gateui.store.models import ChangeLog, Entry, Presence
from tests.conftest import FakeClock, GateFixture


def chain(db: Database) -> list[ChainLink]:
    with db.read() as s:
        rows = s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))).all()
        return [ChainLink(r.device_id, r.seq, r.kind, r.payload, r.prev_hash, r.hash) for r in rows]


def logged(gate: GateFixture, entry_id: str) -> tuple[Entry, ChangeLog]:
    with gate.ctx.db.read() as s:
        entry = s.get(Entry, entry_id)
        log = s.exec(select(ChangeLog).where(ChangeLog.record_id == entry_id)).one()
    assert entry is not None
    return entry, log


def assert_payload_is_the_models(gate: GateFixture, entry_id: str) -> Entry:
    """The stored payload is byte for byte what model_dump(mode="json") of the stored row
    gives (the ORM path's payload), and the row is the payload's."""
    entry, log = logged(gate, entry_id)
    as_model = Entry(**entry.model_dump())
    assert log.payload == canonical_json(as_model.model_dump(mode="json"))
    assert log.kind == "entry.recorded" and log.payload_sha256 and not log.purged
    return entry


def test_every_kind_of_person_entry_logs_the_models_payload(gate: GateFixture) -> None:
    normal = normal_answers(gate.ctx.checklist)
    zhang, chen = gate.people["张露"], gate.people["陈丽华"]
    registry.add_watch(gate.ctx, "密接", id_number=gate.id_numbers["陈丽华"])
    results = [
        passages.register_person(
            gate.ctx,
            gate.guard_id,
            passages.PersonPassage(zhang, Direction.IN, normal, None, "送货"),
        )
    ]
    gate.clock.advance(0.123456)  # microseconds in the timestamp
    results.append(
        passages.register_person(
            gate.ctx, gate.guard_id, passages.PersonPassage(zhang, Direction.OUT, normal)
        )
    )
    referred = passages.register_person(
        gate.ctx, gate.guard_id, passages.PersonPassage(chen, Direction.IN, normal)
    )
    fever = normal | {"temperature": "38.5"}
    denied = passages.register_person(
        gate.ctx, gate.guard_id, passages.PersonPassage(zhang, Direction.IN, fever)
    )
    override = passages.Override(gate.leader_id, "复核：体温正常")
    admitted = passages.register_person(
        gate.ctx, gate.guard_id, passages.PersonPassage(chen, Direction.IN, normal, override)
    )
    results += [referred, denied, admitted]
    for result in results:
        assert_payload_is_the_models(gate, result.entry_id)
    first = assert_payload_is_the_models(gate, results[0].entry_id)
    assert (first.purpose, first.answers) == ("送货", json.dumps(normal, sort_keys=True))
    out = assert_payload_is_the_models(gate, results[1].entry_id)
    assert out.matches_entry_id == results[0].entry_id
    assert out.at == gate.clock() and out.at.microsecond == 123456
    watched = assert_payload_is_the_models(gate, referred.entry_id)
    assert (watched.outcome, json.loads(watched.reasons)) == ("referred", ["watch:密接"])
    fixed = assert_payload_is_the_models(gate, admitted.entry_id)
    assert (fixed.override_by, fixed.override_reason) == (gate.leader_id, "复核：体温正常")
    with gate.ctx.db.read() as s:
        present = {p.subject_key: p.entry_id for p in s.exec(select(Presence))}
    assert present == {f"p:{chen}": admitted.entry_id}  # 张露 left; her fever entry is refused
    assert verify_chain(chain(gate.ctx.db)) is None


def test_a_vehicle_and_the_people_aboard_log_the_models_payloads(gate: GateFixture) -> None:
    registry.upsert_vehicles(gate.ctx, [registry.validate_vehicle("豫A12345", "coal_truck")])
    vehicle_id = find(gate.ctx, "a12345")[0].id
    normal = normal_answers(gate.ctx.checklist)
    req = passages.VehiclePassage(
        vehicle_id,
        Direction.IN,
        driver=passages.PersonPassage(gate.people["单雄信"], Direction.IN, normal),
        passengers=(passages.PersonPassage(gate.people["曾小贤"], Direction.IN, normal),),
        cargo="原煤",
    )
    result = passages.register_vehicle(gate.ctx, gate.guard_id, req)
    vehicle = assert_payload_is_the_models(gate, result.entry_id)
    assert (vehicle.plate, vehicle.cargo, vehicle.passengers) == ("豫A12345", "原煤", 1)
    for person in result.passenger_results:
        entry = assert_payload_is_the_models(gate, person.entry_id)
        assert entry.vehicle_entry_id == result.entry_id
    assert verify_chain(chain(gate.ctx.db)) is None


def test_a_clock_in_another_zone_is_stored_in_utc_and_logged_as_given(gate: GateFixture) -> None:
    east8 = timezone(timedelta(hours=8))
    gate.clock.now = datetime(2026, 11, 20, 9, 30, 0, 250000, tzinfo=east8)
    normal = normal_answers(gate.ctx.checklist)
    req = passages.PersonPassage(gate.people["张露"], Direction.IN, normal)
    result = passages.register_person(gate.ctx, gate.guard_id, req)
    entry, log = logged(gate, result.entry_id)
    assert entry.at == datetime(2026, 11, 20, 1, 30, 0, 250000, tzinfo=UTC)
    # What the ORM path logged: the entry as built, with the clock's own offset.
    as_built = Entry(**(entry.model_dump() | {"at": gate.clock.now}))
    assert log.payload == canonical_json(as_built.model_dump(mode="json"))
    assert json.loads(log.payload)["at"] == "2026-11-20T09:30:00.250000+08:00"


def test_record_entry_in_a_session_returns_what_it_wrote(gate: GateFixture) -> None:
    with gate.ctx.db.write() as s:
        entry = passages.record_entry(
            gate.ctx,
            s,
            gate.guard_id,
            subject="person",
            subject_id=gate.people["张露"],
            direction=Direction.OUT,
            outcome="denied",
            reasons=["permit:none"],
            answers={},
            override=None,
            overridden=False,
            name="张露",
        )
    stored = assert_payload_is_the_models(gate, entry.id)
    assert entry.model_dump() == stored.model_dump()


def test_the_write_connection_is_durable_wal_with_foreign_keys(gate: GateFixture) -> None:
    with gate.ctx.db.write_sql() as tx:
        pragmas = [
            tx.conn.execute(f"PRAGMA {p}").fetchone()[0]
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        ]
        assert tx.conn.in_transaction
    assert pragmas == ["wal", 2, 1, 10_000]  # synchronous 2 = FULL
    with gate.ctx.db.write() as s:
        assert session_tx(s).conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_failed_save_rolls_back_everything_and_names_the_cause(gate: GateFixture) -> None:
    before = chain(gate.ctx.db)
    normal = normal_answers(gate.ctx.checklist)
    req = passages.PersonPassage(gate.people["张露"], Direction.IN, normal)
    with pytest.raises(StorageError) as caught:  # a guard id that is no user: foreign key
        passages.register_person(gate.ctx, "no-such-guard", req)
    assert caught.value.code == "storage.failed"
    assert "FOREIGN KEY" in str(caught.value.params["detail"])
    with pytest.raises(NotFoundError):
        passages.register_person(
            gate.ctx, gate.guard_id, passages.PersonPassage("nobody", Direction.IN, normal)
        )
    assert chain(gate.ctx.db) == before
    with gate.ctx.db.read() as s:
        assert s.exec(select(Entry)).all() == [] and s.exec(select(Presence)).all() == []
    # The connection went back to the pool clean: the next save works.
    assert passages.register_person(gate.ctx, gate.guard_id, req).admitted


def test_a_locked_database_is_reported_not_waited_on_forever(gate: GateFixture) -> None:
    other = sqlite3.connect(gate.ctx.db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        db = Database(gate.ctx.db.path)
        db.writer.pool.dispose()

        def short_timeout(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute("PRAGMA busy_timeout=50")

        from sqlalchemy import event

        event.listen(db.writer, "connect", short_timeout)
        with pytest.raises(StorageError) as caught, db.write_sql():
            pass
        assert caught.value.code == "storage.locked"
        db.dispose()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_two_writers_on_one_file_keep_one_gap_free_chain(
    gate: GateFixture, clock: FakeClock
) -> None:
    """Another process (a second TUI, the sync daemon) appending between our saves: every
    transaction reads the log's tail afresh, so the chain stays linear."""
    second = open_gate(gate.ctx.db.path, SiteConfig(), clock=clock)
    assert second.device_id == gate.ctx.device_id
    normal = normal_answers(gate.ctx.checklist)
    before = len(chain(gate.ctx.db))
    ids = []
    for i in range(6):
        ctx = gate.ctx if i % 2 == 0 else second
        person = gate.people["张露"] if i % 2 == 0 else gate.people["曾小贤"]
        direction = Direction.IN if i % 4 < 2 else Direction.OUT
        req = passages.PersonPassage(person, direction, normal)
        ids.append(passages.register_person(ctx, gate.guard_id, req).entry_id)
        # ... and a change of another kind by the other writer in between.
        registry.add_watch(second if i % 2 == 0 else gate.ctx, f"w{i}", plate=f"豫A1234{i}")
    links = chain(gate.ctx.db)
    assert verify_chain(links) is None
    assert len(links) == before + 12
    seqs = [int(i.rsplit("-", 1)[1]) for i in ids]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6
    second.db.dispose()


def test_a_checklist_pulled_from_hq_judges_the_next_save(gate: GateFixture) -> None:
    """The checklist row is read in the save's own transaction: a pull committed by the
    sync daemon (another process) applies to the very next entry, no restart."""
    zhang = gate.people["张露"]
    answers = normal_answers(gate.ctx.checklist) | {"temperature": "37.2"}
    req = passages.PersonPassage(zhang, Direction.IN, answers)
    assert passages.register_person(gate.ctx, gate.guard_id, req).admitted
    strict = [{"key": "temperature", "kind": "temperature", "threshold": 37.0}]
    page = [(7, "site.checklist", canonical_json({"site": gate.ctx.site.code, "items": strict}))]
    daemon = open_gate(gate.ctx.db.path, SiteConfig(), clock=gate.clock)
    assert sync_io.apply_reference_page(daemon, page, 7) == 1
    daemon.db.dispose()
    only_temperature = passages.PersonPassage(zhang, Direction.IN, {"temperature": "37.2"})
    refused = passages.register_person(gate.ctx, gate.guard_id, only_temperature)
    assert (refused.outcome, refused.reasons) == ("denied", ("temperature:37.2",))
    withdrawn = [(8, "site.checklist", canonical_json({"site": gate.ctx.site.code, "items": None}))]
    assert sync_io.apply_reference_page(gate.ctx, withdrawn, 8) == 1
    assert passages.register_person(gate.ctx, gate.guard_id, req).admitted


def test_a_save_answered_to_another_checklist_than_the_one_in_force_is_refused(
    gate: GateFixture,
) -> None:
    """The gate names the checklist its guard answered; a pull committed by the sync daemon
    after the screen was drawn makes the save refuse, writing nothing, and say which
    checklist is in force. Answered to that one, the save goes through."""
    zhang = gate.people["张露"]
    seen = gate.ctx.checklist
    req = passages.PersonPassage(zhang, Direction.IN, normal_answers(seen), checklist=seen)
    strict = [{"key": "temperature", "kind": "temperature", "threshold": 37.0}]
    page = [(7, "site.checklist", canonical_json({"site": gate.ctx.site.code, "items": strict}))]
    daemon = open_gate(gate.ctx.db.path, SiteConfig(), clock=gate.clock)
    assert sync_io.apply_reference_page(daemon, page, 7) == 1
    daemon.db.dispose()
    before = chain(gate.ctx.db)
    for direction in (Direction.IN, Direction.OUT):
        with pytest.raises(passages.ChecklistChangedError) as refused:
            passages.register_person(gate.ctx, gate.guard_id, replace(req, direction=direction))
        assert [i.key for i in refused.value.in_force] == ["temperature"]
    assert chain(gate.ctx.db) == before
    answered = passages.PersonPassage(
        zhang, Direction.IN, {"temperature": "36.6"}, checklist=refused.value.in_force
    )
    assert passages.register_person(gate.ctx, gate.guard_id, answered).admitted
    assert len(chain(gate.ctx.db)) == len(before) + 1


def test_each_save_is_judged_and_logged_on_its_own_answers(gate: GateFixture) -> None:
    """The last verdict and answers' JSON are kept for a save with the same answers
    (services.passages): a save with other answers, or the same in another order, gets
    its own, as `decide` and json.dumps give them."""
    items = gate.ctx.checklist
    normal = normal_answers(items)
    fever = normal | {"temperature": "38.5"}
    reordered = dict(reversed(list(fever.items())))
    people = list(gate.people.values())
    for person, answers in zip(people, (normal, fever, normal, reordered), strict=True):
        req = passages.PersonPassage(person, Direction.IN, answers)
        result = passages.register_person(gate.ctx, gate.guard_id, req)
        decision = decide(items, answers)
        assert result.outcome == save_memo.OUTCOME_NAMES[decision.outcome]
        assert result.reasons == tuple(f"{r.item_key}:{r.answer}" for r in decision.reasons)
        entry = assert_payload_is_the_models(gate, result.entry_id)
        assert entry.answers == json.dumps(answers, ensure_ascii=False, sort_keys=True)
    assert passages.register_person(
        gate.ctx, gate.guard_id, passages.PersonPassage(people[1], Direction.IN, fever)
    ).reasons == ("temperature:38.5",)
