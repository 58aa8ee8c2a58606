"""The run-now check waits out role propagation: a 403 is called again a few times, then fails with its own
explained error; the scheduler here is a scripted one, the steps' own interface to Data Factory and Logic Apps."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.answers import parse
from wizard.azure.clouds import KNOWN
from wizard.azure.errors import StepError
from wizard.names import names_for
from wizard.schedule.control import RunRecord
from wizard.steps.base import StepContext
from wizard.steps.schedulers import verification

FORBIDDEN = RunRecord("r", "Failed", "", http_status=403, error="Response status code: '403'")
STARTED_JOB = RunRecord("r", "Succeeded", "", job="batchjob-1", http_status=200)


class ScriptedScheduler:
    def __init__(self, *answers: RunRecord):
        self.answers, self.started = list(answers), 0

    def run_now(self) -> str:
        self.started += 1
        return f"run-{self.started}"

    def run(self, run_id: str) -> RunRecord:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _context(tmp_path: Path) -> StepContext:
    answers = parse({"subscription_id": "5d2e8f40-1a3b-4c6d-8e9f-0a1b2c3d4e5f", "region": "eastus",
                     "resource_group": "rg-x", "prefix": "tst"})  # fmt: skip
    return StepContext(answers, names_for(answers), KNOWN["AzureCloud"], None, tmp_path, poll_interval=0.001)  # type: ignore[arg-type]


def test_a_403_from_a_new_grant_is_called_again_until_the_job_starts(tmp_path):
    scheduler = ScriptedScheduler(FORBIDDEN, FORBIDDEN, STARTED_JOB)
    record = verification.verified_run(_context(tmp_path), scheduler, "pipeline p").result(timeout=10)
    assert record.job == "batchjob-1" and scheduler.started == 3


def test_a_403_that_persists_fails_with_the_role_explained(tmp_path):
    scheduler = ScriptedScheduler(FORBIDDEN)
    with pytest.raises(StepError) as failed:
        verification.verified_run(_context(tmp_path), scheduler, "pipeline p").result(timeout=10)
    assert scheduler.started == verification.ATTEMPTS
    assert failed.value.info.code == "ScheduledCallForbidden" and "AzureML Data Scientist" in failed.value.info.todo


def test_a_resumed_verification_follows_the_run_it_started_instead_of_starting_another(tmp_path):
    first = verification.verified_run(_context(tmp_path), ScriptedScheduler(STARTED_JOB), "pipeline p")
    token = first.continuation_token()
    assert token
    scheduler = ScriptedScheduler(STARTED_JOB)
    record = verification.verified_run(_context(tmp_path), scheduler, "pipeline p", token).result(timeout=10)
    assert record.job == "batchjob-1" and scheduler.started == 0
