"""One Azure ML schedule run now (the schedule triggered once), followed until the job it submitted completed.

As with the smoke call, a rerun keeps a job that completed (one read of it) rather than submitting another: the
schedule lives in the workspace and needs no grant that could have been taken away meanwhile."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import AmlScheduleControl
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.amlschedule import chosen
from wizard.steps.schedulers.verification import verified_run


class AmlScheduleVerify(Step):
    """The schedule triggered now, its pipeline job followed to Completed."""

    key = "amlschedule-verify"
    title = "Azure ML schedule run now"
    needs = ("amlschedule", "workspace")
    provides = ("job_name", "job_id", "run_id", "studio", "portal", "trigger", "instructions", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"One job of {names.aml_schedule} now, followed to Completed"

    def find(self, ctx: StepContext) -> Outputs | None:
        name = ctx.previous.get("job_name")
        if not name:
            return None
        from azure.core.exceptions import ResourceNotFoundError

        try:
            record = _control(ctx).run(name)
        except ResourceNotFoundError:  # the workspace was made again since: that job went with the old one
            return None
        return ctx.previous if record.status == "Succeeded" else None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        return verified_run(ctx, _control(ctx), f"schedule {ctx.names.aml_schedule}", continuation_token)

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


def _control(ctx: StepContext) -> AmlScheduleControl:
    return AmlScheduleControl(ctx.clients, ctx.names, ctx.cloud.connection_verify)
