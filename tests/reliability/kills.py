"""SIGKILL a headless run at seeded moments spread over the plan, then resume: shared by the CI test (a few
kills) and bench/kills.py (the full sweep with a table)."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.cli.conftest import DEMO_ANSWERS, WIZARD, StandaloneEmulator, start_emulator
from wizard import checkpoint as checkpoints

LATENCY_SCALE = 0.1


def _env() -> dict[str, str]:
    """Read when a run starts, not at import: a test's own state folder (where setup locks live) is set by then."""
    return {**os.environ, "SCORING_WIZARD_EMULATOR": ""}


@dataclass(frozen=True)
class KillResult:
    at: float
    steps_done: int
    checkpoint_valid: bool
    resumed: bool
    end_state_equal: bool
    duplicates: list[str]
    output: str


def _args(checkpoint: Path, emulator: StandaloneEmulator) -> list[str]:
    return [
        WIZARD,
        "run",
        "--answers",
        str(DEMO_ANSWERS),
        "--checkpoint",
        str(checkpoint),
        "--emulator",
        str(emulator.state_dir),
    ]


GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def created(emulator: StandaloneEmulator) -> Counter[str]:
    """PUTs per resource id that answered 201 Created: more than one for any id is a duplicate."""
    return Counter(r["path"].lower() for r in emulator.arm_requests() if r["method"] == "PUT" and r["status"] == 201)


def _named(paths) -> set[str]:
    """Resource paths with generated GUIDs folded: azure-ai-ml names anonymous code and component versions by a
    fresh GUID on every run, so two runs' end states are equal when they hold the same resources by kind."""
    return {GUID.sub("{guid}", path) for path in paths}


def undisturbed(workdir: Path) -> tuple[float, set[str]]:
    """How long a whole run takes, and the resources it creates: the moments and the end state to compare to."""
    emulator = start_emulator(workdir / "baseline-emulator", LATENCY_SCALE)
    try:
        began = time.monotonic()
        done = subprocess.run(
            _args(workdir / "baseline.json", emulator), capture_output=True, text=True, env=_env(), timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return time.monotonic() - began, set(created(emulator))
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def moments(seed: int, count: int, duration: float) -> list[float]:
    """`count` moments spread evenly over the run, each jittered within its slice by `seed`."""
    rng = random.Random(seed)
    return [duration * (i + rng.random()) / count for i in range(count)]


def kill_then_resume(workdir: Path, at: float, baseline: set[str]) -> KillResult:
    emulator = start_emulator(workdir / f"emulator-{at:.3f}", LATENCY_SCALE)
    checkpoint = workdir / f"setup-{at:.3f}.json"
    try:
        first = subprocess.Popen(
            _args(checkpoint, emulator), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
        )
        time.sleep(at)
        first.send_signal(signal.SIGKILL)
        first.wait()
        try:
            document = checkpoints.read(checkpoint)
            valid = True
            done = sum(step.status == "succeeded" for step in document.steps.values())
        except checkpoints.CheckpointError:
            valid, done = not checkpoint.exists(), 0  # killed before the first write: nothing to resume
        second = subprocess.run(_args(checkpoint, emulator), capture_output=True, text=True, env=_env(), timeout=300)
        counts = created(emulator)
        return KillResult(
            at=at,
            steps_done=done,
            checkpoint_valid=valid,
            resumed=second.returncode == 0,
            end_state_equal=_named(counts) == _named(baseline),
            duplicates=sorted(path for path, n in counts.items() if n > 1),
            output=second.stdout + second.stderr,
        )
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def sweep(seed: int, count: int) -> list[KillResult]:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        duration, baseline = undisturbed(workdir)
        return [kill_then_resume(workdir, at, baseline) for at in moments(seed, count, duration)]
