"""The site's checklist, HQ's pass keys and HQ's pass revocations: published with
`gateui hq …`, pulled by a real gate from a real HQ server, and used at the gate."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner, Result

from gateui.cli import app
from gateui.config import SiteConfig
from gateui.domain import passes as tokens
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages, passes, sync_io
from gateui.services.context import open_gate
from gateui.store.models import SiteSetting
from gateui.store.pass_models import PassKey, PassRevocation
from sync.client import SyncClient
from tests.conftest import GateFixture
from tests.hq.conftest import HQ
from tests.support.terminal import client_for, enroll_gate

# The default checklist with a lower fever threshold: 37.1 ℃ was admitted, is now denied.
STRICTER = """
[[site.checklist]]
key = "health_code"
kind = "choice"
options = ["green", "yellow", "red"]
normal = "green"
refer = ["yellow"]
deny = ["red"]

[[site.checklist]]
key = "travel_code"
kind = "choice"
options = ["normal", "risk_area"]
normal = "normal"
refer = ["risk_area"]

[[site.checklist]]
key = "travel_question"
kind = "yesno"
normal = "no"
refer = ["yes"]

[[site.checklist]]
key = "temperature"
kind = "temperature"
normal = "36.5"
threshold = 37.0

[[site.checklist]]
key = "mask"
kind = "yesno"
normal = "yes"
refer = ["no"]
"""


@pytest.fixture
def hq_cli(
    hq: HQ, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[CliRunner, list[str]]]:
    """`gateui hq …` in-process against the running server's database."""
    monkeypatch.setenv("GATEUI_HOME", str(tmp_path / "hq-home"))
    monkeypatch.delenv("GATEUI_LANG", raising=False)
    yield CliRunner(), ["--db", hq.settings.database_url, "--lang", "en"]


def _hq(cli: tuple[CliRunner, list[str]], *args: str) -> Result:
    runner, options = cli
    return runner.invoke(app, ["hq", *args, *options])


def _synced_gate(hq: HQ, gate: GateFixture) -> SyncClient:
    """The gate enrolled at HQ (site = its own code) and everything pulled so far."""
    token = enroll_gate(gate.ctx, hq.base_url, hq.settings, site=gate.ctx.site.code)
    client = client_for(gate.ctx, hq.base_url, token)
    assert client.run_round().ok
    return client


def _entry_at(gate: GateFixture, name: str, temperature: str) -> passages.PassageResult:
    answers = normal_answers(gate.ctx.checklist) | {"temperature": temperature}
    request = passages.PersonPassage(gate.people[name], Direction.IN, answers)
    gate.clock.advance(60)
    return passages.register_person(gate.ctx, gate.guard_id, request)


def test_a_pulled_checklist_judges_the_next_entry_without_a_restart(
    hq: HQ, gate: GateFixture, hq_cli: tuple[CliRunner, list[str]], tmp_path: Path
) -> None:
    site = gate.ctx.site.code
    client = _synced_gate(hq, gate)
    # Another context on the same file stands for the TUI while the daemon pulls.
    tui = open_gate(gate.ctx.db.path, SiteConfig(), clock=gate.clock)
    before = _entry_at(gate, "张露", "37.1")
    assert before.outcome == "admitted"
    stricter = tmp_path / "checklist.toml"
    stricter.write_text(STRICTER, encoding="utf-8")
    published = _hq(hq_cli, "checklist", "--site", site, str(stricter))
    assert published.exit_code == 0, published.output
    assert f"Checklist of site {site} (5 items) published" in published.output
    again = _hq(hq_cli, "checklist", "--site", site, str(stricter))
    assert again.exit_code == 0 and "nothing new sent" in again.output

    assert client.run_round().pulled == 1  # the second publication sent nothing
    after = _entry_at(gate, "张露", "37.1")
    assert (after.outcome, after.reasons) == ("denied", ("temperature:37.1",))
    temperature = {i.key: i for i in tui.checklist}["temperature"]
    assert str(temperature.threshold) == "37.0"  # the other process sees it too
    with gate.ctx.db.read() as s:
        assert s.get(SiteSetting, "checklist") is not None

    withdrawn = _hq(hq_cli, "checklist", "--site", site, "--clear")
    assert withdrawn.exit_code == 0 and "withdrawn" in withdrawn.output, withdrawn.output
    assert client.run_round().pulled == 1
    assert _entry_at(gate, "张露", "37.1").outcome == "admitted"  # the site file's again
    assert tui.checklist == gate.ctx.file_checklist
    tui.db.dispose()


