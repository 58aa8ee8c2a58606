"""The fault matrix: every step of the plan x every fault kind of the emulator, in process at 1% latency.

Shared by the CI test (a seeded subset covering every step and every kind) and bench/faults.py (all cells).
The steps come from `wizard.plan.build` over the demo answers with each scheduler, so a new step joins the matrix
by being in the plan. One emulator per step: the step's needs run once and are snapshotted; each cell restores
that snapshot, injects one fault on the step's own first write, runs the step (its needs are found, not redone),
then lifts the fault and resumes. A cell holds when a transient fault is absorbed (and told as a retry) or a
permanent one fails the step with the error table's advice and a readable checkpoint, and the resume completes;
and when nothing was created twice and the step created what an undisturbed run creates.
"""

from __future__ import annotations

import logging
import random
import re
import shutil
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wizard import checkpoint as checkpoints
from wizard import events
from wizard import plan as planning
from wizard.answers import Answers, Scheduler, parse
from wizard.connect import EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator, blobs
from wizard.emulator.faults import KINDS, FaultKind
from wizard.emulator.store import Row
from wizard.resources import asset
from wizard.runner import Runner
from wizard.session import open_session

LATENCY_SCALE = 0.01
SCHEDULERS = (Scheduler.AML_SCHEDULE, Scheduler.DATA_FACTORY, Scheduler.LOGIC_APPS, Scheduler.FUNCTIONS)
READ_TIMEOUT = 1.0  # below the slower_than_timeout kind's delay
NEVER_ENDS_DEADLINE = 3.0  # the step's wait for an operation that never ends, in a test
WRITES = ("PUT", "POST", "PATCH", "DELETE")
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
ROLE_ASSIGNMENTS = "microsoft.authorization/roleassignments"
SECRET_MARKERS = ("PRIVATE KEY-----", "Bearer ey", DEMO.client_secret)
TRACEBACK = "Traceback (most recent call last)"


def answers_for(scheduler: Scheduler) -> Answers:
    document = tomllib.loads(asset("demo.toml").read_text(encoding="utf-8"))
    return parse({**document, "scheduler": scheduler.value})


def steps() -> list[tuple[Scheduler, str]]:
    """Every step of the plan over the demo answers, under the first scheduler whose plan holds it."""
    seen: dict[str, Scheduler] = {}
    for scheduler in SCHEDULERS:
        for key in planning.build(answers_for(scheduler)).keys:
            seen.setdefault(key, scheduler)
    return [(scheduler, key) for key, scheduler in seen.items()]


def seeded_subset(seed: int, per_step: int) -> list[tuple[Scheduler, str, str]]:
    """`per_step` kinds for every step, rotating through the kinds from a seeded start so that every kind is
    covered too (as long as steps x per_step ≥ kinds)."""
    kinds = list(KINDS)
    offset = random.Random(seed).randrange(len(kinds))
    return [
        (scheduler, key, kinds[(offset + index * per_step + n) % len(kinds)])
        for index, (scheduler, key) in enumerate(steps())
        for n in range(per_step)
    ]


@dataclass
class Cell:
    step: str
    kind: str
    applicable: bool = True  # False: the step makes no call the fault can hit (no long-running write)
    survived: bool = False
    failed_clearly: bool = False
    resumed: bool = False
    duplicates: list[str] = field(default_factory=list)
    end_state_equal: bool = False
    leaked: int = 0
    tracebacks: int = 0
    detail: str = ""

    @property
    def holds(self) -> bool:
        return not self.applicable or (
            (self.survived or (self.failed_clearly and self.resumed))
            and not self.duplicates
            and self.end_state_equal
            and not self.leaked
            and not self.tracebacks
        )


# Logic Apps run names: a long number from the clock, then a suffix (08584...CU79).
CLOCK_NAME = re.compile(r"\b\d{16,}[a-z]{2}\d{2}\b", re.IGNORECASE)
# Azure ML job names are made when the job starts (batchjob-<guid>, <schedule>-<random hex> for a schedule's).
JOB_NAME = re.compile(r"(?<=/jobs/)[^/]+", re.IGNORECASE)


def _folded(rows: list[Row]) -> Counter[str]:
    """Created resources by id with generated names folded (azure-ai-ml names code versions by a fresh GUID, jobs
    and runs are named at start), so that two runs' end states compare by what they hold, and how many of each."""
    return Counter(JOB_NAME.sub("{job}", CLOCK_NAME.sub("{run}", GUID.sub("{guid}", row.key))) for row in rows)


