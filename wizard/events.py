"""What the runner tells its consumers. The TUI and the headless printer see exactly the same stream."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.azure.errors import ErrorInfo


@dataclass(frozen=True)
class Event:
    """Something happened to one step (or to the whole run, when `key` is empty)."""

    key: str


@dataclass(frozen=True)
class StepStarted(Event):
    title: str
    resumed: bool = False


@dataclass(frozen=True)
class StepProgress(Event):
    """The step's current Azure operation, e.g. "PUT Microsoft.Compute/virtualMachines/demo-dsvm"."""

    message: str


@dataclass(frozen=True)
class StepLog(Event):
    line: str


@dataclass(frozen=True)
class StepSucceeded(Event):
    outputs: dict[str, Any] = field(default_factory=dict)
    reused: bool = False


@dataclass(frozen=True)
class StepFailed(Event):
    error: ErrorInfo


@dataclass(frozen=True)
class StepBlocked(Event):
    """A step that cannot start because a step it needs did not succeed."""

    waiting_for: tuple[str, ...]


@dataclass(frozen=True)
class RunFinished(Event):
    ok: bool
    stopped: bool = False
