"""The sync commands end to end: a real HQ process started with `gateui hq serve`, a real
terminal database, enrollment, push, pull of a watch-list change, a bundle on a stick."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateui.config import load_site_config
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import passages, sync_io
from gateui.services.auth import list_users
from gateui.services.context import GateContext, open_gate
from gateui.services.lookup import find, person_card
from tests.cli.conftest import Invoke

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def hq_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "hq.db"
    port = _free_port()
    log = (tmp_path / "hq.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateui", "hq", "serve", "--db", str(db), "--port", str(port)],
        cwd=REPO,
        stdout=log,
        stderr=log,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/api/v1/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError((tmp_path / "hq.log").read_text())
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


def _gate(home: Path) -> GateContext:
    return open_gate(home / "gate.db", load_site_config(home / "site.toml"))


def _register(ctx: GateContext, query: str) -> str:
    guard = next(u for u in list_users(ctx) if u.role == "guard")
    person = find(ctx, query)[0]
    req = passages.PersonPassage(person.id, Direction.IN, normal_answers(ctx.checklist))
    return passages.register_person(ctx, guard.id, req).entry_id


def test_enroll_push_pull_and_bundle(
    gateui: Invoke, home: Path, hq_server: tuple[str, Path], tmp_path: Path
) -> None:
    url, hq_db = hq_server
    assert gateui("seed-demo", "--people", "60", "--vehicles", "5").exit_code == 0
    ctx = _gate(home)
    _register(ctx, "zl")
    not_enrolled = gateui("sync", "--once")
    assert not_enrolled.exit_code == 5, not_enrolled.output

    issued = gateui("hq", "enroll-code", "--site", ctx.site.code, "--db", str(hq_db))
    assert issued.exit_code == 0, issued.output
    code = re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", issued.output)
    assert code is not None, issued.output
    enrolled = gateui("enroll", url, code.group(0))
    assert enrolled.exit_code == 0, enrolled.output

    synced = gateui("sync", "--once", "--lang", "en")
    assert synced.exit_code == 0, synced.output
    last = sync_io.sync_status(ctx).last_seq
    assert sync_io.sync_status(ctx).pending == 0
    devices = gateui("hq", "devices", "--db", str(hq_db), "--lang", "en")
    assert f"complete through {last}" in devices.output, devices.output

    # A watch-list change made at HQ reaches the gate through pull.
    zl = find(ctx, "zl")[0]
    number = person_card(ctx, zl.id).id_number
    assert number is not None
    watch = gateui("hq", "watch", number, "--reason", "密接", "--db", str(hq_db))
    assert watch.exit_code == 0, watch.output
    assert gateui("sync", "--once").exit_code == 0
    assert person_card(ctx, zl.id).watch_reasons == ("密接",)
    assert gateui("hq", "verify", "--db", str(hq_db)).exit_code == 0

    # No link: the new changes travel on a stick, with the same rules as a push.
    _register(ctx, "zl")
    bundle = tmp_path / "stick" / "site.bundle"
    bundle.parent.mkdir()
    assert gateui("sync", "export-bundle", str(bundle)).exit_code == 0
    imported = gateui("hq", "import-bundle", str(bundle), "--db", str(hq_db), "--lang", "en")
    assert imported.exit_code == 0, imported.output
    through = sync_io.sync_status(ctx).last_seq
    assert f"complete through {through}" in imported.output
    again = gateui("hq", "import-bundle", str(bundle), "--db", str(hq_db), "--lang", "en")
    assert again.exit_code == 0 and "Imported 0 changes" in again.output
    tampered = tmp_path / "tampered.bundle"
    raw = bytearray(bundle.read_bytes())
    raw[-3] ^= 0xFF
    tampered.write_bytes(bytes(raw))
    assert gateui("hq", "import-bundle", str(tampered), "--db", str(hq_db)).exit_code == 1
    # The terminal learns on its next round that HQ holds everything.
    assert gateui("sync", "--once").exit_code == 0
    assert sync_io.sync_status(ctx).acked_seq == through
    ctx.db.dispose()
