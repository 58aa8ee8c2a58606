"""The contract between a provisioning step and the runner.

A step owns only its Azure calls: `find` (is it already there as we want it?), `start` (an idempotent
create that returns the operation, re-attaching when given a continuation token) and `outputs` (what later
steps and the user need). Retries, deadlines, checkpointing, resume and events belong to the runner, so a new
resource is one small module.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

from wizard.answers import Answers
from wizard.azure import retries
from wizard.azure.clients import ClientFactory
from wizard.azure.clouds import Cloud
from wizard.azure.roles import Grant
from wizard.names import Names
from wizard.secret_inputs import SecretSpec

Outputs = dict[str, Any]


class Operation(Protocol):
    """What `start` returns: azure-core's LROPoller satisfies it, and so do `Done` and `Waiting`."""

    def done(self) -> bool: ...
    def wait(self, timeout: float | None = None) -> None: ...
    def result(self, timeout: float | None = None) -> Any: ...
    def continuation_token(self) -> str: ...
    def status(self) -> str: ...


@dataclass
class Done:
    """An operation that finished synchronously (a 200/201 PUT)."""

    value: Any = None

    def done(self) -> bool:
        return True

    def wait(self, timeout: float | None = None) -> None:
        return None

    def result(self, timeout: float | None = None) -> Any:
        return self.value

    def continuation_token(self) -> str:
        return ""

    def status(self) -> str:
        return "Succeeded"


class Background:
    """Work an SDK offers only as blocking calls (several operations in a row), run on a daemon thread so that the
    runner's deadline, heartbeat and stop still apply to it: an operation that never ends must not hang the step.
    Its exception is raised from `result`; retries are told to the step that started it."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self._finished = threading.Event()
        self._value: Any = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(retries.carried(work),), daemon=True, name="step-work").start()

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            self._value = work()
        except BaseException as error:  # handed to the runner's thread by result()
            self._error = error
        finally:
            self._finished.set()

    def done(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> None:
        self._finished.wait(timeout)

    def result(self, timeout: float | None = None) -> Any:
        self._finished.wait(timeout)
        if self._error is not None:
            raise self._error
        return self._value

    def continuation_token(self) -> str:
        return ""

    def status(self) -> str:
        return "InProgress" if not self.done() else ("Failed" if self._error else "Succeeded")


@dataclass
class Waiting:
    """Polls `check` every `interval` seconds until it returns a result, for Azure work that is not an LRO
    (provider registration). `check` returns None while the work is still going on.
    """

    check: Callable[[], Any]
    interval: float = 2.0
    token: str = ""  # what a resume needs to wait for the same work again (e.g. a job's name)
    _result: Any = None
    _finished: bool = False
    _next_check: float = 0.0

    def _poll(self) -> None:
        if not self._finished and time.monotonic() >= self._next_check:
            value = self.check()
            self._next_check = time.monotonic() + self.interval
            if value is not None:
                self._result, self._finished = value, True

    def done(self) -> bool:
        self._poll()
        return self._finished

    def wait(self, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done():
            until = self._next_check if deadline is None else min(self._next_check, deadline)
            time.sleep(max(0.0, until - time.monotonic()))
            if deadline is not None and time.monotonic() >= deadline:
                self._poll()
                return

    def result(self, timeout: float | None = None) -> Any:
        self.wait(timeout)
        return self._result

    def continuation_token(self) -> str:
        return self.token

    def status(self) -> str:
        return "Succeeded" if self._finished else "InProgress"


@dataclass
class StepContext:
    """What a step may use. `outputs` holds the outputs of the steps it needs (its `needs`), by key, and nothing
    else: a step that reads another step's outputs must say it needs that step, so the plan's order is right.
    """

    answers: Answers
    names: Names
    cloud: Cloud
    clients: ClientFactory
    files_dir: Path
    outputs: Mapping[str, Outputs] = field(default_factory=dict)
    previous: Outputs = field(default_factory=dict)  # this step's own outputs from the run that finished it
    setup_id: str = ""  # the checkpoint's setup, tagged on the resource group (see ownership.py)
    emit_progress: Callable[[str], None] = lambda message: None
    emit_log: Callable[[str], None] = lambda line: None
    poll_interval: float = 2.0

    def progress(self, message: str) -> None:
        """Say which Azure operation is under way (shown in the step's pane)."""
        self.emit_progress(message)

    def log(self, line: str) -> None:
        self.emit_log(line)


class Step:
    """One provisioning step. Subclasses set the class attributes and implement find/start/outputs."""

    key: ClassVar[str]
    title: ClassVar[str]
    needs: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()  # output keys every success has; what dependants may read
    providers: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[bool] = False
    # ARM actions beyond writing its own resource, which preflight checks the caller may perform.
    actions: ClassVar[tuple[str, ...]] = ()
    # How long its operation may take before the runner stops waiting (it stays attached for a resume): what
    # Azure usually needs, with room. A VM or an Azure ML deployment sets its own.
    deadline: ClassVar[float] = 30 * 60.0

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        """Whether this step belongs in the plan for these answers (e.g. only the chosen scheduler's)."""
        return True

    def describe(self, names: Names) -> str:
        """What the step will create, named, for the review screen and the plan printout."""
        return self.title

    def secrets(self, answers: Answers) -> tuple[SecretSpec, ...]:
        """Secrets the step needs typed in before it can create its resource (see wizard.secret_inputs)."""
        return ()

    def grants(self, ctx: StepContext) -> tuple[Grant, ...]:
        """The role assignments the step makes, from its needs' outputs: what an exported ARM template declares."""
        return ()

    def find(self, ctx: StepContext) -> Outputs | None:
        """Outputs of the resource if it already exists as wanted, else None. Must be a cheap read."""
        return None

    def preflight(self, ctx: StepContext) -> None:
        """Reads that show now what would make this step fail later (a taken name, a size out of quota): raise
        StepError. `ctx.outputs` is empty: nothing exists yet when preflight runs (see wizard/preflight.py)."""

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        """Create or update the resource idempotently; with a token, re-attach to the operation instead."""
        raise NotImplementedError

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        """Ids, URLs and hints from the finished operation's result."""
        return {}
