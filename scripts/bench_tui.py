#!/usr/bin/env python3
"""TUI benchmarks, run by scripts/bench_gate.py on its seeded database (or alone).

    .venv/bin/python scripts/bench_tui.py [--people 20000] [--soak 2000] [--reps 7]

Cold start: wall time from starting a child process to the gate screen being mounted and
drawn, against a bare Textual app with a small form (a label, an Input and a Button) started
the same way, interleaved, several repetitions; medians and their ratio (goal <= 1.5x).
The gate child opens the seeded database, builds the app with create_app and goes to the
gate screen either through a test hook (the guard is taken as logged in: no PIN hashing)
or by typing the badge and PIN into the login screen (argon2 and a login record included).
Both children run Textual headless at 80x24 and report "ready" after the first refresh.

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
import os
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

BENCH_BADGE, BENCH_PIN = "BENCH1", "1234"
SIZE = (80, 24)


def _ready() -> None:
    # Textual captures print() while an app runs; write to the real stdout.
    os.write(1, b"READY\n")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- children -------------------------------------------------------------------------------


def _child_gate(db: Path, real_login: bool) -> None:
    """Start the gate terminal on `db` and report when the gate screen is up."""
    from gateui.config import SiteConfig
    from gateui.services import auth
    from gateui.services.context import open_gate
    from gateui.tui.app import create_app
    from gateui.tui.screens.gate import GateScreen

    ctx = open_gate(db, SiteConfig())
    app = create_app(ctx, "zh", cursor_blink=False)

    async def to_the_gate(pilot: Any) -> None:
        try:
            await asyncio.wait_for(reach_the_gate(pilot), timeout=60)
        except TimeoutError:
            app.exit(return_code=3)  # never reached the gate: the parent reports a failure
            return
        _ready()
        app.exit()

    async def reach_the_gate(pilot: Any) -> None:
        if real_login:  # typed into the login screen (keys as the terminal delivers them)
            from textual import events

            driver = app._driver
            assert driver is not None

            async def typed(*names: str, then_focus: str | None = None) -> None:
                for name in names:
                    driver.send_message(events.Key(name, name if len(name) == 1 else None))
                while then_focus and (app.focused is None or app.focused.id != then_focus):
                    await asyncio.sleep(0.001)

            await typed(then_focus="who-input")
            await typed(*BENCH_BADGE, "enter", then_focus="pin-input")
            await typed(*BENCH_PIN, "enter")
        else:  # the test hook: this guard is taken as logged in
            guard = next(u for u in auth.list_users(ctx) if u.name == "测试员")
            await app.logged_in(guard)
        while not (isinstance(app.screen, GateScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.001)
        await pilot.pause()  # its first refresh: side panel, sync line, key bar

    app.run(headless=True, size=SIZE, auto_pilot=to_the_gate)
    ctx.db.dispose()
    sys.exit(app.return_code or 0)


def _child_bare() -> None:
    """The baseline: the smallest useful Textual app, a one-field form."""
    from textual.app import App, ComposeResult
    from textual.widgets import Button, Input, Label

    class BareForm(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("Badge")
            yield Input(placeholder="scan or type")
            yield Button("OK")

    app = BareForm()

    async def ready(pilot: Any) -> None:
        await pilot.pause()
        _ready()
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=ready)


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


def _time_child(args: list[str]) -> float:
    """Seconds from starting the child to its READY line."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    elapsed: float | None = None
    for line in proc.stdout:
        if line.strip() == b"READY":
            elapsed = time.perf_counter() - start
            break
    _out, err = proc.communicate(timeout=120)
    if elapsed is None or proc.returncode != 0:
        raise RuntimeError(f"child {args} failed ({proc.returncode}): {err.decode()[-2000:]}")
    return elapsed


def bench_cold_start(tmp: Path, reps: int = 7) -> dict[str, float]:
    db = tmp / "gate.db"
    times: dict[str, list[float]] = {"bare": [], "hook": [], "login": []}
    _time_child(["child-bare"])  # warm the OS file cache for both, outside the figures
    _time_child(["child-gate", str(db)])
    for _ in range(reps):  # interleaved: noise from other tenants hits all three alike
        times["bare"].append(_time_child(["child-bare"]))
        times["hook"].append(_time_child(["child-gate", str(db)]))
        times["login"].append(_time_child(["child-gate", str(db), "--login"]))
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    spread = {k: (min(v) * 1000, max(v) * 1000) for k, v in times.items()}
    print(f"[cold] {reps} runs each, process start -> screen ready (headless, 80x24)")
    labels = {
        "bare": "bare Textual form (Input+Button)",
        "hook": "gate screen, guard taken as logged in",
        "login": "gate screen via login (badge+PIN typed)",
    }
    for key, label in labels.items():
        lo, hi = spread[key]
        print(f"[cold]   {label:40s} median {med[key]:7.1f} ms  (min {lo:.1f}, max {hi:.1f})")
    print(f"[cold] ratio gate/bare {med['hook'] / med['bare']:.2f}x   (goal <= 1.5x)")
    print(f"[cold] ratio gate-with-login/bare {med['login'] / med['bare']:.2f}x")
    return {f"{k}_ms": v for k, v in med.items()}


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
        if kind == "child-bare":
            _child_bare()
        elif kind == "child-gate":
            _child_gate(Path(args[0]), real_login="--login" in args)
        elif kind == "child-soak":
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
