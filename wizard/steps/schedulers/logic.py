"""Logic Apps as the scheduler: a Consumption workflow with a system identity whose Recurrence trigger (from the
recurrence) fires one HTTP action, a POST of the scoring URI authenticated as that identity for Azure ML.

The workflow is written disabled and enabled only after its identity holds the role, so no occurrence fires
before it is allowed to call; then one run now, read back from run history, proves the endpoint started a job.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers, Scheduler
from wizard.azure import roles
from wizard.names import Names
from wizard.schedule import recurrence
from wizard.schedule.control import LOGIC_ACTION, LOGIC_TRIGGER, ML_AUDIENCE, LogicControl
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS

CLIENT = "azure.mgmt.logic:LogicManagementClient"
SCHEMA = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#"


def chosen(answers: Answers) -> bool:
    return answers.scheduler is Scheduler.LOGIC_APPS


def control(ctx: StepContext) -> LogicControl:
    return LogicControl(ctx.clients, ctx.names, ctx.cloud.connection_verify)


class LogicWorkflow(Step):
    key = "logicapps"
    title = "Logic Apps workflow"
    needs = ("resource-group", "register-providers", "workspace", "batch-endpoint")
    provides = ("id", "name", "principal_id", "portal", "role_assignment", "summary")
    providers = ("Microsoft.Logic",)
    actions = (roles.ASSIGN_ACTION,)

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Logic Apps workflow {names.logic_workflow} calling the endpoint on schedule, AzureML Data Scientist"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            workflow = ctx.clients.get(CLIENT).workflows.get(ctx.names.resource_group, ctx.names.logic_workflow)
            assignment = roles.existing(ctx.clients, ctx.outputs["workspace"]["id"], workflow.identity.principal_id)
        except ResourceNotFoundError:
            return None
        if not control(ctx).enabled():
            return None
        return self.outputs(ctx, (workflow, {"id": assignment.id}))

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ctx.progress(f"PUT Microsoft.Logic/workflows/{ctx.names.logic_workflow} (disabled)")
        workflow = ctx.clients.get(CLIENT).workflows.create_or_update(
            ctx.names.resource_group, ctx.names.logic_workflow, self._workflow(ctx)
        )
        scope, principal = ctx.outputs["workspace"]["id"], workflow.identity.principal_id
        ctx.progress(f"PUT roleAssignments/{roles.assignment_name(scope, principal, roles.AZUREML_DATA_SCIENTIST)}")
        grant = roles.grant(ctx.clients, scope, principal, roles.AZUREML_DATA_SCIENTIST)
        ctx.progress(f"enable {ctx.names.logic_workflow}")
        control(ctx).resume()
        return Done((workflow, grant))

    def _workflow(self, ctx: StepContext) -> Any:
        from azure.mgmt.logic.models import ManagedServiceIdentity, Workflow

        endpoint = ctx.outputs["batch-endpoint"]
        action = {
            "type": "Http",
            "runAfter": {},
            "inputs": {
                "method": "POST",
                "uri": endpoint["scoring_uri"],
                "body": endpoint["inputs"],
                "authentication": {"type": "ManagedServiceIdentity", "audience": ML_AUDIENCE},
            },
        }
        definition = {
            "$schema": SCHEMA,
            "contentVersion": "1.0.0.0",
            "triggers": {LOGIC_TRIGGER: recurrence.logic_recurrence_trigger(ctx.answers.recurrence)},
            "actions": {LOGIC_ACTION: action},
        }
        return Workflow(
            location=ctx.answers.region,
            tags=TAGS,
            identity=ManagedServiceIdentity(type="SystemAssigned"),
            definition=definition,
            state="Disabled",
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        workflow, grant = result
        return {
            "id": workflow.id,
            "name": workflow.name,
            "principal_id": workflow.identity.principal_id,
            "portal": ctx.cloud.portal_link(workflow.id),
            "role_assignment": grant["id"],
            "summary": f"{workflow.name} enabled (identity {workflow.identity.principal_id})",
        }