def duplicates(rows: list[Row]) -> list[str]:
    """Ids created more than once, and grants made more than once for one principal, role and scope."""
    twice = [key for key, n in Counter(row.key for row in rows).items() if n > 1]
    grants = Counter(
        (
            row.body.get("properties", {}).get("principalId"),
            str(row.body.get("properties", {}).get("roleDefinitionId", "")).lower(),
            row.parent,
        )
        for row in rows
        if row.type.lower() == ROLE_ASSIGNMENTS
    )
    return twice + [f"grant {grant}" for grant, n in grants.items() if n > 1]


class StepRow:
    """One step's emulator, with the state just before the step and what an undisturbed run of it does."""

    def __init__(self, workdir: Path, scheduler: Scheduler, key: str) -> None:
        self.workdir = workdir
        self.key = key
        self.answers = answers_for(scheduler)
        full = planning.build(self.answers)
        wanted = _with_needs(full, key)
        self.plan = planning.Plan(self.answers, full.names, tuple(s for s in full.steps if s.key in wanted))
        self.before = planning.Plan(self.answers, full.names, tuple(s for s in self.plan.steps if s.key != key))
        self.emulator = Emulator(workdir / "emulator", latency_scale=LATENCY_SCALE).start()
        self.endpoint = EmulatorEndpoint(**self.emulator.endpoint())
        self.start = workdir / "start.json"
        ok, seen, _ = self._run(self.before, self.start)
        assert ok, f"the steps before {key} failed undisturbed: {_failures(seen)}"
        self.emulator.snapshot(workdir / "start.sqlite")
        resumed_reads = self._calls(self.before, self._copy_start("resumed"))
        undisturbed = self._copy_start("undisturbed")
        earlier = len(self.emulator.request_log())
        ok, seen, _ = self._run(self.plan, undisturbed)
        assert ok, f"{key} failed undisturbed: {_failures(seen)}"
        self.baseline = _folded(self.emulator.created())
        own = [
            e for e in self.emulator.request_log()[earlier:] if (e["method"], e["path"].lower()) not in resumed_reads
        ]
        self.target = self._first_write(own)

    def close(self) -> None:
        self.emulator.stop()

    def _calls(self, plan: planning.Plan, path: Path) -> set[tuple[str, str]]:
        """The calls a resume of a finished plan makes (each finished step's check that its work is still there,
        which may be a POST such as a listing of app settings): they are not the next step's own."""
        earlier = len(self.emulator.request_log())
        ok, seen, _ = self._run(plan, path)
        assert ok, f"the resume of the steps before {self.key} failed: {_failures(seen)}"
        return {(e["method"], e["path"].lower()) for e in self.emulator.request_log()[earlier:]}

    @staticmethod
    def _first_write(log: list[dict]) -> tuple[str, str] | None:
        """The step's first creating write (a PUT), else its first write, as a method and a path pattern (GUIDs
        generalised, any case). Signing in is not the step's own call, and neither is a blob upload: a storage
        data-plane call, to a container azure-ai-ml names afresh each time, which ARM's faults do not reach."""
        writes = [
            e
            for e in log
            if e["method"] in WRITES and "/oauth2/" not in e["path"] and not e["path"].startswith(blobs.PREFIX)
        ]
        chosen = next((e for e in writes if e["method"] == "PUT"), writes[0] if writes else None)
        if chosen is None:
            return None
        pattern = GUID.pattern.join(re.escape(part) for part in GUID.split(chosen["path"]))
        return chosen["method"], f"(?i)^{pattern}$"

    def _copy_start(self, name: str) -> Path:
        self.emulator.restore(self.workdir / "start.sqlite")
        path = self.workdir / f"{name}.json"
        shutil.copyfile(self.start, path)
        files = checkpoints.files_dir_for(self.start)
        if files.exists():
            shutil.copytree(files, checkpoints.files_dir_for(path), dirs_exist_ok=True)
        return path

    def _run(
        self, plan: planning.Plan, path: Path, step_timeout: float | None = None
    ) -> tuple[bool, list[events.Event], int]:
        """A run as a new process makes it (a new connection, the checkpoint opened afresh); tracebacks escaping."""
        seen: list[events.Event] = []
        connection = emulator_connection(self.endpoint, self.answers.subscription_id, read_timeout=READ_TIMEOUT)
        try:
            with open_session(self.answers, checkpoint_path=path, connection=connection) as session:
                runner = Runner(
                    plan, session.checkpoint, connection, seen.append, poll_interval=0.02, step_timeout=step_timeout
                )
                return runner.run(), seen, 0
        except Exception as error:  # a run must never raise: count it as a traceback a user would see
            return False, [*seen, events.StepLog(self.key, f"{TRACEBACK}: {error!r}")], 1
        finally:
            _detach_log(path.with_suffix(".log"))

    def cell(self, name: str) -> Cell:
        kind = KINDS[name]
        cell = Cell(self.key, name)
        if self.target is None:
            cell.applicable, cell.detail = False, "the step makes no write"
            return cell
        path = self._copy_start(f"cell-{name}")
        method, pattern = self.target
        fault = self.emulator.inject_fault(method, pattern, times=1 if kind.transient else None, kind=name)
        deadline = NEVER_ENDS_DEADLINE if kind.effect == "never_end" else None
        ok, seen, raised = self._run(self.plan, path, step_timeout=deadline)
        fired = self.emulator.fault_fired(fault)
        self.emulator.clear_faults()
        if not fired:
            cell.applicable, cell.detail = False, f"no call of the step met the fault ({method} is not long-running)"
            return cell
        resumed, later, raised_again = (True, [], 0) if ok else self._run(self.plan, path)
        cell.tracebacks = raised + raised_again + _tracebacks(seen + later)
        cell.leaked = _leaks(path, seen + later)
        cell.duplicates = duplicates(self.emulator.created())
        cell.end_state_equal = _folded(self.emulator.created()) == self.baseline
        cell.resumed = resumed
        if kind.transient and ok:
            cell.survived = _told_a_retry(seen, self.key)
            cell.detail = "" if cell.survived else "absorbed without a word in the pane"
        else:
            cell.failed_clearly = not ok and _failed_with_advice(seen, self.key, kind) and _readable(path)
            cell.detail = _failures(seen) if cell.failed_clearly and resumed else _failures(seen + later) or "?"
        return cell


