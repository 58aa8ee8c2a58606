"""Azure ML as the scheduler: a JobSchedule in the workspace whose Recurrence trigger (from the recurrence) creates
a pipeline job of the registered scoring pipeline, with the batch endpoint's inputs on the batch endpoint's cluster.

Identity, least privilege: unlike the other schedulers, nothing outside the workspace calls the batch endpoint.
The schedule is a workspace resource, and Azure ML itself submits its jobs in that workspace, as the schedule's
creator (the person running the wizard, who already manages the workspace); the jobs run on the cluster like the
endpoint's own jobs. So there is no new principal to authorize and the wizard grants no role at all: adding an
identity with AzureML Data Scientist would only widen who may act in the workspace.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers, Scheduler
from wizard.ml import pipeline
from wizard.ml.client import for_step
from wizard.names import Names
from wizard.schedule import recurrence
from wizard.steps.base import Background, Operation, Outputs, Step, StepContext


def chosen(answers: Answers) -> bool:
    return answers.scheduler is Scheduler.AML_SCHEDULE


def studio_link(ctx: StepContext, schedule: str) -> str:
    return f"https://ml.azure.com/schedule/{schedule}/details/overview?wsid={ctx.outputs['workspace']['id']}"


class AmlSchedule(Step):
    key = "amlschedule"
    title = "Azure ML schedule"
    needs = ("workspace", "cpu-cluster", "scoring-pipeline", "batch-endpoint")
    provides = ("id", "name", "portal", "summary")
    providers = ("Microsoft.MachineLearningServices",)

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Azure ML schedule {names.aml_schedule} creating a scoring pipeline job on the recurrence"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        try:
            schedule = ml.schedules.get(ctx.names.aml_schedule)
        except ResourceNotFoundError:
            return None
        return self.outputs(ctx, schedule) if schedule.is_enabled else None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        ctx.progress(f"PUT schedules/{ctx.names.aml_schedule}")
        schedule = self._schedule(ctx)
        # azure-ai-ml waits for the schedule's operation inside result(): on the runner's thread, an operation
        # that never ends would hang the wizard past the step's deadline.
        return Background(lambda: ml.schedules.begin_create_or_update(schedule).result())

    def _schedule(self, ctx: StepContext) -> Any:
        from azure.ai.ml.entities import JobSchedule

        job = pipeline.pipeline_job(
            ctx.outputs["scoring-pipeline"]["component_id"],
            ctx.outputs["batch-endpoint"]["inputs"],
            ctx.outputs["cpu-cluster"]["name"],
            ctx.names.aml_schedule,
        )
        trigger = recurrence.aml_recurrence_trigger(ctx.answers.recurrence)
        return JobSchedule(name=ctx.names.aml_schedule, trigger=trigger, create_job=job, is_enabled=True)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "id": result.id,
            "name": result.name,
            "portal": studio_link(ctx, result.name),
            "summary": f"{result.name} enabled in {ctx.outputs['workspace']['name']}",
        }
