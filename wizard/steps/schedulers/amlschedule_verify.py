"""One Azure ML schedule run now (the schedule triggered once), followed until the job it submitted completed."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import AmlScheduleControl
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.amlschedule import chosen
from wizard.steps.schedulers.verification import verified_run


class AmlScheduleVerify(Step):
    """Runs every time: the schedule triggered now, its pipeline job followed to Completed."""

    key = "amlschedule-verify"
    title = "Azure ML schedule run now"
    needs = ("amlschedule", "workspace")
    provides = ("job_name", "job_id", "run_id", "studio", "portal", "trigger", "instructions", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"One job of {names.aml_schedule} now, followed to Completed"

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        control = AmlScheduleControl(ctx.clients, ctx.names, ctx.cloud.connection_verify)
        return verified_run(ctx, control, f"schedule {ctx.names.aml_schedule}")

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        schedule, workspace = ctx.outputs["amlschedule"], ctx.outputs["workspace"]
        job_id = f"{workspace['id']}/jobs/{result.job}"
        return {
            "job_name": result.job,
            "job_id": job_id,
            "run_id": result.run_id,
            "studio": f"https://ml.azure.com/runs/{result.job}?wsid={workspace['id']}",
            "portal": schedule["portal"],
            "trigger": schedule["name"],
            "instructions": [
                f"Azure ML schedule {schedule['name']} submits the scoring pipeline on schedule: {schedule['portal']}",
                "  Pause it:  scoring-wizard schedule pause   (resume: scoring-wizard schedule resume)",
                f"  or: az ml schedule disable --name {schedule['name']} --workspace-name {workspace['name']} "
                f"--resource-group {ctx.names.resource_group}",
                "  Next fire times and last runs: scoring-wizard schedule status",
            ],
            "summary": f"job {result.job} submitted by {schedule['name']} completed",
        }
