"""Runs a plan's steps: in parallel where dependencies allow, checkpointing every change, emitting events.

The runner owns everything a step should not have to think about: skipping work already done (after a cheap
existence check), re-attaching to operations that were in flight when the last run died, rerunning failed
steps, deadlines, and stopping cleanly. Azure keeps running what it has accepted; the checkpoint keeps the
continuation token, so stopping never loses work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from enum import Enum

from wizard import events
from wizard.azure import retries
from wizard.azure.errors import StepError, explain
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.connect import Connection
from wizard.plan import Plan
from wizard.steps.base import Operation, Step, StepContext

log = logging.getLogger("scoring_wizard.runner")

EventSink = Callable[[events.Event], None]
# After a stop, how long steps get to notice it and say so before the run returns without them.
STOP_GRACE_SECONDS = 2.0


class Outcome(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STOPPED = "stopped"


def _now() -> datetime:
    return datetime.now(UTC)


# The codes of a server or gateway failing to answer, as opposed to an operation's own error (ProvisioningFailed,
# AllocationFailed...) that a failed operation's Location monitor may also answer with a 5xx status.
_NO_ANSWER_CODES = frozenset({"", "internalservererror", "serviceunavailable", "gatewaytimeout", "badgateway"})


def _lost_sight_of(error: Exception) -> bool:
    """Whether polling an accepted operation failed (network, throttling, server errors) rather than the
    operation itself: then the operation may well go on, and a resume should re-attach to it."""
    from azure.core.exceptions import HttpResponseError, ServiceRequestError, ServiceResponseError

    if isinstance(error, ServiceRequestError | ServiceResponseError):
        return True
    if not isinstance(error, HttpResponseError) or error.status_code is None:
        return False
    code = (getattr(error.error, "code", None) or "").lower()
    return error.status_code in (408, 429) or (error.status_code >= 500 and code in _NO_ANSWER_CODES)


class Runner:
    """Drives one plan against one checkpoint. `run` may be called again after a failure (a retry)."""

    def __init__(
        self,
        plan: Plan,
        checkpoint: Checkpoint,
        connection: Connection,
        on_event: EventSink,
        *,
        max_parallel: int = 16,
        poll_interval: float = 2.0,
        step_timeout: float | None = None,
        heartbeat: float = 60.0,
    ):
        self.plan = plan
        self.checkpoint = checkpoint
        self.connection = connection
        self._consumer = on_event
        self.max_parallel = max_parallel
        self.poll_interval = poll_interval
        self.step_timeout = step_timeout  # None: each step's own deadline
        self.heartbeat = heartbeat
        self._stop = threading.Event()
        self._stopped_at = 0.0

    def stop(self) -> None:
        """Stop starting steps and stop waiting; operations Azure already accepted keep running there."""
        if not self._stop.is_set():
            self._stopped_at = time.monotonic()
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def skip(self, key: str) -> None:
        """Skip an optional step (e.g. after it failed), so the steps after it can go on."""
        step = self.plan.step(key)
        if not step.optional:
            raise ValueError(f"step {key} is not optional and cannot be skipped")
        self.checkpoint.update(key, status=StepStatus.SKIPPED, ended_at=_now(), continuation_token=None)

    def run(self) -> bool:
        """Run every step that is not done. True when all steps succeeded (or were skipped)."""
        self._stop.clear()
        satisfied = {k for k in self.plan.keys if self.checkpoint.step(k).status is StepStatus.SKIPPED}
        started: set[str] = set(satisfied)
        running: dict[Future[Outcome], str] = {}
        pool = ThreadPoolExecutor(self.max_parallel, thread_name_prefix="step")
        try:
            while True:
                try:
                    if not self._schedule(pool, satisfied, started, running):
                        break
                except KeyboardInterrupt:
                    self.stop()
        finally:
            # A stopped run does not wait for a step stuck in an HTTP call (a long Retry-After): what Azure
            # accepted is in the checkpoint already, and a closed checkpoint refuses that step's late writes.
            pool.shutdown(wait=not self._stop.is_set(), cancel_futures=True)
        for step in self.plan.steps:
            if step.key not in started and not self._stop.is_set():
                blockers = tuple(n for n in step.needs if n not in satisfied)
                self._emit(events.StepBlocked(step.key, blockers))
        ok = satisfied == set(self.plan.keys)
        self._emit(events.RunFinished("", ok=ok, stopped=self._stop.is_set()))
        return ok

    def _schedule(
        self,
        pool: ThreadPoolExecutor,
        satisfied: set[str],
        started: set[str],
        running: dict[Future[Outcome], str],
    ) -> bool:
        """Start every step whose needs are met, then wait briefly for one to end. False once nothing runs."""
        if not self._stop.is_set():
            for step in self.plan.steps:
                if step.key not in started and set(step.needs) <= satisfied:
                    started.add(step.key)
                    running[pool.submit(self._run_step, step)] = step.key
        if not running or (self._stop.is_set() and time.monotonic() > self._stopped_at + STOP_GRACE_SECONDS):
            return False
        finished, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
        for future in finished:
            key = running.pop(future)
            if future.result() is Outcome.SUCCEEDED:
                satisfied.add(key)
        return True

    def _context(self, step: Step) -> StepContext:
        """Only the outputs of the steps this one needs: reading any other is a bug the plan's order hides."""
        outputs = {key: self.checkpoint.step(key).outputs for key in step.needs}
        own = self.checkpoint.step(step.key)
        return StepContext(
            previous=own.outputs if own.status is StepStatus.SUCCEEDED else {},
            answers=self.plan.answers,
            names=self.plan.names,
            cloud=self.connection.cloud,
            clients=self.connection.clients,
            files_dir=self.checkpoint.files_dir,
            outputs=outputs,
            setup_id=self.checkpoint.document.setup_id,
            emit_progress=self._changes_of(step.key),
            emit_log=lambda line: self._log(step.key, line),
            poll_interval=self.poll_interval,
        )

    def _changes_of(self, key: str) -> Callable[[str], None]:
        """A step's progress as it changes: a poll that finds Azure in the same state again ("waiting for
        Microsoft.Compute") is not news, and twenty copies of it in the log hide the lines that are. The
        runner's own "operation <state>" lines are compared among themselves, the step's messages likewise."""
        last: dict[bool, str] = {}

        def report(message: str) -> None:
            kind = message.startswith("operation ")
            if last.get(kind) != message:
                last[kind] = message
                self._emit(events.StepProgress(key, message))

        return report

    def _emit(self, event: events.Event) -> None:
        """Every event goes into the run log (StepLog lines as themselves) and on to the face."""
        if not isinstance(event, events.StepLog):
            log.info("%s", event)
        self._consumer(event)

    def _log(self, key: str, line: str) -> None:
        log.info("%s: %s", key, line)
        self._emit(events.StepLog(key, line))

    def _run_step(self, step: Step) -> Outcome:
        """The step on this thread; each retry azure-core makes for it is a progress line of the step."""
        with retries.reporting_to(lambda line: self._emit(events.StepProgress(step.key, line))):
            return self._attempt(step)

    def _attempt(self, step: Step) -> Outcome:
        record = self.checkpoint.step(step.key)
        resumed = record.status is not StepStatus.PENDING
        self._emit(events.StepStarted(step.key, step.title, resumed=resumed))
        ctx = self._context(step)
        token = record.continuation_token if record.status is StepStatus.RUNNING else None
        try:
            if token is None:
                found = step.find(ctx)
                if found is not None:
                    self._succeed(step, found, reused=True)
                    return Outcome.SUCCEEDED
                if record.status is StepStatus.SUCCEEDED:
                    self._log(step.key, "was created before but is gone now; creating it again")
            self.checkpoint.update(step.key, status=StepStatus.RUNNING, started_at=_now(), ended_at=None, error=None)
            operation = self._start(step, ctx, token)
            return self._finish(step, ctx, operation)
        except Exception as error:
            info = explain(error)
            log.warning("%s failed: %s", step.key, info.one_line(), exc_info=not isinstance(error, StepError))
            if self.checkpoint.step(step.key).continuation_token and _lost_sight_of(error) and token is None:
                # Azure still runs what it accepted; only our view of it failed: keep the token to re-attach.
                # Not twice: an operation whose monitor fails again after re-attaching (a failed operation's
                # Location answering 5xx) would otherwise be re-attached to, and fail, on every resume.
                self.checkpoint.update(step.key, error=info)
            else:
                self.checkpoint.update(
                    step.key, status=StepStatus.FAILED, ended_at=_now(), error=info, continuation_token=None
                )
            self._emit(events.StepFailed(step.key, info))
            return Outcome.FAILED

    def _start(self, step: Step, ctx: StepContext, token: str | None) -> Operation:
        if token:
            self._log(step.key, "re-attaching to the operation started by an earlier run")
            try:
                return step.start(ctx, token)
            except Exception as error:
                self._log(step.key, f"could not re-attach ({explain(error).one_line()}); starting it again")
        operation = step.start(ctx, None)
        token = operation.continuation_token()
        if token:
            self.checkpoint.update(step.key, continuation_token=token)
        return operation

    def _finish(self, step: Step, ctx: StepContext, operation: Operation) -> Outcome:
        started = time.monotonic()
        limit = self.step_timeout if self.step_timeout is not None else step.deadline
        next_beat = started + self.heartbeat
        last_status = ""
        while not operation.done():
            now = time.monotonic()
            if self._stop.is_set():
                self._log(step.key, "stopped waiting; Azure keeps working on it and a resume picks it up")
                return Outcome.STOPPED
            if now - started > limit:
                return self._give_up_waiting(step, limit)
            status = operation.status()
            if status != last_status:
                ctx.progress(f"operation {status}")
                last_status = status
            if now >= next_beat:  # a long wait is never silent: say it is still going, and for how long
                minutes, seconds = divmod(int(now - started), 60)
                self._log(step.key, f"still waiting for Azure: {minutes}m{seconds:02d}s, Azure says {status}")
                next_beat = now + self.heartbeat
            operation.wait(0.2)
        self._succeed(step, step.outputs(ctx, operation.result()))
        return Outcome.SUCCEEDED

    def _give_up_waiting(self, step: Step, limit: float) -> Outcome:
        """Past the deadline: report it, but keep the step running with its token so a resume re-attaches."""
        waited = f"{limit / 60:.0f} minutes" if limit >= 90 else f"{limit:.0f} seconds"
        info = StepError(
            "DeadlineExceeded",
            f"still not finished after {waited}",
            todo="Check the resource in the portal; run again to re-attach and keep waiting.",
        ).info
        self.checkpoint.update(step.key, error=info)
        self._emit(events.StepFailed(step.key, info))
        return Outcome.FAILED

    def _succeed(self, step: Step, outputs: dict, *, reused: bool = False) -> None:
        missing = [key for key in step.provides if key not in outputs]
        if missing:
            raise StepError("MissingOutputs", f"{step.key} finished without {', '.join(missing)}")
        record = self.checkpoint.step(step.key)
        already = record.status is StepStatus.SUCCEEDED and record.outputs == outputs
        if not already:
            self.checkpoint.update(
                step.key,
                status=StepStatus.SUCCEEDED,
                ended_at=_now(),
                outputs=outputs,
                continuation_token=None,
                error=None,
            )
        self._emit(events.StepSucceeded(step.key, outputs, reused=reused))
