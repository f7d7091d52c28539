#!/usr/bin/env python3
"""Roster benchmarks, as measured on this machine (median of several runs, and the worst).

    .venv/bin/python scripts/bench_roster.py [--runs 5]

1. generate 4 weeks for 2 checkpoints and 30 guards (domain generator)   goal < 1 s
   ... and the same through services.generate_and_apply on a real SQLite file, events
   and change log written (for information: it adds the durable writes)
2. check every rule on a year of roster (2 checkpoints, 3 shifts, 2 guards) goal < 100 ms
   ... and folding that year's events into the roster (for information)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import SQLModel

from gateui.config import SiteConfig
from gateui.domain.hlc import HLC
from gateui.domain.roster import (
    EventKind,
    Guard,
    RosterConfig,
    RosterEvent,
    RosterState,
    ShiftCalendar,
    check,
    fold,
    generate,
)
from gateui.services import auth, roster
from gateui.services.context import open_gate
from gateui.store.roster_models import ROSTER_TABLES

CHECKPOINTS = ["N1", "S1"]
FIRST = date(2027, 1, 4)  # a Monday
NOW = datetime(2026, 12, 20, 2, tzinfo=UTC)


def measure(label: str, goal: float | None, runs: int, fn: Callable[[], object]) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    median, worst = statistics.median(times), max(times)
    verdict = "" if goal is None else ("  OK" if worst < goal else "  OVER GOAL")
    goal_text = "" if goal is None else f"  (goal < {goal * 1000:.0f} ms)"
    figures = f"median {median * 1000:8.1f} ms  worst {worst * 1000:8.1f} ms"
    print(f"{label:<58} {figures}{goal_text}{verdict}")


def chinese_name(i: int) -> str:
    """A distinct name for i < 100 (user names may not contain digits)."""
    return "王李张刘陈杨黄赵吴周"[i % 10] + "伟芳娜敏静强磊军洋勇"[i // 10]


def guards(n: int) -> list[Guard]:
    return [Guard(f"g{i:02d}", f"保安{i:02d}") for i in range(n)]


def bench_generate(runs: int) -> None:
    config = RosterConfig()
    last = FIRST + timedelta(days=27)

    def run() -> object:
        calendar = ShiftCalendar.for_config(config, "Asia/Shanghai")  # cold cache each time
        return generate(
            first=FIRST,
            last=last,
            checkpoints=CHECKPOINTS,
            guards=guards(30),
            config=config,
            calendar=calendar,
            state=RosterState(),
        )

    measure("generate 4 weeks, 2 checkpoints, 30 guards", 1.0, runs, run)
    result = run()
    assert hasattr(result, "fairness") and hasattr(result, "unfilled")
    f = result.fairness
    print(
        f"    unfilled cells {len(result.unfilled)}; spread: shifts {f.spread_shifts}, "
        f"nights {f.spread_nights}, weekends {f.spread_weekends}, hours {f.spread_hours}",
        flush=True,
    )


def bench_generate_service(runs: int) -> None:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            ctx = open_gate(Path(tmp) / "gate.db", SiteConfig(), clock=lambda: NOW)
            SQLModel.metadata.create_all(ctx.db.writer, tables=list(ROSTER_TABLES))
            leader = auth.create_user(ctx, "班长", "leader", "L1", "1234")
            for i in range(30):
                auth.create_user(ctx, chinese_name(i), "guard", f"B{i:03d}", "1234")
            started = time.perf_counter()
            roster.generate_and_apply(ctx, leader, FIRST, FIRST + timedelta(days=27))
            times.append(time.perf_counter() - started)
            ctx.db.dispose()
    median, worst = statistics.median(times), max(times)
    label = "  same through services.generate_and_apply (writes 336 events)"
    print(f"{label:<58} median {median * 1000:8.1f} ms  worst {worst * 1000:8.1f} ms")


def year_events() -> tuple[list[RosterEvent], RosterConfig]:
    """A year of roster as events: a generated rotation for each 4 weeks, one after another."""
    config = RosterConfig()
    calendar = ShiftCalendar.for_config(config, "Asia/Shanghai")
    events: list[RosterEvent] = []
    state = RosterState()
    start = FIRST
    n = 0
    while start <= FIRST + timedelta(days=364):
        last = min(start + timedelta(days=27), FIRST + timedelta(days=364))
        result = generate(
            first=start,
            last=last,
            checkpoints=CHECKPOINTS,
            guards=guards(30),
            config=config,
            calendar=calendar,
            state=state,
        )
        for cell, gids in sorted(result.assignments.items()):
            base: tuple[str, ...] = ()
            for gid in gids:
                n += 1
                hlc = HLC(1_700_000_000_000 + n, 0, "BENCH")
                event = RosterEvent(f"BENCH-{n}", hlc, EventKind.ASSIGN, cell, gid, base)
                events.append(event)
                base = (event.event_id,)  # as the services write them: each sees the last
        state = fold(events)
        start = last + timedelta(days=1)
    return events, config


def bench_check_year(runs: int) -> None:
    events, config = year_events()
    state = fold(events)
    directory = {g.id: g for g in guards(30)}
    last = FIRST + timedelta(days=364)

    def run() -> object:
        cold = ShiftCalendar.for_config(config, "Asia/Shanghai")
        return check(
            state, cold, config, directory, first=FIRST, last=last, checkpoints=CHECKPOINTS
        )

    found = run()
    assert isinstance(found, list)
    assignments = sum(len(g) for g in state.assignments.values())
    measure(f"check every rule on a year ({assignments} assignments)", 0.1, runs, run)
    print(f"    violations found: {len(found)}")
    measure(f"  fold a year of events ({len(events)} events)", None, runs, lambda: fold(events))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_generate(args.runs)
    bench_generate_service(max(1, args.runs // 2))
    bench_check_year(args.runs)


if __name__ == "__main__":
    main()
