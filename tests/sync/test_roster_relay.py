"""Roster relay: a roster edit made on one terminal reaches the other terminals of its site
through a real HQ (push, relay in the push's transaction, pull), and no other site."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import col, func, select

from gateui.config import SiteConfig
from gateui.domain.change_chain import canonical_json, make_chain
from gateui.services import auth, roster, sync_io
from gateui.services.context import GateContext, open_gate
from gateui.services.lookup import find, person_card
from gateui.services.roster_store import CHANGE_KINDS, load_state
from gateui.store.models import ChangeLog
from gateui.store.roster_models import RosterEventRow
from sync import protocol
from sync.client import SyncClient
from sync.hq import admin
from tests.conftest import FakeClock, GateFixture
from tests.support.hq_server import HQ, ack
from tests.support.terminal import client_for, enroll_gate

MONDAY = date(2026, 11, 23)


@dataclass
class Terminal:
    ctx: GateContext
    leader: str
    guard: str
    client: SyncClient

    def state(self) -> roster.RosterState:
        with self.ctx.db.read() as s:
            return load_state(s, MONDAY - timedelta(days=7), MONDAY + timedelta(days=14))

    def events(self) -> int:
        with self.ctx.db.read() as s:
            return int(s.exec(select(func.count()).select_from(RosterEventRow)).one())

    def roster_changes(self) -> int:
        with self.ctx.db.read() as s:
            stmt = select(func.count()).where(col(ChangeLog.kind).like("roster.%"))
            return int(s.exec(stmt).one())


def _terminal(hq: HQ, tmp: Path, name: str, site: str, clock: FakeClock, badge: int) -> Terminal:
    ctx = open_gate(tmp / name / "gate.db", SiteConfig(code=site), clock=clock)
    leader = auth.create_user(ctx, f"李{name}", "leader", f"L{badge}", "5678")
    guard = auth.create_user(ctx, f"王{name}", "guard", f"B{badge}", "1234")
    token = enroll_gate(ctx, hq.base_url, hq.settings, site=site)
    return Terminal(ctx, leader, guard, client_for(ctx, hq.base_url, token))


def _relayed(hq: HQ, site: str) -> int:
    return int(
        hq.scalar(
            "SELECT count(*) FROM hq_ref_log WHERE kind = 'roster.event' AND site_code = :s",
            s=site,
        )
    )


def test_the_push_kinds_hq_relays_are_the_terminals_roster_kinds() -> None:
    assert set(CHANGE_KINDS.values()) == protocol.ROSTER_CHANGE_KINDS


def test_an_assignment_reaches_the_other_terminal_of_the_site_and_no_other_site(
    hq: HQ, tmp_path: Path, clock: FakeClock
) -> None:
    a = _terminal(hq, tmp_path, "a", "RELAY-1", clock, 1)
    b = _terminal(hq, tmp_path, "b", "RELAY-1", clock, 2)
    c = _terminal(hq, tmp_path, "c", "RELAY-2", clock, 3)
    night = roster.CellKey(MONDAY, "night", "N1")
    roster.record_event(a.ctx, a.leader, roster.Assign(night, a.guard))
    assert a.client.run_round().ok
    assert _relayed(hq, "RELAY-1") == 1
    assert b.client.run_round().pulled == 1
    assert b.state().guards_of(night) == {a.guard}  # A's assignment, in B's fold
    assert b.roster_changes() == 0  # received, not logged again: A owns it
    assert c.client.run_round().pulled == 0
    assert c.events() == 0 and _relayed(hq, "RELAY-2") == 0

    # A receives its own event back: stored once, nothing new to push.
    last_seq = sync_io.sync_status(a.ctx).last_seq
    assert a.client.run_round().pulled == 0
    assert a.events() == 1 and sync_io.sync_status(a.ctx).last_seq == last_seq

    # An exact replay of A's batches (A rewinds as after an HQ restore) publishes nothing.
    sync_io.rewind_acknowledged(a.ctx, 0, "test: replay everything")
    replay = a.client.run_round()
    assert replay.ok and replay.pushed == last_seq
    assert _relayed(hq, "RELAY-1") == 1

    # B edits the same cell having seen A's event; A converges on B's edit.
    clock.advance(120)
    roster.record_events(
        b.ctx, b.leader, [roster.Unassign(night, a.guard), roster.Assign(night, b.guard)]
    )
    assert b.client.run_round().ok and a.client.run_round().pulled == 2
    assert a.state() == b.state() and a.state().guards_of(night) == {b.guard}
    assert a.state().conflicts == ()
    assert not [p for p in admin.verify_all(hq.settings) if "RELAY" in p]
    for t in (a, b, c):
        t.client.http.close()
        t.ctx.db.dispose()


def _event(device: str, seq: int, site: str, **fields: object) -> bytes:
    payload: dict[str, object] = {
        "id": f"{device}-{seq}",
        "kind": "lock",
        "hlc_ms": 1_795_000_000_000 + seq,
        "hlc_counter": 0,
        "hlc_node": device,
        "day": MONDAY.isoformat(),
        "shift": "day",
        "checkpoint": "N1",
        "base": [],
        "author_id": f"{device}-1",
        "site": site,
        "recorded_at": "2026-11-20T01:30:00+00:00",
    }
    payload.update(fields)
    return canonical_json(payload)


def test_hq_relays_only_well_formed_events_of_the_devices_own_site_and_name(
    hq: HQ, tmp_path: Path, clock: FakeClock
) -> None:
    token = hq.enroll("forger", site="RELAY-3")
    changes = [
        ("roster.locked", _event("forger", 1, "RELAY-3")),
        ("roster.locked", _event("forger", 2, "RELAY-3", id="victim-7")),  # another's name
        ("roster.locked", _event("forger", 3, "RELAY-9")),  # another site
        ("roster.assigned", canonical_json({"kind": "assign", "site": "RELAY-3"})),
        ("roster.locked", _event("forger", 5, "RELAY-3", hlc_node="victim")),
        ("roster.unlocked", b"[1, 2]"),
    ]
    links = make_chain("forger", changes)
    assert ack(hq.push("forger", token, links)).stored == len(changes)
    assert _relayed(hq, "RELAY-3") == 1
    assert (
        hq.scalar(
            "SELECT payload FROM hq_ref_log WHERE kind = 'roster.event' AND site_code = 'RELAY-3'"
        )
        == changes[0][1]
    )
    for seq in range(2, len(changes) + 1):
        error = hq.scalar(
            "SELECT projection_error FROM hq_change WHERE device_id = 'forger' AND seq = :n",
            n=seq,
        )
        assert str(error).startswith("not relayed"), (seq, error)
    assert ack(hq.push("forger", token, links)).stored == 0  # the same batch again
    assert _relayed(hq, "RELAY-3") == 1

    site = _terminal(hq, tmp_path, "s", "RELAY-3", clock, 4)
    assert site.client.run_round().pulled == 1
    assert roster.CellKey(MONDAY, "day", "N1") in site.state().locked
    site.client.http.close()
    site.ctx.db.dispose()


def test_the_terminal_skips_what_it_cannot_apply_and_the_stream_goes_on(
    gate: GateFixture,
) -> None:
    number = gate.id_numbers["曾小贤"]
    watch = {
        "id": "hq-w9",
        "id_number": number,
        "reason": "总部通报",
        "active": True,
        "since": "2026-11-20T00:00:00Z",
    }
    items = [
        (11, "roster.event", _event("far", 1, "ELSEWHERE")),  # another site's event
        (12, "roster.event", b"not json"),
        (13, "site.checklist", canonical_json({"site": "SITE", "items": [{"key": "x"}]})),
        (14, "passkey.set", canonical_json({"key_id": "ABCDEF01", "public_key": "AAAA"})),
        (15, "pass.revoked", canonical_json({"pass_sha256": "xyz", "reason": "r"})),
        (16, "watch.set", canonical_json(watch)),
    ]
    assert sync_io.apply_reference_page(gate.ctx, items, 16) == 1
    assert sync_io.pull_cursor(gate.ctx) == 16
    person = find(gate.ctx, number)[0]
    assert person_card(gate.ctx, person.id).watch_reasons == ("总部通报",)
    with gate.ctx.db.read() as s:
        assert s.exec(select(func.count()).select_from(RosterEventRow)).one() == 0
    assert gate.ctx.checklist == gate.ctx.file_checklist
    # A roster event of this site, received twice, is stored once.
    own_site = _event("near", 1, gate.ctx.site.code)
    assert sync_io.apply_reference_page(gate.ctx, [(17, "roster.event", own_site)], 17) == 1
    assert sync_io.apply_reference_page(gate.ctx, [(18, "roster.event", own_site)], 18) == 0
    with gate.ctx.db.read() as s:
        rows = s.exec(select(RosterEventRow)).all()
    assert [json.loads(r.payload)["id"] for r in rows] == ["near-1"]
