#!/usr/bin/env python3
"""Cold start of the gate terminal as a guard sees it, against a bare Textual form.

    .venv/bin/python scripts/bench_cold.py DATA_DIR [--reps 7]   (DATA_DIR: a gate.db with
    the user BENCH1 / PIN 1234; scripts/bench_tui.py and bench_gate.py make one)

Both programs run in a real pseudo-terminal (80x24, TERM=xterm-256color), started the same
way: a new Python process. The parent reads what they write to the terminal and stops the
clock when the screen holds the words of the finished first screen:

- bare: a Textual app with a label, an Input and a Button (`bench_cold.py child-bare`);
  painted when the label, the Input's placeholder and the button's label are on screen;
- gate: `python -m gateui --data-dir DATA_DIR`, the `gateui` command itself (its options,
  a glance at the settings and site file, create_app; pydantic, the database and the
  gate screen load behind the login screen); painted when the login screen's title, the
  badge field's placeholder and the key bar are on screen (the Input's placeholder comes
  with the frame that draws the fields, not with an earlier partial one).

Then, on the same gate process, as a guard: the badge and Enter, a pause of PIN_PAUSE
seconds (a person types a PIN, a scanner does not), the PIN and Enter; the clock runs from
that last Enter to the gate screen painted (its scan field's title, the guard's name in the
header, the key bar). That figure includes the argon2 PIN check, the login record and
whatever start-up work the terminal left for after its first paint and had not finished.

Both children may write and read compiled bytecode (in a private PYTHONPYCACHEPREFIX, so
the repository is left clean), as an installed terminal has it: with PYTHONDONTWRITEBYTECODE
set, as in some shells and CI, every start would compile GateUI's own modules again while
Textual's come precompiled from site-packages, and the figure would measure the compiler.
A first run of each, outside the figures, fills that cache and the OS file cache.

The runs are interleaved so that noise from other tenants of the machine hits both alike;
medians, and the ratio login-screen / bare (goal <= 1.5x). The CPU time each child had used
when its screen was painted is printed too (from /proc): on a busy machine it is steadier
than the wall time. Nothing here asserts on time.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_BADGE, BENCH_PIN = "BENCH1", "1234"
BENCH_GUARD = "测试员"
ROWS, COLS = 24, 80
PIN_PAUSE = 0.3
BARE_WORDS = ("Badge", "scan or type", "OK")
# Escape sequences between the words on screen: CSI (colours, cursor moves, modes), OSC,
# and the two-character ones.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def _child_bare() -> None:
    """The baseline: the smallest useful Textual app, a one-field form, in the terminal."""
    from textual.app import App, ComposeResult
    from textual.widgets import Button, Input, Label

    class BareForm(App[None]):
        def compose(self) -> ComposeResult:
            yield Label(BARE_WORDS[0])
            yield Input(placeholder=BARE_WORDS[1])
            yield Button(BARE_WORDS[2])

    BareForm().run()


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Terminal:
    """One child process on a pseudo-terminal, and the text it has put on screen so far."""

    pycache: Path | None = None  # PYTHONPYCACHEPREFIX of the children (see the docstring)

    def __init__(self, argv: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
        env.pop("TEXTUAL", None)  # no devtools, no debug overlays
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if Terminal.pycache is not None:
            env["PYTHONPYCACHEPREFIX"] = str(Terminal.pycache)
        self.master = master
        self.raw = b""
        self.cpu = 0.0  # the child's CPU seconds when wait_for last saw its words
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True
        )
        os.close(slave)

    def text(self) -> str:
        return _ESCAPES.sub(b"", self.raw).decode("utf-8", "ignore")

    def wait_for(self, words: tuple[str, ...], timeout: float = 60.0) -> float:
        """Seconds from the process start until every word is on screen."""
        offset = len(self.raw)  # words already written before this call do not count
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 1 << 16)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                self.raw += chunk
                shown = _ESCAPES.sub(b"", self.raw[offset:]).decode("utf-8", "ignore")
                if all(w in shown for w in words):
                    elapsed = time.perf_counter() - self.start
                    self.cpu = _cpu_seconds(self.proc.pid)
                    return elapsed
            elif self.proc.poll() is not None:
                break
        tail = self.text()[-1500:]
        self.close()
        raise RuntimeError(f"{self.proc.args} never showed {words}; screen ends with:\n{tail}")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> None:
        """Ctrl+Q (quit in both apps), then make sure the process is gone."""
        if self.proc.poll() is None:
            try:
                os.write(self.master, b"\x11")
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        os.close(self.master)


def _gate_words(lang: str = "zh") -> tuple[tuple[str, ...], tuple[str, ...]]:
    from gateui.i18n import Translator

    t = Translator("en" if lang == "en" else "zh")
    login = (t("login.title"), t("login.who_hint"), t("key.clear"))
    gate = (t("gate.scan_title"), BENCH_GUARD, t("key.walk_in"))
    return login, gate


def time_bare() -> tuple[float, float]:
    """(process start -> form painted, the child's CPU seconds by then)."""
    term = Terminal([sys.executable, str(Path(__file__).resolve()), "child-bare"])
    try:
        return term.wait_for(BARE_WORDS), term.cpu
    finally:
        term.close()


def time_gate(data_dir: Path) -> tuple[float, float, float]:
    """(process start -> login screen painted, CPU seconds by then,
    PIN's Enter -> gate screen painted)."""
    login_words, gate_words = _gate_words()
    term = Terminal([sys.executable, "-m", "gateui", "--data-dir", str(data_dir)])
    try:
        painted = term.wait_for(login_words)
        cpu = term.cpu
        term.type(BENCH_BADGE.encode() + b"\r")
        time.sleep(PIN_PAUSE)
        term.type(BENCH_PIN.encode() + b"\r")
        entered = time.perf_counter() - term.start
        at_gate = term.wait_for(gate_words)
        return painted, cpu, at_gate - entered
    finally:
        term.close()


def bench_cold_start(tmp: Path, reps: int = 7, pycache: Path | None = None) -> dict[str, float]:
    """`tmp` holds gate.db with the user BENCH1 / 1234 (no site.toml: the defaults); the
    children's bytecode goes to `pycache`, by default a new folder in `tmp`."""
    Terminal.pycache = pycache or Path(tempfile.mkdtemp(prefix="pycache-", dir=tmp))
    times: dict[str, list[float]] = {"bare": [], "login": [], "gate": []}
    cpu: dict[str, list[float]] = {"bare": [], "login": []}
    time_bare()  # fill the bytecode and OS file caches for both, outside the figures
    time_gate(tmp)
    for _ in range(reps):
        wall, used = time_bare()
        times["bare"].append(wall)
        cpu["bare"].append(used)
        painted, used, to_gate = time_gate(tmp)
        times["login"].append(painted)
        cpu["login"].append(used)
        times["gate"].append(to_gate)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    cpu_med = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    print(f"[cold] {reps} runs each in a pseudo-terminal (80x24), interleaved")
    labels = {
        "bare": "bare Textual form: start -> painted",
        "login": "`gateui`: start -> login screen painted",
        "gate": "login: PIN Enter -> gate screen painted",
    }
    for key, label in labels.items():
        lo, hi = min(times[key]) * 1000, max(times[key]) * 1000
        used = f"  CPU {cpu_med[key]:.0f} ms" if key in cpu_med else ""
        print(f"[cold]   {label:42s} median {med[key]:7.1f} ms  (min {lo:.1f}, max {hi:.1f}){used}")
    print(
        f"[cold] ratio login screen/bare {med['login'] / med['bare']:.2f}x   (goal <= 1.5x)"
        f"   CPU time {cpu_med['login'] / cpu_med['bare']:.2f}x"
    )
    print(
        f"[cold] start -> gate screen, without the guard's typing"
        f" {med['login'] + med['gate']:.0f} ms = {(med['login'] + med['gate']) / med['bare']:.2f}x"
        f" bare (badge, {PIN_PAUSE:.1f} s pause, PIN)"
    )
    return {f"{k}_ms": v for k, v in med.items()}


def main() -> None:
    if sys.argv[1:2] == ["child-bare"]:
        _child_bare()
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--reps", type=int, default=7)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        bench_cold_start(opts.data_dir, opts.reps, Path(scratch))


if __name__ == "__main__":
    main()
