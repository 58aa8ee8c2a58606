"""One Logic Apps run now (the Recurrence trigger fired by hand), followed in run history until its HTTP action
shows the scoring job the endpoint started."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import LOGIC_TRIGGER
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.logic import chosen, control
from wizard.steps.schedulers.verification import verified_run


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
        return {
            "job_name": result.job,
            "run_id": result.run_id,
            "portal": workflow["portal"],
            "trigger": LOGIC_TRIGGER,
            "instructions": [
                f"Logic Apps workflow {workflow['name']} calls the endpoint on schedule: {workflow['portal']}",
                "  Pause it:  scoring-wizard schedule pause   (resume: scoring-wizard schedule resume)",
                f"  or: az logic workflow update --name {workflow['name']} --resource-group {group} --state Disabled",
                "  Next fire times and last runs: scoring-wizard schedule status",
            ],
            "summary": f"run {result.run_id} started scoring job {result.job}",
        }
