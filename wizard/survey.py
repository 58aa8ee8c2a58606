"""What a run would do, found out with reads only: for `scoring-wizard plan`, before anything is created.

Each step is asked what is already in Azure (its cheap read), in the plan's order, so that a step whose
dependencies already exist is checked against them; a step whose dependency does not exist yet will be
created too, and is not asked. Support staff see a customer's setup, and users see what they will get, with no
write sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard.azure.errors import explain
from wizard.connect import Connection
from wizard.plan import Plan
from wizard.steps.base import StepContext

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


def survey(plan: Plan, connection: Connection, files_dir: Path) -> list[Planned]:
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
