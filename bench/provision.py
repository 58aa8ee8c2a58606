"""Provisioning on the critical path: does the runner add to the time users wait on Azure?

Run: .venv/bin/python bench/provision.py [--latency-scale 0.02] [--resume-after-kill]. It runs the full plan (the
demo answers with a scheduler: DSVM, Azure ML chain, smoke call, Data Factory) against an in-process emulator with
the realistic latency profile (Azure's typical minutes per resource type, wizard/emulator/latency.py) times the
latency scale, and prints, from the run's own events and the emulator's request log:
- the wall time of the whole plan, and its critical path (the longest chain of dependent steps, each weighted by
  its own measured duration): `wall/critical_path` near 1.0 means no step waited on anything but its needs;
- the sequential sum of step durations and `parallel/sequential` (how much running in parallel saves);
- ARM requests per step, polls per long-running operation (max and median, and the highest polls per second),
  and the peak RSS.
With --resume-after-kill the run is stopped at a seeded moment (as Ctrl-C or a kill would: the runner stops
waiting, Azure goes on) and resumed; it prints how many finished steps the resume redid (goal 0) and the extra
requests it made. Targets are in README.md's Performance section.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wizard import answers as answer_files  # noqa: E402
from wizard import events  # noqa: E402
from wizard.connect import EmulatorEndpoint  # noqa: E402
from wizard.emulator import Emulator  # noqa: E402
from wizard.resources import asset  # noqa: E402
from wizard.session import open_session  # noqa: E402

MONITOR = re.compile(r"/(operationStatuses|operationResults)/([^/?]+)", re.IGNORECASE)


class Timeline:
    """Start and end of each step as the runner reports them."""

    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self.reused: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, event: events.Event) -> None:
        now = time.monotonic()
        with self.lock:
            if isinstance(event, events.StepStarted):
                self.started[event.key] = now
            elif isinstance(event, events.StepSucceeded | events.StepFailed):
                self.ended[event.key] = now
                if isinstance(event, events.StepSucceeded) and event.reused:
                    self.reused.add(event.key)

    def duration(self, key: str) -> float:
        return self.ended.get(key, 0.0) - self.started.get(key, 0.0)


def critical_path(plan, timeline: Timeline) -> float:
    longest: dict[str, float] = {}
    for step in plan.steps:  # topological order
        before = max((longest[need] for need in step.needs), default=0.0)
        longest[step.key] = before + timeline.duration(step.key)
    return max(longest.values(), default=0.0)


def full_answers(scheduler: str) -> answer_files.Answers:
    """The demo answers with a scheduler, so that every kind of step is in the plan."""
    data = tomllib.loads(asset("demo.toml").read_text(encoding="utf-8"))
    return answer_files.parse({**data, "scheduler": scheduler})


def run(answers, checkpoint: Path, endpoint: EmulatorEndpoint, stop_after: float | None = None):
    timeline = Timeline()
    with open_session(answers, checkpoint_path=checkpoint, emulator=endpoint) as session:
        runner = session.runner(timeline, poll_interval=0.05)
        if stop_after is not None:
            threading.Timer(stop_after, runner.stop).start()
        started = time.monotonic()
        ok = runner.run()
        wall = time.monotonic() - started
        return session.plan, timeline, wall, ok


def requests_per_step(plan, log: list[dict]) -> dict[str, int]:
    """ARM requests whose path names a step's resource (by the names the plan gives them)."""
    names = {step.key: getattr(step, "resource_name", None) for step in plan.steps}
    counts: Counter[str] = Counter()
    for entry in log:
        for key, name_of in names.items():
            if name_of is not None and f"/{name_of(plan.names)}".lower() in entry["path"].lower():
                counts[key] += 1
    return dict(counts)


