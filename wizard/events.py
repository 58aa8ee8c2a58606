"""What the runner tells its consumers. The TUI and the headless printer see exactly the same stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.azure.errors import ErrorInfo


@dataclass(frozen=True)
class Event:
    """Something happened to one step (or to the whole run, when `key` is empty)."""

    key: str

    def __str__(self) -> str:
        """One readable line (the run log records events this way): the step, then what happened."""
        return f"{self.key}: {self.describe()}" if self.key else self.describe()

    def describe(self) -> str:
        return type(self).__name__


@dataclass(frozen=True)
class StepStarted(Event):
    title: str
    resumed: bool = False

    def describe(self) -> str:
        return f"started {self.title}{' (resuming)' if self.resumed else ''}"


@dataclass(frozen=True)
class StepProgress(Event):
    """The step's current Azure operation, e.g. "PUT Microsoft.Compute/virtualMachines/demo-dsvm"."""

    message: str

    def describe(self) -> str:
        return self.message


@dataclass(frozen=True)
class StepLog(Event):
    line: str

    def describe(self) -> str:
        return self.line


@dataclass(frozen=True)
class StepSucceeded(Event):
    outputs: dict[str, Any] = field(default_factory=dict)
    reused: bool = False

    def describe(self) -> str:
        return (
            "already there" if self.reused else f"done  {self.outputs.get('summary') or self.outputs.get('id') or ''}"
        )


@dataclass(frozen=True)
class StepFailed(Event):
    error: ErrorInfo

    def describe(self) -> str:
        return f"failed: {self.error.one_line()}"


@dataclass(frozen=True)
class StepBlocked(Event):
    """A step that cannot start because a step it needs did not succeed."""

    waiting_for: tuple[str, ...]

    def describe(self) -> str:
        return f"not started: needs {', '.join(self.waiting_for)}"


@dataclass(frozen=True)
class RunFinished(Event):
    ok: bool
    stopped: bool = False

    def describe(self) -> str:
        return "run stopped" if self.stopped else ("run finished: all steps succeeded" if self.ok else "run finished")
