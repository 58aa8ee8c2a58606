"""Is what the checkpoint says was made still there? `status --live` asks Azure with each step's cheap read.

A support engineer looking at a customer's checkpoint, or a user back from a long pause, learns which
resources were deleted behind the wizard's back before resuming (which would recreate them).
"""

from __future__ import annotations

from pathlib import Path

from wizard import plan as planning
from wizard.azure.errors import explain
from wizard.checkpoint import Document, StepStatus, files_dir_for
from wizard.connect import Connection
from wizard.steps.base import StepContext

PRESENT, MISSING = "present", "missing"


def check(path: Path, document: Document, connection: Connection) -> dict[str, str]:
    """For each succeeded step: "present", "missing", or "unknown (<ARM code>)" when Azure could not tell."""
    plan = planning.build(document.answers)
    succeeded = {k: r for k, r in document.steps.items() if r.status is StepStatus.SUCCEEDED}
    found: dict[str, str] = {}
    for step in plan.steps:
        if step.key not in succeeded:
            continue
        ctx = StepContext(
            answers=document.answers,
            names=plan.names,
            cloud=connection.cloud,
            clients=connection.clients,
            files_dir=files_dir_for(path),
            outputs={key: succeeded[key].outputs for key in step.needs if key in succeeded},
        )
        try:
            found[step.key] = PRESENT if step.find(ctx) is not None else MISSING
        except Exception as error:
            found[step.key] = f"unknown ({explain(error).code})"
    return found
