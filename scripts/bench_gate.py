#!/usr/bin/env python3
"""Gate benchmarks: every figure is a ratio against a baseline measured in the same run.

    .venv/bin/python scripts/bench_gate.py [--people 100000] [--saves 1000] [--soak 10000]

1. entry save through services (entry + change log, durable) vs a raw sqlite3 single-row
   insert+commit in WAL/FULL                                            goal <= 2x
   (blocks with the terminal's background WAL checkpointer alternate with blocks without)
2. lookup p50/p99 on N people: ID suffix, name, pinyin initials, plate  goal p99 <= 5 ms
3. TUI cold start: `gateui` to its login screen painted vs a bare Textual form, both in a
   pseudo-terminal (scripts/bench_cold.py), then PIN Enter to the gate   goal <= 1.5x
4. soak of entries through the gate screen with Pilot: last 1,000 vs first 1,000 latency
   (goal <= 1.1x) and RSS growth (goal <= 20 MB)
5. scan-to-saved for a pass holder (verify the signed pass + card + save) vs an entry typed
   by ID number (lookup + card + save), interleaved
This machine is shared and noisy: read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gateui.config import SiteConfig
from gateui.domain.checklist import normal_answers
from gateui.domain.direction import Direction
from gateui.services import auth, passages
from gateui.services.context import GateContext, open_gate
from gateui.services.lookup import find
from gateui.services.seed import seed_demo


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _durability(conn: sqlite3.Connection) -> str:
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    return f"{mode}/{('OFF', 'NORMAL', 'FULL', 'EXTRA')[sync]}"


def bench_save(ctx: GateContext, guard: str, people: list[str], n: int, tmp: Path) -> None:
    """A save through services (entry + presence + change log, one BEGIN IMMEDIATE ...
    COMMIT) against the least a durable save can cost: one row, one COMMIT, on a file in
    the same directory with the same journal and sync settings (checked, not assumed)."""
    raw = sqlite3.connect(tmp / "raw.db", isolation_level=None)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute(
        "CREATE TABLE entry (id TEXT PRIMARY KEY, person_id TEXT, direction TEXT,"
        " outcome TEXT, answers TEXT, guard_id TEXT, at TEXT)"
    )
    with ctx.db.write_sql() as tx:
        svc_mode = _durability(tx.conn)
    raw_mode = _durability(raw)
    assert svc_mode == raw_mode == "wal/FULL", (svc_mode, raw_mode)
    print(f"[save] both on files in {tmp}: services {svc_mode}, raw {raw_mode}")
    normal = normal_answers(ctx.checklist)

    def raw_insert(key: str, pid: str) -> None:
        raw.execute("BEGIN")
        raw.execute(
            "INSERT INTO entry VALUES (?,?,?,?,?,?,?)",
            (key, pid, "in", "admitted", "{}", guard, datetime.now(UTC).isoformat()),
        )
        raw.execute("COMMIT")

    # Warm both paths (pool connection, statement caches) out of timing: one person in and
    # out again, so the timed loop starts from the same presence state.
    for k, direction in enumerate((Direction.IN, Direction.OUT)):
        passages.register_person(ctx, guard, passages.PersonPassage(people[0], direction, normal))
        raw_insert(f"warm-{k}", people[0])
    # The terminal checkpoints the WAL in a background thread (gateui.store.checkpoint), so
    # the timed saves run with that same thread, and its cost (I/O, the GIL) is in them.
    # Blocks of saves without it (SQLite checkpointing inside some commits, as before) are
    # interleaved with them to show the difference; the raw baseline keeps SQLite's defaults.
    modes: dict[str, tuple[list[float], list[float]]] = {
        "checkpointer": ([], []),
        "in-commit": ([], []),
    }
    block = max(1, n // 8)
    checkpoints = 0
    for i in range(n):
        mode = "checkpointer" if (i // block) % 2 == 0 else "in-commit"
        if mode == "checkpointer" and ctx.db.checkpointer is None:
            ctx.db.start_checkpointer()
        elif mode == "in-commit" and ctx.db.checkpointer is not None:
            checkpoints += ctx.db.checkpointer.checkpoints
            ctx.db.stop_checkpointer()
        svc_ms, raw_ms = modes[mode]
        pid = people[i % len(people)]
        direction = Direction.IN if (i // len(people)) % 2 == 0 else Direction.OUT
        req = passages.PersonPassage(pid, direction, normal)
        # Interleave the two so that noise from other tenants hits both alike.
        svc_ms.append(timed(lambda req=req: passages.register_person(ctx, guard, req)))
        raw_ms.append(timed(lambda i=i, pid=pid: raw_insert(f"r-{i}", pid)))
    if ctx.db.checkpointer is not None:
        checkpoints += ctx.db.checkpointer.checkpoints
        ctx.db.stop_checkpointer()
    raw.close()
    print(f"[save] background checkpoints run: {checkpoints}")
    for mode, (svc_ms, raw_ms) in modes.items():
        s50, s99 = statistics.median(svc_ms), pct(svc_ms, 0.99)
        r50, r99 = statistics.median(raw_ms), pct(raw_ms, 0.99)
        print(f"[save] {mode}: {len(svc_ms)} entries")
        print(f"[save]   services median {s50:.3f} ms p99 {s99:.3f} ms")
        print(f"[save]   raw sqlite3 median {r50:.3f} ms p99 {r99:.3f} ms")
        print(f"[save]   ratio median {s50 / r50:.2f}x  p99 {s99 / r99:.2f}x   (goal <= 2x)")


def bench_lookup(ctx: GateContext, people: int, rounds: int = 300) -> None:
    from gateui.services.presence import muster  # noqa: F401  (warm imports out of timing)

    rng = random.Random(7)
    with ctx.db.read() as s:
        from sqlmodel import select

        from gateui.store.models import Person, Vehicle

        sample = list(s.exec(select(Person.name, Person.id_number).limit(5000)))
        plates = list(s.exec(select(Vehicle.plate).limit(500)))
    from gateui.domain.names import pinyin_initial_keys

    queries: dict[str, Callable[[], str]] = {
        "id_suffix": lambda: (rng.choice(sample)[1] or "")[-6:],
        "name": lambda: rng.choice(sample)[0],
        "pinyin": lambda: pinyin_initial_keys(rng.choice(sample)[0])[0],
        "plate": lambda: rng.choice(plates)[1:].lower(),
    }
    for kind, make in queries.items():
        times = []
        for _ in range(rounds):
            q = make()
            times.append(timed(lambda q=q: find(ctx, q)))
        print(
            f"[lookup] {kind:9s} on {people} people: p50 {pct(times, 0.5):.2f} ms"
            f"  p99 {pct(times, 0.99):.2f} ms   (goal p99 <= 5 ms)"
        )


def bench_pass_scan(ctx: GateContext, guard: str, people: list[str], n: int, tmp: Path) -> None:
    """Scan-to-saved for a pass holder (verify the signed pass + card + save) against an
    entry typed by ID number (lookup + card + save), interleaved in the same run."""
    from datetime import timedelta

    from gateui.services import passes
    from gateui.services.lookup import person_card

    holders = people[:50]
    passes.create_site_key(ctx, "bench")
    now = ctx.now()
    (tmp / "passes").mkdir()
    issued = passes.issue_passes(ctx, holders, None, now, now + timedelta(days=1), tmp / "passes")
    tokens = {v.person_id: v.token for v in issued}
    with ctx.db.read() as s:
        from sqlmodel import col, select

        from gateui.store.models import Person

        rows = s.exec(select(Person.id, Person.id_number).where(col(Person.id).in_(holders)))
        numbers = {pid: number or "" for pid, number in rows}
    normal = normal_answers(ctx.checklist)

    def by_pass(pid: str, direction: Direction) -> None:
        check = passes.verify_scanned_pass(ctx, tokens[pid])
        assert check.ok and check.person is not None
        req = passages.PersonPassage(check.person.id, direction, normal)
        passages.register_person(ctx, guard, req)

    def by_id_number(pid: str, direction: Direction) -> None:
        match = find(ctx, numbers[pid])[0]
        card = person_card(ctx, match.id)
        passages.register_person(ctx, guard, passages.PersonPassage(card.id, direction, normal))

    pass_ms: list[float] = []
    typed_ms: list[float] = []
    for i in range(n):
        pid = holders[i % len(holders)]
        direction = Direction.IN if (i // len(holders)) % 2 == 0 else Direction.OUT
        pass_ms.append(timed(lambda pid=pid, d=direction: by_pass(pid, d)))
        typed_ms.append(timed(lambda pid=pid, d=direction: by_id_number(pid, d)))
    p50, p99 = statistics.median(pass_ms), pct(pass_ms, 0.99)
    t50, t99 = statistics.median(typed_ms), pct(typed_ms, 0.99)
    print(f"[pass] {n} scans  pass (verify+card+save) median {p50:.3f} ms p99 {p99:.3f} ms")
    print(f"[pass]   typed ID number (find+card+save) median {t50:.3f} ms p99 {t99:.3f} ms")
    print(f"[pass] ratio median {p50 / t50:.2f}x  p99 {p99 / t99:.2f}x   (pass vs typed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--vehicles", type=int, default=2_000)
    parser.add_argument("--saves", type=int, default=1_000)
    parser.add_argument("--soak", type=int, default=10_000)
    parser.add_argument("--skip-tui", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ctx = open_gate(tmp / "gate.db", SiteConfig())
        start = time.perf_counter()
        seed_demo(ctx, people=args.people, vehicles=args.vehicles, seed=1)
        print(f"[setup] seeded {args.people} people in {time.perf_counter() - start:.1f} s")
        guard = auth.create_user(ctx, "测试员", "guard", "BENCH1", "1234")
        with ctx.db.read() as s:
            from sqlmodel import select

            from gateui.store.models import Person

            people = list(s.exec(select(Person.id).where(Person.status == "normal").limit(200)))
        bench_save(ctx, guard, people, args.saves, tmp)
        bench_lookup(ctx, args.people)
        bench_pass_scan(ctx, guard, people, args.saves, tmp)
        if not args.skip_tui:
            from scripts.bench_tui import bench_cold_start, bench_soak

            bench_cold_start(tmp)
            bench_soak(tmp, args.soak)


if __name__ == "__main__":
    main()
