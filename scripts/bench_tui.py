#!/usr/bin/env python3
"""TUI benchmarks, run by scripts/bench_gate.py on its seeded database (or alone).

    .venv/bin/python scripts/bench_tui.py [--people 20000] [--soak 2000] [--reps 7]

Cold start: see scripts/bench_cold.py (the `gateui` command and a bare Textual form, each
in a pseudo-terminal, to their first screen painted); bench_cold_start is re-exported here.

Soak: N entries driven through the gate screen under Pilot (run_test) in a child process,
as a guard with a wedge scanner does it: a pass code (every tenth time an ID number) typed
key by key and Enter, then Enter to admit. The keys go into the driver's queue as a terminal
delivers them and the clock stops when the screen shows the result (card up, then card
cleared and the status line saying saved); Pilot.press is not used for the timed keys, as
it sleeps at least 20 ms per key waiting for the process to look idle, which would measure
Pilot rather than the gate. Latency per entry (scan + admit) of the first 1,000 against the
last 1,000 (goal <= 1.1x) and the child's RSS growth (goal <= 20 MB). Every entry is
checked saved in the database.

Nothing here asserts on time: it prints what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.bench_cold import BENCH_BADGE, BENCH_PIN, bench_cold_start  # noqa: E402

__all__ = ["bench_cold_start", "bench_soak"]
SIZE = (80, 24)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- children -------------------------------------------------------------------------------


def _scan_payloads(db: Path, count: int = 400) -> list[str]:
    """Pass codes (and every tenth an ID number) of people who pass without a leader."""
    from sqlmodel import Session, col, create_engine, select

    from gateui.store.models import Person, WatchEntry

    engine = create_engine(f"sqlite:///{db}")
    with Session(engine) as s:
        watched = set(s.exec(select(WatchEntry.id_number)).all())
        rows = s.exec(
            select(Person.card_code, Person.id_number)
            .where(Person.status == "normal", col(Person.card_code).is_not(None))
            .order_by(col(Person.id))
            .limit(count * 2)
        ).all()
    engine.dispose()
    people = [(card, number) for card, number in rows if number not in watched][:count]
    payloads = []
    for i, (card, number) in enumerate(people):
        payloads.append((number if i % 10 == 9 and number else card) or "")
    return payloads


def _child_soak(db: Path, n: int, out: Path) -> None:
    import psutil
    from sqlmodel import func, select
    from textual import events
    from textual.widgets import Static

    from gateui.config import SiteConfig
    from gateui.services.context import open_gate
    from gateui.store.models import Entry
    from gateui.tui.app import create_app
    from gateui.tui.screens.gate import GateScreen

    payloads = _scan_payloads(db)
    ctx = open_gate(db, SiteConfig())
    with ctx.db.read() as s:
        before = int(s.exec(select(func.count()).select_from(Entry)).one())
    app = create_app(ctx, "zh", cursor_blink=False)
    me = psutil.Process()

    def rss_mb() -> float:
        return me.memory_info().rss / 2**20

    result: dict[str, Any] = {}

    async def until(done: Callable[[], bool], limit: float = 10.0) -> bool:
        """Let the app run until `done()`; False after `limit` seconds."""
        deadline = time.perf_counter() + limit
        while not done():
            if time.perf_counter() > deadline:
                return False
            await asyncio.sleep(0)
        return True

    async def soak() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*BENCH_BADGE, "enter", *BENCH_PIN, "enter")
            while not isinstance(app.screen, GateScreen):
                await pilot.pause()
            await pilot.pause()
            gate = app.screen
            assert isinstance(gate, GateScreen)
            driver = app._driver
            assert driver is not None

            def keys(*names: str) -> None:
                # Into the driver's queue, as a terminal (or a wedge scanner) delivers them.
                for name in names:
                    driver.send_message(events.Key(name, name if len(name) == 1 else None))

            status = gate.query_one("#gate-status", Static)
            rss: dict[str, float] = {"start": rss_mb()}
            latency: list[float] = []
            not_saved = 0
            for i in range(n):
                payload = payloads[i % len(payloads)]
                shown_before = status.content
                start = time.perf_counter()
                keys(*payload, "enter")  # the scan: the card comes up
                found = await until(lambda: gate.card is not None)
                keys("enter")  # admit: saved, the card clears, the status line says so
                saved = await until(
                    lambda before=shown_before: gate.card is None and status.content != before
                )
                latency.append((time.perf_counter() - start) * 1000)
                if not (found and saved):
                    not_saved += 1
                    await pilot.press("escape", "escape")
                if i % 50 == 49:
                    await pilot.pause()  # a breath now and then, as between people
                if i + 1 in (100, 1000):
                    rss[f"after_{i + 1}"] = rss_mb()
            rss["end"] = rss_mb()
            result.update(latency=latency, rss=rss, not_saved=not_saved)

    asyncio.run(soak())
    with ctx.db.read() as s:
        result["saved"] = int(s.exec(select(func.count()).select_from(Entry)).one()) - before
    ctx.db.dispose()
    out.write_text(json.dumps(result))


# --- the benchmarks ---------------------------------------------------------------------------


def bench_soak(tmp: Path, n: int = 10_000) -> dict[str, Any]:
    db = tmp / "gate.db"
    out = tmp / "soak.json"
    start = time.perf_counter()
    child = [sys.executable, str(Path(__file__).resolve()), "child-soak", str(db), str(n)]
    done = subprocess.run([*child, str(out)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"soak child failed: {done.stderr[-3000:]}")
    result = json.loads(out.read_text())
    took = time.perf_counter() - start
    latency: list[float] = result["latency"]
    window = min(1000, len(latency) // 2)
    first, last = latency[:window], latency[-window:]
    f50, l50 = statistics.median(first), statistics.median(last)
    f99, l99 = _pct(first, 0.99), _pct(last, 0.99)
    rss = result["rss"]
    print(
        f"[soak] {n} entries through the gate screen with Pilot in {took:.0f} s;"
        f" saved {result['saved']}, not saved {result['not_saved']}"
    )
    print(f"[soak] first {window}: median {f50:.1f} ms  p99 {f99:.1f} ms per entry (scan + admit)")
    print(f"[soak] last  {window}: median {l50:.1f} ms  p99 {l99:.1f} ms per entry")
    print(f"[soak] ratio last/first median {l50 / f50:.2f}x  p99 {l99 / f99:.2f}x   (goal <= 1.1x)")
    marks = "  ".join(f"{k} {v:.1f}" for k, v in rss.items())
    warm = rss.get("after_100", rss["start"])
    print(f"[soak] RSS MB: {marks}")
    print(
        f"[soak] RSS growth {rss['end'] - rss['start']:.1f} MB from the gate screen's start,"
        f" {rss['end'] - warm:.1f} MB after the first 100 entries   (goal <= 20 MB)"
    )
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("child-"):
        kind, args = sys.argv[1], sys.argv[2:]
        if kind == "child-soak":
            _child_soak(Path(args[0]), int(args[1]), Path(args[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--soak", type=int, default=2_000)
    parser.add_argument("--reps", type=int, default=7)
    opts = parser.parse_args()
    from gateui.config import SiteConfig
    from gateui.services import auth
    from gateui.services.context import open_gate
    from gateui.services.seed import seed_demo

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ctx = open_gate(tmp / "gate.db", SiteConfig())
        seed_demo(ctx, people=opts.people, vehicles=200, seed=1)
        auth.create_user(ctx, "测试员", "guard", BENCH_BADGE, BENCH_PIN)
        ctx.db.dispose()
        bench_cold_start(tmp, opts.reps)
        bench_soak(tmp, opts.soak)


if __name__ == "__main__":
    main()
