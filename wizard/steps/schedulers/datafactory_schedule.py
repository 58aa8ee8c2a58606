"""The factory's pipeline, whose one Web activity POSTs the batch endpoint's scoring URI as the factory's identity,
that identity's AzureML Data Scientist grant on the workspace, and the schedule trigger from the recurrence,
started last: the trigger never fires before its identity may call.

azure-mgmt-datafactory 10.0.0 serializes WebActivity as "Execution" and ScheduleTrigger as
"MultiplePipelineTrigger", which the service refuses; the types are set explicitly.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.azure import roles
from wizard.names import Names
from wizard.schedule import recurrence
from wizard.schedule.control import ACTIVITY, ML_AUDIENCE, PIPELINE, TRIGGER, DataFactoryControl
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.datafactory import CLIENT, chosen


class DataFactorySchedule(Step):
    """Pipeline, grant and trigger together: the trigger is started only once its identity may call."""

    key = "datafactory-schedule"
    title = "Data Factory pipeline and schedule"
    needs = ("datafactory", "workspace", "batch-endpoint")
    actions = (roles.ASSIGN_ACTION,)
    provides = ("pipeline", "trigger", "role_assignment", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Pipeline {PIPELINE} calling the endpoint, trigger {TRIGGER} started, AzureML Data Scientist granted"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        client = ctx.clients.get(CLIENT)
        try:
            client.pipelines.get(ctx.names.resource_group, ctx.names.data_factory, PIPELINE)
            trigger = client.triggers.get(ctx.names.resource_group, ctx.names.data_factory, TRIGGER)
            assignment = roles.existing(ctx.clients, ctx.outputs["workspace"]["id"], self._principal(ctx))
        except ResourceNotFoundError:
            return None
        if trigger.properties.runtime_state != "Started":
            return None
        return self.outputs(ctx, {"id": assignment.id})

    def _principal(self, ctx: StepContext) -> str:
        return str(ctx.outputs["datafactory"]["principal_id"])

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client, group, factory = ctx.clients.get(CLIENT), ctx.names.resource_group, ctx.names.data_factory
        ctx.progress(f"PUT pipelines/{PIPELINE}")
        client.pipelines.create_or_update(group, factory, PIPELINE, self._pipeline(ctx))
        scope, principal = ctx.outputs["workspace"]["id"], self._principal(ctx)
        ctx.progress(f"PUT roleAssignments/{roles.assignment_name(scope, principal, roles.AZUREML_DATA_SCIENTIST)}")
        grant = roles.grant(ctx.clients, scope, principal, roles.AZUREML_DATA_SCIENTIST)
        control = DataFactoryControl(ctx.clients, ctx.names)
        if self._trigger_started(control):
            control.pause()  # a started trigger cannot be updated
        ctx.progress(f"PUT triggers/{TRIGGER}")
        client.triggers.create_or_update(group, factory, TRIGGER, self._trigger(ctx))
        control.resume()
        return Done(grant)

    def _trigger_started(self, control: DataFactoryControl) -> bool:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return control.enabled()
        except ResourceNotFoundError:
            return False

    def _pipeline(self, ctx: StepContext) -> Any:
        from azure.mgmt.datafactory.models import PipelineResource, WebActivity, WebActivityAuthentication

        endpoint = ctx.outputs["batch-endpoint"]
        activity = WebActivity(
            name=ACTIVITY,
            method="POST",
            url=endpoint["scoring_uri"],
            body=endpoint["inputs"],
            authentication=WebActivityAuthentication(type="MSI", resource=ML_AUDIENCE),
        )
        activity.type = "WebActivity"
        return PipelineResource(activities=[activity])

    def _trigger(self, ctx: StepContext) -> Any:
        from azure.mgmt.datafactory.models import (
            PipelineReference,
            ScheduleTrigger,
            ScheduleTriggerRecurrence,
            TriggerPipelineReference,
            TriggerResource,
        )

        schedule = ScheduleTriggerRecurrence(recurrence.datafactory_recurrence(ctx.answers.recurrence))
        trigger = ScheduleTrigger(
            recurrence=schedule,
            pipelines=[TriggerPipelineReference(pipeline_reference=PipelineReference(reference_name=PIPELINE))],
        )
        trigger.type = "ScheduleTrigger"
        return TriggerResource(properties=trigger)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "pipeline": PIPELINE,
            "trigger": TRIGGER,
            "role_assignment": result["id"],
            "summary": f"trigger {TRIGGER} started; {ctx.names.data_factory} may call the endpoint",
        }
