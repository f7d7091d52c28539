#!/usr/bin/env python3
"""Sync benchmarks: every figure is a ratio against a baseline measured in the same run, on
loopback (these machines are shared and noisy: read the ratios, not the absolute times).

    python scripts/bench_sync.py [--changes 100000] [--shift 3000] [--pg-url URL] ...

The data: a real terminal database. People and vehicles come from services.seed.seed_demo;
the gate entries are registered through services.passages (the guard's own code path,
check list, watch list, presence, change log and hash chain), 1,000 entries per
transaction instead of one each, which makes generation ~2x faster and changes nothing in
the rows or the log. It is built once per (changes, people, seed) and kept in --workdir.
The seed's own changes (people, vehicles, users) are synced before anything is measured;
the figures are about the gate entries.

(a) throughput: GateUI sync (sync.client.SyncClient, as `gateui sync` runs it, through the
    counting proxy) versus an ODK-style client implemented here: one JSON POST per record,
    each with its own UUID and SHA-256, to a small FastAPI/uvicorn receiver (started by
    this script, `--serve-baseline`) that stores every record in one transaction in a
    table of the same database. The baseline runs without the proxy (that flatters it).
    goal >= 50x
(b) bytes on the wire per entry, both directions, HTTP headers included, counted by the
    proxy (tests/support/fault_proxy.py). goal <= 48 B (the per-record baseline ~950 B)
(c) HQ ingest on PostgreSQL (POST /push of the client's own batches, decompressed,
    chain-verified, projected and committed by HQ) versus a raw psycopg executemany of the
    same rows into the same table (hq_change), batch for batch, commit per batch; fresh
    schema each time, repeated --repeat times, medians. goal >= 0.5x
(d) a 3,000-entry shift over an emulated 2G link (the proxy: 64 kbit/s and 200 ms each
    way, stalls and connection resets at ~5% of requests; the client is the real daemon,
    sync.client.run_daemon, with its own backoff) versus the bandwidth-bound minimum: the
    bytes of the exchanges that got through, divided by the link rate. goal <= 1.5x
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from gateui.config import SiteConfig  # noqa: E402
from gateui.domain.change_chain import canonical_json  # noqa: E402
from gateui.domain.checklist import normal_answers  # noqa: E402
from gateui.domain.direction import Direction  # noqa: E402
from gateui.services import passages, sync_io  # noqa: E402
from gateui.services.context import GateContext, open_gate  # noqa: E402
from gateui.services.seed import seed_demo  # noqa: E402
from gateui.store.models import AppUser, Person  # noqa: E402
from sync import protocol  # noqa: E402
from sync.batching import FAST_LINK_LEVEL, MAX_BATCH_BYTES, encode_batch  # noqa: E402
from sync.client import Backoff, DaemonHooks, SyncClient, enroll, run_daemon  # noqa: E402
from sync.hq import admin, crud  # noqa: E402
from sync.hq.core.config import HQSettings  # noqa: E402
from sync.hq.db import HQDatabase, open_database  # noqa: E402
from sync.hq.ingest import apply_push, project, read_push_body  # noqa: E402
from sync.hq.models import HQEntry, table_of  # noqa: E402
from tests.support.fault_proxy import (  # noqa: E402
    PASS,
    Fault,
    FaultKind,
    FaultProxy,
    Link,
    RequestInfo,
)
from tests.support.hq_server import HQProcess, free_port, pg_schema  # noqa: E402

LINK_RATE = 64_000 / 8  # bytes per second, each way
LINK_LATENCY = 0.200  # seconds, each way
SITE = "BENCH"
ENTRY_BATCH = 1_000  # entries per services transaction while building the terminal


def log(message: str) -> None:
    print(f"  . {message}", file=sys.stderr, flush=True)


# --- the terminal's data -------------------------------------------------------------------------


class Clock:
    """The terminal's clock while entries are made: a shift's pace, one entry every 1-20 s."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Terminal:
    ctx: GateContext
    path: Path
    seeded_through: int  # last sequence of the seed's own changes
    last_seq: int

    @property
    def entries(self) -> int:
        return self.last_seq - self.seeded_through


