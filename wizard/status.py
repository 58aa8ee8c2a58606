"""A checkpoint summarized: what `status` prints and what the resume screen lists."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wizard import checkpoint as checkpoints
from wizard import plan as planning
from wizard.checkpoint import CheckpointError, Document, StepStatus
from wizard.setup_folder import discover
from wizard.teardown import is_torn_down


@dataclass(frozen=True)
class StepSummary:
    key: str
    title: str
    status: str
    outputs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    todo: str = ""
    link: str = ""


@dataclass(frozen=True)
class SetupSummary:
    path: str
    subscription_id: str
    resource_group: str
    region: str
    done: int
    total: int
    updated_at: str
    steps: list[StepSummary]
    destroyed: bool = False  # `destroy` removed everything it made, and nothing was made since

    @property
    def last_error(self) -> str | None:
        return next((s.error for s in reversed(self.steps) if s.error and s.status == "failed"), None)

    @property
    def progress(self) -> str:
        return "destroyed" if self.destroyed else f"{self.done} of {self.total} steps"

    @property
    def instructions(self) -> list[str]:
        """What the user does next with what was made (e.g. how to connect), from succeeded steps' outputs."""
        return [line for s in self.steps if s.status == "succeeded" for line in s.outputs.get("instructions", [])]

    def to_json(self, live: dict[str, str] | None = None) -> dict[str, Any]:
        """The summary as JSON; with `live` (from `live_check`), each finished step says if it is still in Azure."""
        data = {
            **asdict(self),
            "progress": self.progress,
            "last_error": self.last_error,
            "instructions": self.instructions,
        }
        for step in data["steps"]:
            if live is not None and step["key"] in live:
                step["in_azure"] = live[step["key"]]
        return data


def summarize(path: Path, document: Document) -> SetupSummary:
    plan = planning.build(document.answers)
    steps = []
    for step in plan.steps:
        record = document.steps.get(step.key)
        steps.append(
            StepSummary(
                key=step.key,
                title=step.title,
                status=record.status.value if record else StepStatus.PENDING.value,
                outputs=record.outputs if record else {},
                error=f"{record.error.code}: {record.error.message}" if record and record.error else None,
                todo=record.error.todo if record and record.error else "",
                link=record.error.link if record and record.error else "",
            )
        )
    done = sum(s.status in (StepStatus.SUCCEEDED, StepStatus.SKIPPED) for s in steps)
    return SetupSummary(
        path=str(path),
        subscription_id=document.answers.subscription_id,
        resource_group=document.answers.resource_group,
        region=document.answers.region,
        done=done,
        total=len(steps),
        updated_at=document.updated_at.isoformat(timespec="seconds"),
        steps=steps,
        destroyed=is_torn_down(document),
    )


def setups(directory: Path | None = None) -> list[tuple[Path, SetupSummary | str]]:
    """Every checkpoint in the folder, newest first: its summary, or why it cannot be read (the resume lists)."""
    found: list[tuple[Path, SetupSummary | str]] = []
    for path in discover(directory):
        try:
            found.append((path, summarize(path, checkpoints.read(path))))
        except (CheckpointError, ValueError) as error:
            found.append((path, str(error)))
    return found
