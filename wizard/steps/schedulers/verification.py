"""One run now, followed to its end, as the proof that the scheduler can call the endpoint as its identity.

Run now is not repeatable (a lost answer may have started a run): it is made through `intents.once`, so a resume
after a lost answer follows the run that call started instead of starting a second one.

A role assignment made a moment ago may not have reached the endpoint yet (Azure takes up to a few minutes), so a
403 is retried a few times after a wait; one that persists fails the step with its own error code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from wizard.azure.errors import StepError
from wizard.schedule.control import RunRecord, SchedulerControl
from wizard.steps import intents
from wizard.steps.base import Outputs, StepContext, Waiting

ATTEMPTS = 6
RECENT = 10  # runs read to find the one a lost run-now answer started
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
        attempts = _Attempts(_run_now(ctx, control, what))

    def check() -> RunRecord | None:
        if attempts.run_id is None:
            if time.monotonic() < attempts.retry_at:
                return None
            attempts.run_id, attempts.made = _run_now(ctx, control, what), attempts.made + 1
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


def _run_now(ctx: StepContext, control: SchedulerControl, what: str) -> str:
    def started_since(since: datetime) -> str | None:
        runs = [(intents.moment(run.started), run.run_id) for run in control.runs(RECENT)]
        begun = [(at, run_id) for at, run_id in runs if at is not None and at >= since]
        return min(begun)[1] if begun else None

    run_id, earlier = intents.once(ctx, "scheduler-run-now", started_since, control.run_now)
    if earlier:
        ctx.log(f"following run {run_id} of {what}: an earlier run started it, but its answer was lost")
    return run_id


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
