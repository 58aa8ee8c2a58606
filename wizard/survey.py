"""What a run would do, found out with reads only: for `scoring-wizard plan`, before anything is created.

Each step is asked what is already in Azure (its cheap read), in the plan's order, so that a step whose
dependencies already exist is checked against them; a step whose dependency does not exist yet will be
created too, and is not asked. Support staff see a customer's setup, and users see what they will get, with no
write sent. A step that is a check rather than a resource (the smoke call) only knows it is done from its own
outputs of the run that finished it, so a setup's checkpoint, when there is one, is read (never locked) for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wizard.azure.errors import explain
from wizard.connect import Connection
from wizard.plan import Plan
from wizard.steps.base import Outputs, StepContext

EXISTS, CREATE, UNKNOWN = "exists", "create", "unknown"


@dataclass(frozen=True)
class Planned:
    """One step of the plan as Azure stands: whether its resource exists as wanted, and what it waits for."""

    key: str
    title: str
    description: str
    action: str  # EXISTS (kept as it is), CREATE (created, or brought up to date), UNKNOWN (Azure could not tell)
    needs: tuple[str, ...]
    note: str = ""


def survey(
    plan: Plan,
    connection: Connection,
    files_dir: Path,
    previous: Mapping[str, Outputs] | None = None,
    setup_id: str = "",
) -> list[Planned]:
    """`previous`: each finished step's outputs from the setup's checkpoint (what the runner gives a resume)."""
    previous = previous or {}
    found: dict[str, dict] = {}
    planned: list[Planned] = []
    for step in plan.steps:
        action, note = CREATE, ""
        if all(key in found for key in step.needs):
            ctx = StepContext(
                answers=plan.answers,
                names=plan.names,
                cloud=connection.cloud,
                clients=connection.clients,
                files_dir=files_dir,
                outputs={key: found[key] for key in step.needs},
                previous=previous.get(step.key, {}),
                setup_id=setup_id,
            )
            try:
                outputs = step.find(ctx)
            except Exception as error:
                action, note = UNKNOWN, explain(error).one_line()
            else:
                if outputs is not None:
                    found[step.key] = outputs
                    action = EXISTS
        else:
            note = "after " + ", ".join(key for key in step.needs if key not in found)
        planned.append(Planned(step.key, step.title, step.describe(plan.names), action, step.needs, note))
    return planned
