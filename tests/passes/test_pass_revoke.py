"""Revoking one pass: by a leader at the site (service and `gateui pass revoke`) or by HQ
(rows pulled with origin "hq"); the gate refuses either in words, other passes stay good."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from gateui.domain import passes as tokens
from gateui.domain.errors import ValidationError
from gateui.errors import PermissionDeniedError
from gateui.i18n import Translator
from gateui.services import chain_check, passes
from gateui.store.models import ChangeLog
from gateui.store.pass_models import PassRevocation
from tests.cli.conftest import Invoke, cli_gate, gateui, home
from tests.conftest import GateFixture
from tests.passes.test_pass_service import issue

__all__ = ["cli_gate", "gateui", "home"]  # the CLI fixtures, used below


@pytest.fixture
def two_passes(pgate: GateFixture, tmp_path: Path) -> tuple[str, str]:
    passes.create_site_key(pgate.ctx, "北门")
    first, second = issue(pgate, tmp_path, "张露", "陈丽华")
    return first.token, second.token


def log(gate: GateFixture) -> list[ChangeLog]:
    with gate.ctx.db.read() as s:
        return list(s.exec(select(ChangeLog).order_by(col(ChangeLog.seq))))


def test_a_revoked_pass_is_refused_with_the_reason_and_others_still_pass(
    pgate: GateFixture, two_passes: tuple[str, str]
) -> None:
    lost, kept = two_passes
    assert passes.verify_scanned_pass(pgate.ctx, lost).ok
    pgate.clock.advance(60)
    view = passes.revoke_pass(pgate.ctx, lost, " 遗失 ", pgate.leader_id)
    assert (view.holder, view.reason, view.revoked_by) == ("张露", "遗失", "李娜")
    assert view.pass_sha256 == tokens.pass_sha256(lost)
    check = passes.verify_scanned_pass(pgate.ctx, lost)
    assert (check.ok, check.reason) == (False, "pass.revoked")
    assert check.person is not None and check.person.name == "张露"  # the guard sees who
    assert "遗失" in Translator("zh")(check.reason, **check.params)
    assert "revoked" in Translator("en")(check.reason, **check.params)
    # The same pass as a wedge types it in lower case, with blanks: still the same pass.
    assert passes.verify_scanned_pass(pgate.ctx, f" {lost.lower()} \n").reason == "pass.revoked"
    assert passes.verify_scanned_pass(pgate.ctx, kept).ok
    with pgate.ctx.db.read() as s:
        row = s.get(PassRevocation, tokens.pass_sha256(lost))
        assert row is not None and row.origin == "site"
    (change,) = [c for c in log(pgate) if c.kind == "pass.revoked"]
    payload = json.loads(change.payload)
    assert payload["pass_sha256"] == change.record_id == view.pass_sha256
    assert (payload["origin"], payload["reason"], payload["revoked_by"]) == (
        "site",
        "遗失",
        pgate.leader_id,
    )
    assert (
        lost not in change.payload.decode() and pgate.people["张露"] not in change.payload.decode()
    )
    assert chain_check.verify_local_chain(pgate.ctx) is None


def test_a_pass_revoked_by_hq_is_refused_alike(
    pgate: GateFixture, two_passes: tuple[str, str]
) -> None:
    lost, kept = two_passes
    with pgate.ctx.db.write() as s:  # what a pulled HQ revocation leaves (written by sync)
        s.add(
            PassRevocation(
                pass_sha256=tokens.pass_sha256(lost),
                reason="离职",
                origin="hq",
                revoked_at=pgate.clock(),
            )
        )
    check = passes.verify_scanned_pass(pgate.ctx, lost)
    assert (check.ok, check.reason, check.params["reason"]) == (False, "pass.revoked", "离职")
    assert passes.verify_scanned_pass(pgate.ctx, kept).ok
    with pytest.raises(ValidationError) as twice:
        passes.revoke_pass(pgate.ctx, lost, "遗失", pgate.leader_id)
    assert twice.value.code == "pass.already_revoked"


def test_garbage_truncated_twice_blank_or_by_a_guard_changes_nothing(
    pgate: GateFixture, two_passes: tuple[str, str]
) -> None:
    lost, _ = two_passes
    before = len(log(pgate))
    for text in ("hello", lost[:40], "GP1" + "A" * 90, ""):
        with pytest.raises(ValidationError) as bad:
            passes.revoke_pass(pgate.ctx, text, "遗失", pgate.leader_id)
        assert bad.value.code == "pass.malformed"
    with pytest.raises(ValidationError) as blank:
        passes.revoke_pass(pgate.ctx, lost, "   ", pgate.leader_id)
    assert blank.value.code == "pass.revoke_reason_required"
    with pytest.raises(PermissionDeniedError):
        passes.revoke_pass(pgate.ctx, lost, "遗失", pgate.guard_id)
    assert len(log(pgate)) == before
    assert passes.verify_scanned_pass(pgate.ctx, lost).ok
    passes.revoke_pass(pgate.ctx, lost, "遗失", pgate.leader_id)
    after = len(log(pgate))
    with pytest.raises(ValidationError) as twice:
        passes.revoke_pass(pgate.ctx, lost.lower(), "again", pgate.leader_id)
    assert twice.value.code == "pass.already_revoked" and twice.value.params["reason"] == "遗失"
    assert len(log(pgate)) == after
    with pgate.ctx.db.read() as s:
        assert len(s.exec(select(PassRevocation)).all()) == 1


# --- gateui pass revoke -------------------------------------------------------------------------


def test_the_cli_revokes_with_a_leaders_pin_and_says_so(
    gateui: Invoke, cli_gate: GateFixture, tmp_path: Path
) -> None:
    passes.create_site_key(cli_gate.ctx, "北门")
    (issued,) = issue(cli_gate, tmp_path, "张露", days=30)
    token = issued.token
    args = ("pass", "revoke", token, "--reason", "遗失", "--leader", "L2001")
    wrong = gateui(*args, "--pin", "0000")
    assert wrong.exit_code == 1 and "密码" in wrong.output
    guard = gateui(
        "pass", "revoke", token, "--reason", "遗失", "--leader", "B1001", "--pin", "1234"
    )
    assert guard.exit_code == 1 and "班长" in guard.output
    garbage = gateui(
        "pass", "revoke", token[:30], "--reason", "遗失", "--leader", "L2001", input="5678\n"
    )
    assert garbage.exit_code == 1 and "重新扫描" in garbage.output
    assert passes.verify_scanned_pass(cli_gate.ctx, token).ok
    done = gateui(*args, "--lang", "en", input="5678\n")  # the PIN asked for, hidden
    assert done.exit_code == 0, done.output
    assert "Revoked pass" in done.output and "张露" in done.output and "lost" not in done.output
    assert tokens.pass_sha256(token)[:12] in done.output
    assert passes.verify_scanned_pass(cli_gate.ctx, token).reason == "pass.revoked"
    again = gateui(*args, "--pin", "5678")
    assert again.exit_code == 1 and "无需再次作废" in again.output
