"""One run now, followed to its end, as the proof that the scheduler can call the endpoint as its identity.

A role assignment made a moment ago may not have reached the endpoint yet (Azure takes up to a few minutes), so a
403 is retried a few times after a wait; one that persists fails the step with its own error code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from wizard.azure.errors import StepError
from wizard.schedule.control import RunRecord, SchedulerControl
from wizard.steps.base import Outputs, StepContext, Waiting

ATTEMPTS = 6
RETRY_POLLS = 15  # wait this many poll intervals before calling again: 30 s against Azure


@dataclass
class _Attempts:
    run_id: str | None
    made: int = 1
    retry_at: float = 0.0


def verified_run(
    ctx: StepContext, control: SchedulerControl, what: str, continuation_token: str | None = None
) -> Waiting:
    """Waits for a run that started a scoring job; its result is that run's RunRecord.

    The run's id is the continuation token: a wizard stopped (or killed) while the run goes on follows that same
    run on resume instead of starting a second run, and a second scoring job."""
    if continuation_token:
        ctx.log(f"following run {continuation_token} of {what}, started by an earlier run")
        attempts = _Attempts(continuation_token)
    else:
        ctx.progress(f"run {what} now")
        attempts = _Attempts(control.run_now())

    def check() -> RunRecord | None:
        if attempts.run_id is None:
            if time.monotonic() < attempts.retry_at:
                return None
            attempts.run_id, attempts.made = control.run_now(), attempts.made + 1
            return None
        record = control.run(attempts.run_id)
        ctx.progress(f"run {record.run_id}: {record.status}")
        if not record.finished:
            return None
        if record.status == "Succeeded" and record.job:
            return record
        if record.forbidden and attempts.made < ATTEMPTS:
            ctx.log(f"{what} got 403 from the endpoint; the new role assignment may not apply yet, retrying")
            attempts.run_id, attempts.retry_at = None, time.monotonic() + RETRY_POLLS * ctx.poll_interval
            return None
        code = "ScheduledCallForbidden" if record.forbidden else "ScheduledCallFailed"
        raise StepError(code, f"the run of {what} did not start a scoring job: {record.error or record.status}")

    return Waiting(check, interval=ctx.poll_interval, token=attempts.run_id or "")


def run_outputs(record: RunRecord, *, portal: str, trigger: str, headline: str, pause_natively: str) -> Outputs:
    """What every verify step tells: the job the proof run started, and how to pause, resume and watch."""
    return {
        "job_name": record.job,
        "run_id": record.run_id,
        "portal": portal,
        "trigger": trigger,
        "instructions": [
            f"{headline}: {portal}",
            "  Pause it:  scoring-wizard schedule pause   (resume: scoring-wizard schedule resume)",
            f"  or: {pause_natively}",
            "  Next fire times and last runs: scoring-wizard schedule status",
        ],
        "summary": f"run {record.run_id} started scoring job {record.job}",
    }
