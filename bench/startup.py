"""Prints how fast scoring-wizard starts: `help_s` (wall time of `scoring-wizard --help`) and `first_paint_s`
(process start to the TUI's first painted screen), as medians of several runs, in seconds and as a ratio to
`python -c pass` on the same machine.

Run: .venv/bin/python bench/startup.py [runs]. Targets (issue 8): help_s under 0.3 s, first_paint_s under 0.8 s.
The TUI runs in a pseudo-terminal with SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT=1, so it exits right after painting
its first screen, against an empty checkpoint folder (the welcome screen).
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


def _wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def _first_paint(checkpoint_dir: str) -> float:
    """Run the TUI on a pty (Textual needs a terminal) until it exits after its first paint."""
    env = {**os.environ, "SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT": "1", "TERM": "xterm-256color", "COLUMNS": "80"}
    env.pop("SCORING_WIZARD_EMULATOR", None)
    controller, terminal = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(
        [WIZARD, "--checkpoint-dir", checkpoint_dir], stdin=terminal, stdout=terminal, stderr=terminal, env=env
    )
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
        samples = {
            "python_pass_s": [_wall([sys.executable, "-c", "pass"]) for _ in range(runs)],
            "help_s": [_wall([WIZARD, "--help"]) for _ in range(runs)],
            "first_paint_s": [_first_paint(empty) for _ in range(runs)],
        }
    baseline = statistics.median(samples["python_pass_s"])
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<14} {median:6.3f} s  {median / baseline:5.1f}x python -c pass  (median of {runs})")


if __name__ == "__main__":
    main()
