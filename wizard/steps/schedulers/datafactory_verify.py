"""One Data Factory pipeline run now, followed until the endpoint answered with a scoring job."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import PIPELINE, DataFactoryControl
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.datafactory import chosen
from wizard.steps.schedulers.verification import run_outputs, verified_run


class DataFactoryVerify(Step):
    """Runs every time: one pipeline run now, followed until the endpoint answered with a job."""

    key = "datafactory-verify"
    title = "Data Factory run now"
    needs = ("datafactory", "datafactory-schedule", "workspace", "batch-endpoint")
    provides = ("job_name", "run_id", "portal", "trigger", "instructions", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"One run of {PIPELINE} now, verified to start a scoring job"

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        return verified_run(ctx, DataFactoryControl(ctx.clients, ctx.names), f"pipeline {PIPELINE}", continuation_token)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        factory, group = ctx.outputs["datafactory"], ctx.names.resource_group
        trigger = ctx.outputs["datafactory-schedule"]["trigger"]
        return run_outputs(
            result,
            portal=factory["portal"],
            trigger=trigger,
            headline=f"Data Factory {factory['name']} runs {PIPELINE} on schedule (trigger {trigger})",
            pause_natively=f"az datafactory trigger stop --factory-name {factory['name']} --resource-group {group} "
            f"--name {trigger}",
        )
