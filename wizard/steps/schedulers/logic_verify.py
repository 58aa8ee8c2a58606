"""One Logic Apps run now (the Recurrence trigger fired by hand), followed in run history until its HTTP action
shows the scoring job the endpoint started."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import LOGIC_TRIGGER
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.logic import chosen, control
from wizard.steps.schedulers.verification import run_outputs, verified_run


class LogicVerify(Step):
    """Runs every time: the Recurrence trigger fired now, its run followed until the action shows the job."""

    key = "logicapps-verify"
    title = "Logic Apps run now"
    needs = ("logicapps", "workspace", "batch-endpoint")
    provides = ("job_name", "run_id", "portal", "trigger", "instructions", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"One run of {names.logic_workflow} now, verified to start a scoring job"

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        return verified_run(ctx, control(ctx), f"workflow {ctx.names.logic_workflow}", continuation_token)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        workflow, group = ctx.outputs["logicapps"], ctx.names.resource_group
        return run_outputs(
            result,
            portal=workflow["portal"],
            trigger=LOGIC_TRIGGER,
            headline=f"Logic Apps workflow {workflow['name']} calls the endpoint on schedule",
            pause_natively=f"az logic workflow update --name {workflow['name']} --resource-group {group} "
            "--state Disabled",
        )
