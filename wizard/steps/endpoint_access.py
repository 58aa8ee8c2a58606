"""AzureML Data Scientist for the DSVM's system identity, on the workspace only: a notebook on the DSVM can call
the endpoint with its managed identity, and no secret exists anywhere."""

from __future__ import annotations

from typing import Any

from wizard.azure import roles
from wizard.names import Names
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext


class EndpointAccess(Step):
    key = "endpoint-access"
    title = "Endpoint access for the DSVM"
    needs = ("workspace", "dsvm")
    actions = (roles.ASSIGN_ACTION,)
    provides = ("id", "name", "scope", "principal_id", "role_id", "summary")

    def describe(self, names: Names) -> str:
        return f"AzureML Data Scientist on {names.workspace} for {names.vm}'s managed identity"

    def grants(self, ctx: StepContext) -> tuple[roles.Grant, ...]:
        return (
            roles.Grant(
                ctx.outputs["workspace"]["id"], ctx.outputs["dsvm"]["principal_id"], roles.AZUREML_DATA_SCIENTIST
            ),
        )

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        (grant,) = self.grants(ctx)
        try:
            found = roles.existing(ctx.clients, grant.scope, grant.principal_id, grant.role_id)
        except ResourceNotFoundError:
            return None
        made = {"id": found.id, "name": found.name, "scope": grant.scope, "principal_id": grant.principal_id}
        return self.outputs(ctx, {**made, "role_id": grant.role_id})

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        (grant,) = self.grants(ctx)
        ctx.progress(f"PUT roleAssignments/{roles.assignment_name(grant.scope, grant.principal_id, grant.role_id)}")
        return Done(roles.grant(ctx.clients, grant.scope, grant.principal_id, grant.role_id))

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {**result, "summary": f"AzureML Data Scientist for {ctx.names.vm} on {ctx.names.workspace}"}
