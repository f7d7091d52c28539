"""A real HQ for tests: uvicorn in a subprocess on a free loopback port, on SQLite and on
PostgreSQL; shared by tests/hq and tests/sync (and the sync benchmark).

PostgreSQL runs when GATEUI_TEST_PG_URL is set (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/gateui_test); each server gets a schema of its
own in that database (search_path), dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from gateui.domain.change_chain import GENESIS_HASH, ChainLink, canonical_json, make_chain
from sync import protocol
from sync.hq import admin
from sync.hq.core.config import HQSettings

REPO = Path(__file__).resolve().parents[2]
PG_ENV = "GATEUI_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def pg_schema(base: str, prefix: str = "hq_test") -> Iterator[str]:
    """A URL on a new, empty schema of the PostgreSQL database `base` (search_path), dropped
    on exit: runs never see each other's rows."""
    schema = f"{prefix}_{secrets.token_hex(4)}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin_engine.dispose()


@contextmanager
def database_url(backend: str, tmp: Path) -> Iterator[str]:
    """A fresh, empty database of `backend`; skipped with a reason when PostgreSQL is absent."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'hq.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1/gateui_test)"
        )
    with pg_schema(base) as url:
        yield url


@dataclass
class HQ:
    """A running HQ server and what a test needs to talk to it and to its database."""

    base_url: str
    settings: HQSettings
    http: httpx.Client
    engine: Engine  # direct SQL on HQ's database, to inspect or corrupt what it stored

    def url(self, path: str) -> str:
        return self.base_url + protocol.API_PREFIX + path

    def enroll(self, device: str, site: str = "MINE1") -> str:
        code = admin.make_enroll_code(self.settings, site)
        response = self.http.post(self.url("/enroll"), json={"code": code.code, "device": device})
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        assert isinstance(token, str)
        return token

    def push(
        self,
        device: str,
        token: str | None,
        links: Sequence[ChainLink],
        *,
        header_device: str | None = None,
        prev_hash: str | None = None,
        last_hash: str | None = None,
        device_time: datetime | None = None,
        payloads: Sequence[bytes] | None = None,
    ) -> httpx.Response:
        header = protocol.PushHeader(
            device=header_device or device,
            first_seq=links[0].seq,
            count=len(links),
            prev_hash=prev_hash or links[0].prev_hash,
            last_hash=last_hash or links[-1].hash,
            pending=3,
            device_time=device_time or datetime.now(UTC),
        )
        wire = [
            protocol.WireChange(kind=link.kind, payload=payloads[i] if payloads else link.payload)
            for i, link in enumerate(links)
        ]
        body = protocol.compress(protocol.encode_push(header, wire))
        return self.post_push(body, protocol.auth_header(device, token) if token else {})

    def post_push(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return self.http.post(
            self.url("/push"),
            content=body,
            headers={
                **headers,
                "Content-Encoding": "zstd",
                "Content-Type": protocol.CONTENT_TYPE,
            },
        )

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()

    def execute(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)


def start_server(
    url: str, log: Path, workers: int = 1, port: int | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m sync.hq` on a free port (or `port`); returns once /healthz answers. Logs go
    to `log`."""
    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = ["--db", url, "--port", str(port), "--workers", str(workers)]
    with log.open("ab") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hq", *args], cwd=REPO, env=env, stdout=sink, stderr=sink
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"HQ server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(base + protocol.API_PREFIX + "/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise RuntimeError("HQ server did not start within 30 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class HQProcess:
    """One HQ server process that a test may kill (SIGKILL, mid-request) and start again on
    the same database; `on_restart` learns the new base URL (e.g. a proxy's upstream)."""

    def __init__(self, url: str, log: Path, workers: int = 1) -> None:
        self.url, self.log, self.workers = url, log, workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.base_url = ""
        self.port = 0
        self.starts = 0
        self.kills = 0

    def start(self) -> str:
        assert self.proc is None or self.proc.poll() is not None, "HQ is already running"
        self.proc, self.base_url = start_server(self.url, self.log, self.workers)
        self.port = int(self.base_url.rsplit(":", 1)[1])
        self.starts += 1
        return self.base_url

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; whatever HQ had not committed is gone."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            self.kills += 1

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            stop_server(self.proc)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def entry_payload(device: str, n: int, name: str = "张露") -> bytes:
    return canonical_json(
        {
            "id": f"{device}-{n}",
            "checkpoint_code": "N1",
            "subject": "person",
            "person_id": "p1",
            "name": name,
            "id_number": "410323197501010012",
            "direction": "in" if n % 2 else "out",
            "outcome": "admitted",
            "reasons": "[]",
            "guard_id": "u1",
            "at": f"2026-11-20T01:{n % 60:02d}:00Z",
        }
    )


def chain(
    device: str, count: int, start: int = 1, prev: str = GENESIS_HASH, tag: str = "张露"
) -> list[ChainLink]:
    """`count` changes of `device` from `start`: entries, with a login every fifth."""
    changes = [
        ("login", canonical_json({"user_id": "u1", "ok": True, "n": n}))
        if n % 5 == 0
        else ("entry.recorded", entry_payload(device, n, tag))
        for n in range(start, start + count)
    ]
    return make_chain(device, changes, start_prev_hash=prev, start_seq=start)


def problem(response: httpx.Response) -> protocol.Problem:
    return protocol.Problem.model_validate_json(response.content)


def ack(response: httpx.Response) -> protocol.PushAck:
    assert response.status_code == 200, response.text
    return protocol.PushAck.model_validate_json(response.content)


@pytest.fixture(scope="module", params=BACKENDS, name="hq")
def hq_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HQ]:
    """One HQ server per module and backend (import it into a conftest to use `hq`)."""
    tmp = tmp_path_factory.mktemp("hq")
    with database_url(request.param, tmp) as url:
        proc, base = start_server(url, tmp / "server.log")
        engine = create_engine(url)
        try:
            with httpx.Client(timeout=30) as http:
                yield HQ(base, HQSettings(database_url=url), http, engine)
        finally:
            engine.dispose()
            stop_server(proc)
    # Bad input is a 4xx, never a crash: the server logged no traceback.
    log = (tmp / "server.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