def test_a_bad_checklist_is_refused_at_hq_and_another_sites_never_arrives(
    hq: HQ, gate: GateFixture, hq_cli: tuple[CliRunner, list[str]], tmp_path: Path
) -> None:
    client = _synced_gate(hq, gate)
    hq.enroll("chkOther", site="CHK-OTHER")
    typo = tmp_path / "typo.toml"
    typo.write_text(STRICTER.replace('refer = ["no"]', 'refr = ["no"]'), encoding="utf-8")
    refused = _hq(hq_cli, "checklist", "--site", gate.ctx.site.code, str(typo))
    assert refused.exit_code == 1
    assert "refr" in refused.output  # the message names the unknown field
    broken = tmp_path / "broken.toml"
    broken.write_text("[[site.checklist]\nkey = ", encoding="utf-8")
    bad_toml = _hq(hq_cli, "checklist", "--site", gate.ctx.site.code, str(broken))
    assert bad_toml.exit_code == 1 and "not valid TOML" in bad_toml.output
    empty = tmp_path / "empty.toml"
    empty.write_text('[site]\nname = "x"\n', encoding="utf-8")
    assert "holds no checklist" in _hq(hq_cli, "checklist", "--site", "X", str(empty)).output
    unknown = _hq(hq_cli, "checklist", "--site", "NO-SUCH", str(typo.with_name("x.toml")))
    assert unknown.exit_code == 1  # the file does not exist: nothing published either
    stricter = tmp_path / "checklist.toml"
    stricter.write_text(STRICTER, encoding="utf-8")
    no_site = _hq(hq_cli, "checklist", "--site", "NO-SUCH", str(stricter))
    assert no_site.exit_code == 1 and "HQ has no site NO-SUCH" in no_site.output
    neither = _hq(hq_cli, "checklist", "--site", gate.ctx.site.code)
    assert neither.exit_code == 1 and "one of the two" in neither.output
    other = _hq(hq_cli, "checklist", "--site", "CHK-OTHER", str(stricter))
    assert other.exit_code == 0, other.output
    assert client.run_round().pulled == 0
    assert gate.ctx.checklist == gate.ctx.file_checklist


def test_hq_pass_keys_and_revocations_reach_the_gate(
    hq: HQ, gate: GateFixture, hq_cli: tuple[CliRunner, list[str]]
) -> None:
    client = _synced_gate(hq, gate)
    private = tokens.generate_private_key()
    public = tokens.public_key_to_text(private.public_key())
    key_id = tokens.key_id_for(private.public_key())
    now = gate.clock()
    number = gate.id_numbers["单雄信"]

    def token() -> str:
        return tokens.issue_token(
            private,
            key_id,
            "person",
            "id_number",
            number,
            now - timedelta(hours=1),
            now + timedelta(days=30),
        )

    first, second = (
        token(),
        tokens.issue_token(
            private, key_id, "person", "id_number", number, now, now + timedelta(days=7)
        ),
    )
    assert passes.verify_scanned_pass(gate.ctx, first).reason == "pass.unknown_key"
    added = _hq(hq_cli, "pass-key", "add", public, "--label", "总部 2026")
    assert added.exit_code == 0 and f"Key {key_id} sent to every site" in added.output
    assert "HQ already holds" in _hq(hq_cli, "pass-key", "add", public).output
    bad = _hq(hq_cli, "pass-key", "add", "not-a-key")
    assert bad.exit_code == 1 and bad.output.strip()
    assert client.run_round().pulled == 1
    with gate.ctx.db.read() as s:
        row = s.get(PassKey, key_id)
        assert row is not None
        assert (row.origin, row.label, row.private_key, row.revoked) == (
            "hq",
            "总部 2026",
            None,
            False,
        )
    assert passes.verify_scanned_pass(gate.ctx, first).ok

    # One pass withdrawn for this site, by the token as scanned (any case, with blanks).
    revoked = _hq(
        hq_cli,
        "pass-revoke",
        f" {first.lower()} ",
        "--reason",
        "遗失",
        "--site",
        gate.ctx.site.code,
    )
    assert revoked.exit_code == 0, revoked.output
    again = _hq(hq_cli, "pass-revoke", first, "--reason", "遗失", "--site", gate.ctx.site.code)
    assert "already revoked" in again.output
    assert _hq(hq_cli, "pass-revoke", first, "--reason", "x").exit_code == 1  # no scope
    assert _hq(hq_cli, "pass-revoke", "GP1", "--reason", "x", "--all").exit_code == 1
    assert _hq(hq_cli, "pass-revoke", first, "--all").exit_code == 1  # no reason
    nowhere = _hq(hq_cli, "pass-revoke", first, "--reason", "x", "--site", "NO-SUCH")
    assert nowhere.exit_code == 1 and "HQ has no site NO-SUCH" in nowhere.output
    assert client.run_round().pulled == 1
    check = passes.verify_scanned_pass(gate.ctx, first)
    assert (check.ok, check.reason, check.params["reason"]) == (False, "pass.revoked", "遗失")
    with gate.ctx.db.read() as s:
        row_r = s.get(PassRevocation, tokens.pass_sha256(first))
        assert row_r is not None and row_r.origin == "hq"
    assert passes.verify_scanned_pass(gate.ctx, second).ok  # only that one pass

    # By digest, for every site.
    digest = tokens.pass_sha256(second)
    everywhere = _hq(hq_cli, "pass-revoke", digest.upper(), "--reason", "离职", "--all")
    assert everywhere.exit_code == 0 and "every site" in everywhere.output
    # The key withdrawn: every pass it signed is refused, and it cannot come back.
    assert _hq(hq_cli, "pass-key", "revoke", key_id.lower()).exit_code == 0
    assert "already revoked" in _hq(hq_cli, "pass-key", "revoke", key_id).output
    unknown_key = _hq(hq_cli, "pass-key", "revoke", "ABCDEF01")
    assert unknown_key.exit_code == 1 and "HQ holds no key ABCDEF01" in unknown_key.output
    back = _hq(hq_cli, "pass-key", "add", public)
    assert back.exit_code == 1 and "cannot be used again" in back.output
    listed = _hq(hq_cli, "pass-key", "list")
    assert key_id in listed.output and "revoked" in listed.output
    assert client.run_round().pulled == 2
    assert passes.verify_scanned_pass(gate.ctx, token()).reason == "pass.key_revoked"
    with gate.ctx.db.read() as s:
        digests = set(s.exec(select(PassRevocation.pass_sha256)))
    assert digests == {tokens.pass_sha256(first), digest}
    assert sync_io.sync_status(gate.ctx).pending == 0  # nothing pulled was change-logged
