"""Prints how fast scoring-wizard starts: `help_s` (wall time of `scoring-wizard --help`) and `first_paint_s`
(process start to the TUI's first painted screen), as medians of several runs, in seconds and as a ratio to
`python -c pass` on the same machine; `textual_floor_s` is the first paint of a bare Textual app (one Static and a
Footer), the part of first_paint_s that is Textual's own.

Run: .venv/bin/python bench/startup.py [runs]. Targets (issue 8): help_s under 0.3 s, first_paint_s under 0.8 s.
The TUI runs in a pseudo-terminal with SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT=1, so it exits right after painting
its first screen, against an empty checkpoint folder (the welcome screen). Bytecode is written and one discarded
run of each command comes first, so the figures are those of an installed wizard, not of compiling its sources
(PYTHONDONTWRITEBYTECODE in the caller's environment is dropped for the measured processes).
"""

from __future__ import annotations

import os
import pty
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
WIZARD = str(BIN / "scoring-wizard")
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
BARE_TEXTUAL_APP = """
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    def compose(self):
        yield Static("scoring-wizard")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)


Bare().run()
"""


def _wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT, check=True)
    return time.perf_counter() - started


def _first_paint(args: list[str]) -> float:
    """Run a Textual app on a pty (Textual needs a terminal) until it exits after its first paint."""
    env = {**ENVIRONMENT, "SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    env.pop("SCORING_WIZARD_EMULATOR", None)
    controller, terminal = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    while process.poll() is None:
        ready, _, _ = select.select([controller], [], [], 0.05)
        if ready:
            try:
                os.read(controller, 65536)
            except OSError:
                break
    process.wait()
    elapsed = time.perf_counter() - started
    os.close(controller)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as empty:
        measures = {
            "python_pass_s": lambda: _wall([sys.executable, "-c", "pass"]),
            "help_s": lambda: _wall([WIZARD, "--help"]),
            "textual_floor_s": lambda: _first_paint([sys.executable, "-c", BARE_TEXTUAL_APP]),
            "first_paint_s": lambda: _first_paint([WIZARD, "--checkpoint-dir", empty]),
        }
        for measure in measures.values():
            measure()
        samples = {name: [measure() for _ in range(runs)] for name, measure in measures.items()}
    baseline = statistics.median(samples["python_pass_s"])
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<16} {median:6.3f} s  {median / baseline:5.1f}x python -c pass  (median of {runs})")
    floor = statistics.median(samples["textual_floor_s"])
    print(f"first_paint_s / textual_floor_s = {statistics.median(samples['first_paint_s']) / floor:.2f}")


if __name__ == "__main__":
    main()
