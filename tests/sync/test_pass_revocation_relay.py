"""A pass a leader revokes on one terminal is refused by the other terminals of the site,
through a real HQ (push, relay in the push's transaction, pull), and by no other site."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from gateui.domain import passes as tokens
from gateui.services import passes
from gateui.services.registry import PersonForm, register_person
from gateui.store.pass_models import PassRevocation
from tests.conftest import FakeClock
from tests.support.hq_server import HQ
from tests.sync.test_roster_relay import Terminal, _terminal

ID_NUMBER = "11010519491231002X"


def _reason(t: Terminal, token: str) -> str | None:
    return passes.verify_scanned_pass(t.ctx, token).reason


def _relayed(hq: HQ, site: str) -> int:
    return int(
        hq.scalar(
            "SELECT count(*) FROM hq_ref_log WHERE kind = 'pass.revoked' AND site_code = :s",
            s=site,
        )
    )


def test_a_revoked_pass_is_refused_on_every_terminal_of_the_site(
    hq: HQ, tmp_path: Path, clock: FakeClock
) -> None:
    a = _terminal(hq, tmp_path, "a", "PASS-1", clock, 1)
    b = _terminal(hq, tmp_path, "b", "PASS-1", clock, 2)
    c = _terminal(hq, tmp_path, "c", "PASS-2", clock, 3)
    key = tokens.generate_private_key()
    public = tokens.public_key_to_text(key.public_key())
    key_id = tokens.key_id_for(key.public_key())
    now = clock.now
    token = tokens.issue_token(
        key, key_id, "person", "id_number", ID_NUMBER, now, now + timedelta(days=30)
    )
    for t in (a, b, c):
        passes.add_key(t.ctx, public, origin="hq")
        register_person(t.ctx, PersonForm(name="张露", id_number=ID_NUMBER), require_phone=False)
        assert _reason(t, token) is None  # a good pass everywhere

    passes.revoke_pass(a.ctx, token, "丢失", a.leader)
    assert _reason(a, token) == "pass.revoked"
    assert _reason(b, token) is None  # B has not heard of it yet
    assert a.client.run_round().ok
    assert _relayed(hq, "PASS-1") == 1 and _relayed(hq, "PASS-2") == 0
    assert b.client.run_round().pulled == 1
    check = passes.verify_scanned_pass(b.ctx, token.lower())  # as any scanner types it
    assert check.reason == "pass.revoked" and check.params["reason"] == "丢失"
    with b.ctx.db.read() as s:
        row = s.get(PassRevocation, tokens.pass_sha256(token))
        assert row is not None and row.origin == "site"
    assert c.client.run_round().pulled == 0
    assert _reason(c, token) is None  # another site: its own leaders decide

    # A pulls its own revocation back: its row (and its change log) stay as they were.
    with a.ctx.db.read() as s:
        before = s.get(PassRevocation, tokens.pass_sha256(token))
    assert a.client.run_round().ok
    with a.ctx.db.read() as s:
        assert s.get(PassRevocation, tokens.pass_sha256(token)) == before
    for t in (a, b, c):
        t.client.http.close()
        t.ctx.db.dispose()