def polls(log: list[dict]) -> tuple[list[int], float]:
    """Polls per operation, and the highest rate at which any one operation was polled (per second)."""
    times: dict[str, list[float]] = defaultdict(list)
    for entry in log:
        found = MONITOR.search(entry["path"])
        if found:
            times[found.group(2)].append(entry["time"])
    counts = [len(ts) for ts in times.values()]
    rates = [(len(ts) - 1) / (ts[-1] - ts[0]) for ts in times.values() if len(ts) > 2 and ts[-1] > ts[0]]
    return counts, max(rates, default=0.0)


def measure(answers, scale: float, profile: str) -> tuple[float, float, float]:
    """An undisturbed run: prints its figures, returns (wall, wall/critical_path, parallel/sequential)."""
    emulating = {"latency_scale": scale, "latency_profile": profile}
    with tempfile.TemporaryDirectory() as folder, Emulator(Path(folder), **emulating) as emu:
        endpoint = EmulatorEndpoint(**emu.endpoint())
        plan, timeline, wall, ok = run(answers, Path(folder) / "setup.json", endpoint)
        log = [e for e in emu.request_log() if e["path"].lower().startswith("/subscriptions")]
    sequential = sum(timeline.duration(step.key) for step in plan.steps)
    path = critical_path(plan, timeline)
    counts, rate = polls(log)
    outcome = "succeeded" if ok else "did not finish"
    print(f"steps: {len(plan.steps)}; run {outcome} with the {profile} latency profile at scale {scale}")
    print(f"wall: {wall:.2f} s; critical path: {path:.2f} s; sequential sum: {sequential:.2f} s")
    for key, count in sorted(requests_per_step(plan, log).items()):
        print(f"  ARM requests for {key}: {count}")
    if counts:
        print(
            f"polls per operation: max {max(counts)}, median {statistics.median(counts):.0f}; highest rate "
            f"{rate:.2f}/s at this scale = {rate * scale:.2f} per emulated second (goal: at most 1)"
        )
    return wall, wall / path if path else float("nan"), wall / sequential if sequential else float("nan")


def resume_after_stop(answers, scale: float, profile: str, seed: int, wall: float) -> None:
    """Stop a run at a seeded moment of an undisturbed run's wall time (Azure goes on), resume it, and count what
    the resume redid."""
    emulating = {"latency_scale": scale, "latency_profile": profile}
    with tempfile.TemporaryDirectory() as folder, Emulator(Path(folder), **emulating) as emu:
        endpoint = EmulatorEndpoint(**emu.endpoint())
        checkpoint = Path(folder) / "setup.json"
        stop_after = random.Random(seed).uniform(0.2, 0.8) * wall
        _, first, _, _ = run(answers, checkpoint, endpoint, stop_after)
        finished = {key for key in first.ended if key not in first.reused}
        before = len(emu.request_log())
        _, resumed, resumed_wall, ok = run(answers, checkpoint, endpoint)
        redone = sorted(key for key in finished if key in resumed.started and key not in resumed.reused)
        extra = len(emu.request_log()) - before
    print(
        f"stopped after {stop_after:.2f} s with {len(finished)} steps finished; the resume "
        f"{'succeeded' if ok else 'failed'} in {resumed_wall:.2f} s, redid {len(redone)} finished steps "
        f"{redone or ''}with {extra} requests"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-scale", type=float, default=0.02, help="emulated latencies times this")
    parser.add_argument("--latency-profile", choices=("quick", "realistic"), default="realistic")
    parser.add_argument("--scheduler", default="datafactory", help="the scheduler the plan builds")
    parser.add_argument("--resume-after-kill", action="store_true", help="stop at a seeded moment, then resume")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    answers = full_answers(args.scheduler)
    wall, wall_to_path, parallel_to_sequential = measure(answers, args.latency_scale, args.latency_profile)
    if args.resume_after_kill:
        resume_after_stop(answers, args.latency_scale, args.latency_profile, args.seed, wall)
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"wall/critical_path = {wall_to_path:.2f}")
    print(f"parallel/sequential = {parallel_to_sequential:.2f}")


if __name__ == "__main__":
    main()
