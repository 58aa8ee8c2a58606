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
from collections.abc import Callable
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


def _args(checkpoint: Path, emulator: StandaloneEmulator, answers: Path = DEMO_ANSWERS) -> list[str]:
    return [
        WIZARD,
        "run",
        "--answers",
        str(answers),
        "--checkpoint",
        str(checkpoint),
        "--emulator",
        str(emulator.state_dir),
    ]


GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def created(emulator: StandaloneEmulator) -> Counter[str]:
    """PUTs per resource id that answered 201 Created: more than one for any id is a duplicate."""
    return Counter(r["path"].lower() for r in emulator.arm_requests() if r["method"] == "PUT" and r["status"] == 201)


# Calls that start work Azure does not dedupe: a scoring job (the endpoint's invoke) or a scheduler's run now.
STARTS = re.compile(r"(/mlendpoints/.*/jobs|/pipelines/[^/]+/createRun|/triggers/[^/]+/run)$", re.IGNORECASE)


def started(emulator: StandaloneEmulator) -> int:
    """Scoring jobs and scheduler runs started: a resume that starts one again makes a second job."""
    return sum(r["method"] == "POST" and bool(STARTS.search(r["path"])) for r in emulator.requests_log())


def _named(paths) -> set[str]:
    """Resource paths with generated GUIDs folded: azure-ai-ml names anonymous code and component versions by a
    fresh GUID on every run, so two runs' end states are equal when they hold the same resources by kind."""
    return {GUID.sub("{guid}", path) for path in paths}


def undisturbed(workdir: Path, answers: Path = DEMO_ANSWERS) -> tuple[float, set[str], int]:
    """How long a whole run takes, the resources it creates and the jobs and runs it starts: the moments and the
    end state to compare to."""
    emulator = start_emulator(workdir / f"baseline-emulator-{answers.stem}", LATENCY_SCALE)
    try:
        began = time.monotonic()
        done = subprocess.run(
            _args(workdir / f"baseline-{answers.stem}.json", emulator, answers),
            capture_output=True,
            text=True,
            env=_env(),
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return time.monotonic() - began, set(created(emulator)), started(emulator)
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def moments(seed: int, count: int, duration: float) -> list[float]:
    """`count` moments spread evenly over the run, each jittered within its slice by `seed`."""
    rng = random.Random(seed)
    return [duration * (i + rng.random()) / count for i in range(count)]


@dataclass(frozen=True)
class _Resumed:
    """What a killed run left and what its resume did."""

    checkpoint_valid: bool
    steps_done: int
    resumed: bool
    counts: Counter[str]
    started: int
    output: str


def _kill_then_resume(
    workdir: Path, name: str, answers: Path, wait: Callable[[subprocess.Popen, Path], None]
) -> _Resumed:
    """Start a headless run, SIGKILL it once `wait` returns, check its checkpoint, resume it to the end."""
    emulator = start_emulator(workdir / f"emulator-{name}", LATENCY_SCALE)
    checkpoint = workdir / f"setup-{name}.json"
    try:
        first = subprocess.Popen(
            _args(checkpoint, emulator, answers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env()
        )
        wait(first, checkpoint)
        first.send_signal(signal.SIGKILL)
        first.wait()
        try:
            document = checkpoints.read(checkpoint)
            valid = True
            done = sum(step.status == "succeeded" for step in document.steps.values())
        except checkpoints.CheckpointError:
            valid, done = not checkpoint.exists(), 0  # killed before the first write: nothing to resume
        second = subprocess.run(
            _args(checkpoint, emulator, answers), capture_output=True, text=True, env=_env(), timeout=300
        )
        output = second.stdout + second.stderr
        return _Resumed(valid, done, second.returncode == 0, created(emulator), started(emulator), output)
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def kill_then_resume(workdir: Path, at: float, baseline: set[str]) -> KillResult:
    result = _kill_then_resume(workdir, f"{at:.3f}", DEMO_ANSWERS, lambda _first, _checkpoint: time.sleep(at))
    return KillResult(
        at=at,
        steps_done=result.steps_done,
        checkpoint_valid=result.checkpoint_valid,
        resumed=result.resumed,
        end_state_equal=_named(result.counts) == _named(baseline),
        duplicates=sorted(path for path, n in result.counts.items() if n > 1),
        output=result.output,
    )


def sweep(seed: int, count: int) -> list[KillResult]:
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        duration, baseline, _ = undisturbed(workdir)
        return [kill_then_resume(workdir, at, baseline) for at in moments(seed, count, duration)]


@dataclass(frozen=True)
class KillDuring:
    step: str
    killed_in_flight: bool  # the kill came while the step's job or run was going on
    checkpoint_valid: bool
    resumed: bool
    end_state_equal: bool
    duplicates: list[str]
    started: int  # jobs and runs started over both runs
    started_undisturbed: int
    output: str


def _in_flight(checkpoint: Path, key: str) -> bool:
    try:
        record = checkpoints.read(checkpoint).steps.get(key)
    except checkpoints.CheckpointError:
        return False
    return record is not None and record.status == "running" and bool(record.continuation_token)


def kill_during(workdir: Path, key: str, answers: Path = DEMO_ANSWERS) -> KillDuring:
    """SIGKILL the run while `key`'s job or run goes on (its token is in the checkpoint), then resume: the resume
    follows that job or run, so nothing is started twice."""
    _, baseline, baseline_started = undisturbed(workdir, answers)
    in_flight = []

    def until_in_flight(first: subprocess.Popen, checkpoint: Path) -> None:
        deadline = time.monotonic() + 300
        while first.poll() is None and not _in_flight(checkpoint, key) and time.monotonic() < deadline:
            time.sleep(0.02)
        in_flight.append(first.poll() is None and _in_flight(checkpoint, key))

    result = _kill_then_resume(workdir, f"during-{key}", answers, until_in_flight)
    return KillDuring(
        step=key,
        killed_in_flight=in_flight[0],
        checkpoint_valid=result.checkpoint_valid,
        resumed=result.resumed,
        end_state_equal=_named(result.counts) == _named(baseline),
        duplicates=sorted(path for path, n in result.counts.items() if n > 1),
        started=result.started,
        started_undisturbed=baseline_started,
        output=result.output,
    )