def _with_needs(plan: planning.Plan, key: str) -> set[str]:
    wanted, todo = set(), [key]
    while todo:
        current = todo.pop()
        if current not in wanted:
            wanted.add(current)
            todo.extend(plan.step(current).needs)
    return wanted


def _detach_log(path: Path) -> None:
    """open_session logs to a file beside the checkpoint for the life of the process: end that for this cell."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path.absolute():
            root.removeHandler(handler)
            handler.close()


def _failures(seen: list[events.Event]) -> str:
    return "; ".join(str(e) for e in seen if isinstance(e, events.StepFailed) or TRACEBACK in str(e))


def _told_a_retry(seen: list[events.Event], key: str) -> bool:
    return any(isinstance(e, events.StepProgress) and e.key == key and "retrying" in e.message for e in seen)


def _failed_with_advice(seen: list[events.Event], key: str, kind: FaultKind) -> bool:
    """The step failed with a hint from the error table saying what to do; for a permanent fault, with the fault's
    own code (or the deadline, for an operation that never ends). A transient fault may fail a call azure-core
    does not retry (a POST whose answer was lost may have been done): then any clear message will do."""
    code = kind.code or "DeadlineExceeded"
    failed = [e for e in seen if isinstance(e, events.StepFailed) and e.key == key]
    return any((kind.transient or e.error.code == code) and e.error.todo for e in failed)


def _readable(path: Path) -> bool:
    try:
        checkpoints.read(path)
    except checkpoints.CheckpointError:
        return False
    return True


def _texts(path: Path, seen: list[events.Event]) -> list[str]:
    files = [path, path.with_suffix(".log")]
    return [f.read_text(encoding="utf-8", errors="replace") for f in files if f.exists()] + [str(e) for e in seen]


def _tracebacks(seen: list[events.Event]) -> int:
    """Tracebacks in what the user sees (the pane and the printer show events); the run log may keep them."""
    return sum(str(event).count(TRACEBACK) for event in seen)


def _leaks(path: Path, seen: list[events.Event]) -> int:
    return sum(text.count(marker) for text in _texts(path, seen) for marker in SECRET_MARKERS)


def run_cells(
    workdir: Path, cells: list[tuple[Scheduler, str, str]], on_cell: Callable[[Cell], None] = lambda _: None
) -> list[Cell]:
    """Run the given (scheduler, step, kind) cells, one emulator per step; `on_cell` hears of each as it ends."""
    results: list[Cell] = []
    by_step: dict[tuple[Scheduler, str], list[str]] = {}
    for scheduler, key, kind in cells:
        by_step.setdefault((scheduler, key), []).append(kind)
    for (scheduler, key), kinds in by_step.items():
        folder = workdir / key
        folder.mkdir(parents=True)
        row = StepRow(folder, scheduler, key)
        try:
            for kind in kinds:
                results.append(row.cell(kind))
                on_cell(results[-1])
        finally:
            row.close()
    return results


def full_matrix() -> list[tuple[Scheduler, str, str]]:
    return [(scheduler, key, kind) for scheduler, key in steps() for kind in KINDS]
