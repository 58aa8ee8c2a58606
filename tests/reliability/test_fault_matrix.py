"""The fault matrix in CI: every step of the plan, each under a seeded rotation of the fault kinds so that every
kind is met too (one test per step). bench/faults.py runs every step x every kind."""

from __future__ import annotations

import os

import pytest

from tests.reliability.faults import SCHEDULERS, answers_for, run_cells, seeded_subset, steps
from wizard import plan as planning
from wizard.answers import Scheduler
from wizard.emulator.faults import KINDS

SEED = int(os.environ.get("FAULT_SEED", "13"))
PER_STEP = int(os.environ.get("FAULT_KINDS_PER_STEP", "1"))
# Cells that found defects, run whatever the seed: a failed operation whose Location monitor answers 500 was
# re-attached to (and failed) on every resume; a 401 on a long-running PUT's first call was never renewed; a late
# answer to an Azure ML call was waited for in silence; a late answer to a run-now POST made the resume start a
# second run (and a second scoring job); a reset on the scoring URI showed a raw ConnectionError; a Log Analytics
# workspace ending Failed showed the code "OK"; the sample upload's raw calls were never retried; an Azure ML
# schedule whose operation never ends hung the wizard past the step's deadline; the function app's code publish
# showed a raw ConnectionError on a reset and an ARM error (a quota refusal) with no advice.
REGRESSIONS = [
    (Scheduler.AML_SCHEDULE, "storage-account", "operation_failed"),
    (Scheduler.AML_SCHEDULE, "storage-account", "token_expired"),
    (Scheduler.AML_SCHEDULE, "cpu-cluster", "slower_than_timeout"),
    (Scheduler.DATA_FACTORY, "datafactory-verify", "slower_than_timeout"),
    (Scheduler.LOGIC_APPS, "logicapps-verify", "slower_than_timeout"),
    (Scheduler.AML_SCHEDULE, "smoke-call", "connection_reset"),
    (Scheduler.AML_SCHEDULE, "smoke-call", "slower_than_timeout"),
    (Scheduler.AML_SCHEDULE, "log-analytics", "operation_failed"),
    (Scheduler.AML_SCHEDULE, "scoring-pipeline", "throttled"),
    (Scheduler.AML_SCHEDULE, "amlschedule", "operation_never_ends"),
    (Scheduler.FUNCTIONS, "functions-deploy", "connection_reset"),
    (Scheduler.FUNCTIONS, "functions-deploy", "quota_exceeded"),
]


def _by_step() -> list[tuple[Scheduler, str, list[str]]]:
    grouped: dict[tuple[Scheduler, str], list[str]] = {}
    for scheduler, key, kind in seeded_subset(SEED, PER_STEP) + REGRESSIONS:
        grouped.setdefault((scheduler, key), []).append(kind)
    return [(scheduler, key, kinds) for (scheduler, key), kinds in grouped.items()]


def test_the_matrix_takes_its_steps_from_the_plan_and_covers_every_kind() -> None:
    planned = {key for scheduler in SCHEDULERS for key in planning.build(answers_for(scheduler)).keys}
    assert {key for _, key in steps()} == planned
    cells = seeded_subset(SEED, PER_STEP)
    assert {key for _, key, _ in cells} == planned
    assert {kind for _, _, kind in cells} == set(KINDS)


def _id(value: object) -> str:
    return "+".join(value) if isinstance(value, list) else str(value)


@pytest.mark.timeout(300)
@pytest.mark.parametrize(("scheduler", "key", "kinds"), _by_step(), ids=_id)
def test_the_step_survives_or_fails_clearly_and_resumes_under_its_faults(tmp_path, scheduler, key, kinds) -> None:
    results = run_cells(tmp_path, [(scheduler, key, kind) for kind in kinds])
    broken = [f"{c.step} x {c.kind}: {c}" for c in results if not c.holds]
    assert not broken, "\n".join(broken)