def build_terminal(path: Path, people: int, entries: int, seed: int) -> Terminal:
    """A terminal database with seed_demo people and `entries` gate entries (cached)."""
    marker = path.with_suffix(".json")
    if path.exists() and marker.exists():
        meta = json.loads(marker.read_text())
        ctx = open_gate(path, SiteConfig(), clock=lambda: datetime.now(UTC))
        log(f"terminal {path.name}: cached ({meta['entries']} entries)")
        return Terminal(ctx, path, meta["seeded_through"], meta["last_seq"])
    path.unlink(missing_ok=True)
    clock = Clock(datetime(2026, 11, 2, 22, tzinfo=UTC))
    ctx = open_gate(path, SiteConfig(), clock=clock)
    seed_demo(ctx, people=people, vehicles=max(10, people // 10), seed=seed)
    seeded = sync_io.sync_status(ctx).last_seq
    with ctx.db.read() as s:
        guard = s.exec(select(AppUser.id).where(AppUser.role == "guard")).first()
        ids = sorted(s.exec(select(Person.id)))
    assert guard is not None and ids
    rng = random.Random(seed)
    regulars = rng.sample(ids, min(len(ids), 1_500))  # the people who pass this gate
    answers = normal_answers(ctx.checklist)
    inside: set[str] = set()
    started = time.perf_counter()
    for first in range(0, entries, ENTRY_BATCH):
        with ctx.db.write_sql() as tx:  # the transaction register_person opens, for 1,000
            for _ in range(min(ENTRY_BATCH, entries - first)):
                clock.now += timedelta(seconds=rng.uniform(1, 20))
                person = rng.choice(regulars)
                direction = Direction.OUT if person in inside else Direction.IN
                inside.symmetric_difference_update({person})
                request = passages.PersonPassage(person, direction, answers)
                passages._person_passage(ctx, tx, guard, request)
        if first and first % 20_000 == 0:
            log(f"terminal {path.name}: {first} entries")
    elapsed = time.perf_counter() - started
    last = sync_io.sync_status(ctx).last_seq
    assert last == seeded + entries
    log(
        f"terminal {path.name}: {entries} entries via services.passages in"
        f" {elapsed:.0f} s ({elapsed / max(entries, 1) * 1000:.2f} ms each)"
    )
    marker.write_text(json.dumps({"seeded_through": seeded, "last_seq": last, "entries": entries}))
    ctx.clock = lambda: datetime.now(UTC)
    return Terminal(ctx, path, seeded, last)


# --- HQ and the baseline receiver -----------------------------------------------------------------


@contextmanager
def database(pg_url: str | None, tmp: Path, name: str) -> Iterator[str]:
    """A fresh, empty database: a new schema on PostgreSQL, or a new SQLite file."""
    if pg_url:
        with pg_schema(pg_url, prefix=f"bench_{name}") as url:
            yield url
    else:
        path = tmp / f"{name}-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"


def enroll_terminal(terminal: Terminal, base_url: str, settings: HQSettings) -> str:
    """Enroll the terminal's device at a fresh HQ and start its stream from zero."""
    code = admin.make_enroll_code(settings, SITE)
    with httpx.Client(timeout=30) as http:
        answer = enroll(base_url, code.code, terminal.ctx.device_id, http=http)
    sync_io.save_enrollment(terminal.ctx, base_url, answer.token, answer.site, answer.acked_seq)
    return answer.token


def push_through(client: SyncClient, ctx: GateContext, upto: int) -> None:
    """Push the stream up to `upto` (the seed's changes) before anything is measured."""
    limit = client.max_batch_changes
    for _ in range(100_000):
        acked = sync_io.sync_status(ctx).acked_seq
        if acked >= upto:
            break
        client.max_batch_changes = min(limit, upto - acked)
        client.push_batch()
    client.max_batch_changes = limit


@contextmanager
def baseline_receiver(url: str, tmp: Path, token: str) -> Iterator[str]:
    port = free_port()
    logfile = tmp / f"baseline-{port}.log"
    with logfile.open("ab") as sink:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve-baseline", url, "--port", str(port)],
            env={**os.environ, "BENCH_BASELINE_TOKEN": token},
            stdout=sink,
            stderr=sink,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(logfile.read_text()[-2000:])
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("baseline receiver did not start")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Submission(BaseModel):
    """One record as the ODK-style client posts it: its own UUID and hash, the record."""

    instanceID: str  # the OpenRosa names
    deviceID: str
    seq: int
    kind: str
    submission: dict[str, Any]
    hash: str


def serve_baseline(url: str, port: int) -> None:
    """The ODK-style receiver: one record per request, stored in one transaction each."""
    import uvicorn
    from fastapi import FastAPI, Header, HTTPException

    token = os.environ["BENCH_BASELINE_TOKEN"]
    engine = create_engine(url, pool_size=8, max_overflow=0)
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS odk_submission (instance_id VARCHAR(64) PRIMARY"
                " KEY, device_id VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, kind VARCHAR(64)"
                f" NOT NULL, payload {'BYTEA' if pg else 'BLOB'} NOT NULL, hash VARCHAR(64)"
                " NOT NULL, received_at TIMESTAMP NOT NULL)"
            )
        )
    if not pg:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.exec_driver_sql("PRAGMA synchronous=FULL")
    insert = text(
        "INSERT INTO odk_submission VALUES (:i, :d, :s, :k, :p, :h, :r)"
        + (" ON CONFLICT (instance_id) DO NOTHING" if pg else " ON CONFLICT DO NOTHING")
    )

    app = FastAPI()

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/submission")
    def submit(body: Submission, authorization: str = Header("")) -> dict[str, str]:
        if authorization != f"Bearer {token}":
            raise HTTPException(401, "unauthorized")
        payload = canonical_json(body.submission)
        if hashlib.sha256(payload).hexdigest() != body.hash:
            raise HTTPException(400, "hash mismatch")
        with engine.begin() as conn:
            conn.execute(
                insert,
                {
                    "i": body.instanceID,
                    "d": body.deviceID,
                    "s": body.seq,
                    "k": body.kind,
                    "p": payload,
                    "h": body.hash,
                    "r": datetime.now(UTC).replace(tzinfo=None),
                },
            )
        return {"instanceID": body.instanceID, "status": "accepted"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def baseline_send(http: httpx.Client, base: str, token: str, terminal: Terminal, count: int) -> int:
    """One POST per record, in order, each with a new UUID and its SHA-256 (ODK Collect)."""
    seq, sent = terminal.seeded_through, 0
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    while sent < count:
        rows = sync_io.changes_after(terminal.ctx, seq, 10**9, min(2_000, count - sent))
        if not rows:
            break
        for change in rows:
            body = {
                "instanceID": f"uuid:{uuid.uuid4()}",
                "deviceID": terminal.ctx.device_id,
                "seq": change.seq,
                "kind": change.kind,
                "submission": json.loads(change.payload),
                "hash": hashlib.sha256(change.payload).hexdigest(),
            }
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            response = http.post(base + "/submission", content=data, headers=headers)
            response.raise_for_status()
        seq, sent = rows[-1].seq, sent + len(rows)
    return sent


# --- (a) and (b) ----------------------------------------------------------------------------------


@dataclass
class Figures:
    gateui_rate: float = 0.0
    gateui_bytes: float = 0.0
    gateui_up: float = 0.0
    gateui_down: float = 0.0
    baseline_rate: float = 0.0
    baseline_records: int = 0
    baseline_bytes: float = 0.0
    backend: str = ""


def phase_throughput(
    terminal: Terminal, pg_url: str | None, tmp: Path, baseline_records: int, sample: int
) -> Figures:
    figures = Figures(backend="PostgreSQL" if pg_url else "SQLite")
    with ExitStack() as stack:
        url = stack.enter_context(database(pg_url, tmp, "a"))
        hq = HQProcess(url, tmp / "hq-a.log")
        hq.start()
        stack.callback(hq.stop)
        settings = HQSettings(database_url=url)
        proxy = FaultProxy(("127.0.0.1", hq.port)).start()
        stack.callback(proxy.stop)
        token = enroll_terminal(terminal, hq.base_url, settings)
        warm = SyncClient(
            sync_io.ServicePorts(terminal.ctx),
            terminal.ctx.device_id,
            hq.base_url,
            token,
            http=httpx.Client(timeout=120),
        )
        push_through(warm, terminal.ctx, terminal.seeded_through)
        warm.pull_all()  # the seed's reference data too: the measured round pulls nothing new
        proxy.reset_stats()
        client = SyncClient(
            sync_io.ServicePorts(terminal.ctx),
            terminal.ctx.device_id,
            proxy.url,
            token,
            http=httpx.Client(timeout=120),
        )
        started = time.perf_counter()
        result = client.run_round()
        elapsed = time.perf_counter() - started
        assert result.ok and result.pending == 0, result
        status = [d for d in admin.list_devices(settings) if d.device == terminal.ctx.device_id]
        assert status[0].complete_through == terminal.last_seq
        n = terminal.entries
        figures.gateui_rate = n / elapsed
        figures.gateui_up = proxy.stats.bytes_up / n
        figures.gateui_down = proxy.stats.bytes_down / n
        figures.gateui_bytes = figures.gateui_up + figures.gateui_down
        log(
            f"(a) GateUI: {n} entries in {elapsed:.2f} s, {proxy.stats.requests} requests,"
            f" {proxy.stats.bytes_up} B up, {proxy.stats.bytes_down} B down"
        )

        # The baseline, in the same database, without the proxy.
        records = min(baseline_records or n, n)
        base = stack.enter_context(baseline_receiver(url, tmp, token))
        http = stack.enter_context(httpx.Client(timeout=60))
        baseline_send(http, base, token, terminal, min(200, records))  # warm up
        started = time.perf_counter()
        sent = baseline_send(http, base, token, terminal, records)
        elapsed = time.perf_counter() - started
        figures.baseline_rate, figures.baseline_records = sent / elapsed, sent
        log(f"(a) one POST per record: {sent} records in {elapsed:.2f} s")
        # Its bytes, through the same proxy, pointed at the receiver.
        proxy.set_upstream(int(base.rsplit(":", 1)[1]))
        proxy.reset_stats()
        with httpx.Client(timeout=60) as counted:
            k = baseline_send(counted, proxy.url, token, terminal, min(sample, n))
        figures.baseline_bytes = (proxy.stats.bytes_up + proxy.stats.bytes_down) / k
    return figures


# --- (c) HQ ingest on PostgreSQL ------------------------------------------------------------------


def client_bodies(
    terminal: Terminal, first: int, last: int
) -> list[tuple[bytes, list[tuple[Any, ...]]]]:
    """The push bodies the client sends for changes first..last on a fast link (its batch
    sizer at its ceiling and its fast-link zstd level, sync.batching), each with the raw rows
    a plain insert of the same changes would write."""
    out: list[tuple[bytes, list[tuple[Any, ...]]]] = []
    ctx = terminal.ctx
    seq = first - 1
    while seq < last:
        changes = sync_io.changes_after(
            ctx, seq, MAX_BATCH_BYTES, min(protocol.MAX_BATCH_CHANGES, last - seq)
        )
        batch = encode_batch(
            ctx.device_id,
            changes[0].prev_hash,
            changes,
            pending=last - changes[-1].seq,
            device_time=datetime.now(UTC),
            limit=MAX_BATCH_BYTES,
            more=changes[-1].seq < last,
            level=FAST_LINK_LEVEL,
        )
        rows = [(ctx.device_id, c.seq, c.kind, c.payload, c.hash) for c in changes]
        out.append((batch.body, rows))
        seq = changes[-1].seq
    return out


ENTRY_COLUMNS = list(table_of(HQEntry).columns.keys())


def projected_entries(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The hq_entry rows HQ's ingest writes for these changes (its own projection)."""
    out = []
    for device_id, seq, kind, payload, _hash in rows:
        entry = project(kind, payload)
        if isinstance(entry, protocol.EntryPayload):
            values = {**entry.__dict__, "device_id": device_id, "seq": seq, "site_code": SITE}
            values["at"] = entry.at.astimezone(UTC).replace(tzinfo=None)
            out.append(tuple(values.get(name) for name in ENTRY_COLUMNS))
    return out


def phase_ingest(terminal: Terminal, pg_url: str, tmp: Path, repeat: int) -> dict[str, float]:
    """Rates of HQ's ingest and of the raw inserts, measured batch by batch in turn (HQ, then
    raw, then the next batch), so that the machine's noise falls on both alike; each side
    has a fresh schema of its own; `repeat` runs, medians of rates and of ratios."""
    seed_bodies = client_bodies(terminal, 1, terminal.seeded_through)
    bodies = client_bodies(terminal, terminal.seeded_through + 1, terminal.last_seq)
    n = terminal.entries
    log(f"(c) {len(bodies)} batches of the client's, ~{n / len(bodies):,.0f} changes each")
    device = terminal.ctx.device_id
    names = ("http", "inproc", "raw", "raw2")
    rates: dict[str, list[float]] = {name: [] for name in names}
    ratios: list[float] = []
    change_sql = (
        "INSERT INTO hq_change (device_id, seq, kind, payload, hash, received_at,"
        " projection_error) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    entry_sql = (
        f"INSERT INTO hq_entry ({', '.join(ENTRY_COLUMNS)})"
        f" VALUES ({', '.join(['%s'] * len(ENTRY_COLUMNS))})"
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    prepared = [
        ([(*row, now, None) for row in rows], projected_entries(rows)) for _, rows in bodies
    ]

    def fresh_device(url: str) -> tuple[HQSettings, str]:
        settings = HQSettings(database_url=url)
        code = admin.make_enroll_code(settings, SITE)
        with open_database(settings) as db:
            answer = crud.enroll(db, protocol.EnrollRequest(code=code.code, device=device))
        return settings, answer.token

    for r in range(repeat):
        with ExitStack() as stack:
            # HQ over HTTP: the client's own bodies, posted to the server process.
            url = stack.enter_context(database(pg_url, tmp, "c_http"))
            _, token = fresh_device(url)
            hq = HQProcess(url, tmp / "hq-c.log")
            hq.start()
            stack.callback(hq.stop)
            http = stack.enter_context(httpx.Client(timeout=120))
            push_url = hq.base_url + "/api/v1/push"
            headers = {
                **protocol.auth_header(device, token),
                "Content-Type": protocol.CONTENT_TYPE,
                "Content-Encoding": protocol.ENCODING,
            }
            # HQ's ingest in process (no HTTP).
            settings, _ = fresh_device(stack.enter_context(database(pg_url, tmp, "c_inproc")))
            db = HQDatabase(settings)
            stack.callback(db.dispose)
            # The raw inserts: hq_change alone, and every row HQ writes.
            raws = []
            for name in ("c_raw", "c_raw2"):
                url = stack.enter_context(database(pg_url, tmp, name))
                fresh_device(url)
                engine = create_engine(url)
                stack.callback(engine.dispose)
                connection = engine.raw_connection()
                stack.callback(connection.close)
                raws.append(connection)
            for body, rows in seed_bodies:  # the seed's changes first, not timed
                assert http.post(push_url, content=body, headers=headers).status_code == 200
                header, decoded = read_push_body(body, "zstd", settings.max_body_bytes)
                apply_push(db, header, decoded, authenticated=device)
                for connection in raws:
                    connection.cursor().executemany(change_sql, [(*row, now, None) for row in rows])
                    connection.commit()
            spent = dict.fromkeys(names, 0.0)
            for (body, _), (changes, entries) in zip(bodies, prepared, strict=True):
                started = time.perf_counter()
                answer = http.post(push_url, content=body, headers=headers)
                spent["http"] += time.perf_counter() - started
                assert answer.status_code == 200, answer.text
                started = time.perf_counter()
                header, decoded = read_push_body(body, "zstd", settings.max_body_bytes)
                apply_push(db, header, decoded, authenticated=device)
                spent["inproc"] += time.perf_counter() - started
                started = time.perf_counter()
                cursor = raws[0].cursor()
                cursor.executemany(change_sql, changes)
                raws[0].commit()
                spent["raw"] += time.perf_counter() - started
                started = time.perf_counter()
                cursor = raws[1].cursor()
                cursor.executemany(change_sql, changes)
                cursor.executemany(entry_sql, entries)
                raws[1].commit()
                spent["raw2"] += time.perf_counter() - started
        for name in names:
            rates[name].append(n / spent[name])
        ratios.append(spent["raw"] / spent["http"])
        log(
            f"(c) run {r + 1}: HTTP {rates['http'][-1]:,.0f}/s, in-process"
            f" {rates['inproc'][-1]:,.0f}/s, executemany {rates['raw'][-1]:,.0f}/s"
            f" (both tables {rates['raw2'][-1]:,.0f}/s)"
        )
    out = {name: statistics.median(values) for name, values in rates.items()}
    out["ratio"] = statistics.median(ratios)
    return out


# --- (d) a shift over a 2G link -------------------------------------------------------------------


class Link2G:
    """Faults of a 2G link, seeded: at `p` of requests a stall (traffic stops 1-3 s, then
    resumes) or a connection reset (mid-request, or after HQ answered)."""

    def __init__(self, seed: int, p: float = 0.05) -> None:
        self.rng, self.p = random.Random(seed), p
        self.kinds: list[str] = []

    def __call__(self, _info: RequestInfo) -> Fault:
        roll, pick, fraction = self.rng.random(), self.rng.random(), self.rng.random()
        if roll >= self.p:
            return PASS
        if pick < 0.5:
            self.kinds.append("stall")
            return Fault("pass", delay=1 + 2 * fraction)
        kind: FaultKind = "reset_request" if pick < 0.75 else "lost_ack"
        self.kinds.append(kind)
        return Fault(kind, fraction=fraction)


@dataclass
class ShiftRun:
    seconds: float
    minimum: float
    good_bytes: int
    all_bytes: int
    requests: int
    faults: list[str]


def phase_2g(shift: Terminal, pg_url: str | None, tmp: Path, seed: int) -> ShiftRun:
    run_dir = tmp / f"shift-{seed}"
    run_dir.mkdir()
    copy = run_dir / "gate.db"
    with sqlite3.connect(shift.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # a consistent copy, WAL included
    ctx = open_gate(copy, SiteConfig(), clock=lambda: datetime.now(UTC))
    terminal = Terminal(ctx, copy, shift.seeded_through, shift.last_seq)
    with ExitStack() as stack:
        stack.callback(ctx.db.dispose)
        url = stack.enter_context(database(pg_url, run_dir, "d"))
        hq = HQProcess(url, run_dir / "hq.log")
        hq.start()
        stack.callback(hq.stop)
        token = enroll_terminal(terminal, hq.base_url, HQSettings(database_url=url))
        warm = SyncClient(
            sync_io.ServicePorts(ctx), ctx.device_id, hq.base_url, token, http=httpx.Client()
        )
        push_through(warm, ctx, terminal.seeded_through)
        warm.pull_all()
        policy = Link2G(seed)
        proxy = FaultProxy(("127.0.0.1", hq.port), policy=policy).start()
        stack.callback(proxy.stop)
        proxy.link_up = Link(LINK_RATE, LINK_LATENCY)
        proxy.link_down = Link(LINK_RATE, LINK_LATENCY)
        # The daemon's own HTTP client (as `gateui sync` builds it: its timeouts included).
        client = SyncClient(sync_io.ServicePorts(ctx), ctx.device_id, proxy.url, token)
        stop = threading.Event()

        def on_round(result: object) -> None:
            if getattr(result, "ok", False) and getattr(result, "pending", 1) == 0:
                stop.set()

        ports = sync_io.ServicePorts(ctx)
        hooks = DaemonHooks(local_version=ports.local_version, on_round=on_round)
        started = time.perf_counter()
        thread = threading.Thread(
            target=run_daemon,
            args=(client, hooks, stop),
            kwargs={"backoff": Backoff(rng=random.Random(seed))},
            daemon=True,
        )
        thread.start()
        thread.join(1_800)
        elapsed = time.perf_counter() - started
        stop.set()
        assert sync_io.sync_status(ctx).pending == 0, "the shift did not drain"
        good = sum(r.bytes_up + r.bytes_down for r in proxy.records if r.answered)
        total = proxy.stats.bytes_up + proxy.stats.bytes_down
        return ShiftRun(elapsed, good / LINK_RATE, good, total, proxy.stats.requests, policy.kinds)


# --- main -----------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--changes", type=int, default=100_000, help="gate entries to sync")
    parser.add_argument("--people", type=int, default=2_000, help="seed_demo people")
    parser.add_argument(
        "--baseline-records",
        type=int,
        default=20_000,
        help="records the one-POST-per-record client sends for its rate (0: all)",
    )
    parser.add_argument(
        "--bytes-sample", type=int, default=2_000, help="baseline records counted at the proxy"
    )
    parser.add_argument("--shift", type=int, default=3_000, help="entries of the 2G shift")
    parser.add_argument("--shift-runs", type=int, default=3, help="2G runs (seeds) to take")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (c), median taken")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("GATEUI_TEST_PG_URL"),
        help="PostgreSQL for HQ (default: $GATEUI_TEST_PG_URL); without it HQ runs on SQLite"
        " and (c) is skipped",
    )
    parser.add_argument("--workdir", type=Path, help="keep the generated terminals here")
    parser.add_argument("--skip", default="", help="phases to skip, e.g. 'c,d'")
    parser.add_argument("--serve-baseline", metavar="DB_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        serve_baseline(args.serve_baseline, args.port)
        return

    workdir = args.workdir or Path(tempfile.gettempdir()) / "gateui-bench-sync"
    workdir.mkdir(parents=True, exist_ok=True)
    skip = set(args.skip.split(","))
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    pg = args.pg_url
    try:
        name = f"gate-{args.changes}-{args.people}-{args.seed}.db"
        terminal = build_terminal(workdir / name, args.people, args.changes, args.seed)
        n = terminal.entries
        backend = "PostgreSQL" if pg else "SQLite"
        print(f"GateUI sync benchmark: {n:,} gate entries, loopback, HQ on {backend}", flush=True)
        print(
            "  entries: real terminal database, people from seed_demo, entries through"
            f" services.passages in transactions of {ENTRY_BATCH}",
            flush=True,
        )
        if "a" not in skip:
            f = phase_throughput(terminal, pg, tmp, args.baseline_records, args.bytes_sample)
            ratio = f.gateui_rate / f.baseline_rate
            print(
                f"(a) throughput      GateUI sync {f.gateui_rate:>10,.0f} entries/s  vs"
                f"  one POST per record {f.baseline_rate:>7,.0f} records/s"
                f" ({f.baseline_records:,} records)  = {ratio:6.1f}x   goal >= 50x:"
                f" {verdict(ratio >= 50)}"
            )
            print(
                f"(b) bytes per entry GateUI sync {f.gateui_bytes:>10.1f} B"
                f" (up {f.gateui_up:.1f}, down {f.gateui_down:.1f})  vs  one POST per record"
                f" {f.baseline_bytes:,.0f} B  = {f.baseline_bytes / f.gateui_bytes:.1f}x fewer"
                f"   goal <= 48 B: {verdict(f.gateui_bytes <= 48)}"
            )
        if "c" not in skip:
            if pg:
                rates = phase_ingest(terminal, pg, tmp, args.repeat)
                ratio = rates["ratio"]
                print(
                    f"(c) HQ ingest (PG)  POST /push {rates['http']:>10,.0f} changes/s  vs"
                    f"  raw executemany into hq_change {rates['raw']:,.0f} rows/s"
                    f"  = {ratio:.2f}x (median of {args.repeat} paired runs)"
                    f"   goal >= 0.5x: {verdict(ratio >= 0.5)}"
                )
                print(
                    f"    in process (apply_push, no HTTP) {rates['inproc']:,.0f} changes/s"
                    f" = {rates['inproc'] / rates['raw']:.2f}x;  raw executemany of every row HQ"
                    f" writes (hq_change + hq_entry) {rates['raw2']:,.0f}/s: HQ over HTTP"
                    f" = {rates['http'] / rates['raw2']:.2f}x of that"
                )
            else:
                print("(c) HQ ingest       skipped: needs --pg-url or GATEUI_TEST_PG_URL")
        if "d" not in skip:
            shift = build_terminal(
                workdir / f"shift-{args.shift}-{args.seed}.db",
                max(50, args.people // 10),
                args.shift,
                args.seed + 1,
            )
            runs = [phase_2g(shift, pg, tmp, args.seed + i) for i in range(args.shift_runs)]
            for i, run in enumerate(runs):
                log(
                    f"(d) run {i + 1}: {run.seconds:.1f} s, minimum {run.minimum:.1f} s,"
                    f" {run.requests} requests, faults {run.faults or 'none'},"
                    f" {run.all_bytes - run.good_bytes} B wasted"
                )
            ratios = [run.seconds / run.minimum for run in runs]
            median = statistics.median(ratios)
            worst = max(ratios)
            faults = sum(len(run.faults) for run in runs)
            requests = sum(run.requests for run in runs)
            mid = runs[ratios.index(median)] if median in ratios else runs[0]
            print(
                f"(d) 2G shift        {shift.entries:,} entries in {mid.seconds:.1f} s  vs"
                f"  bandwidth minimum {mid.minimum:.1f} s ({mid.good_bytes:,} B at"
                f" {LINK_RATE:,.0f} B/s)  = {median:.2f}x median of {len(runs)}, worst"
                f" {worst:.2f}x ({faults} faults in {requests} requests)"
                f"   goal <= 1.5x: {verdict(median <= 1.5)}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
