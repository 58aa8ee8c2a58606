"""The resource group that holds everything the wizard creates, so tearing down is one delete."""

from __future__ import annotations

from typing import Any

from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext

TAGS = {"created-by": "scoring-wizard"}
SETUP_TAG = "scoring-wizard-setup"  # on the group: which checkpoint's setup owns it (see wizard/ownership.py)
CLIENT = "azure.mgmt.resource.resources:ResourceManagementClient"


class ResourceGroup(Step):
    key = "resource-group"
    title = "Resource group"
    provides = ("id", "name", "location", "portal")

    def describe(self, names: Names) -> str:
        return f"Resource group {names.resource_group}"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        client = ctx.clients.get(CLIENT)
        try:
            group = client.resource_groups.get(ctx.names.resource_group)
        except ResourceNotFoundError:
            return None
        from wizard.ownership import refuse_foreign

        refuse_foreign(group.name, group.tags, ctx.setup_id, ctx.files_dir.parent)
        if group.location.lower() != ctx.answers.region:
            raise StepError(
                "InvalidResourceGroupLocation",
                f"resource group {group.name} already exists in {group.location}, not {ctx.answers.region}",
                todo=f"Choose region {group.location}, or another resource group name.",
            )
        if group.properties and group.properties.provisioning_state == "Deleting":
            raise StepError("ResourceGroupBeingDeleted", f"resource group {group.name} is being deleted")
        return self.outputs(ctx, group)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(CLIENT)
        ctx.progress(f"PUT resourceGroups/{ctx.names.resource_group}")
        group = client.resource_groups.create_or_update(
            ctx.names.resource_group, {"location": ctx.answers.region, "tags": {**TAGS, SETUP_TAG: ctx.setup_id}}
        )
        return Done(group)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "id": result.id,
            "name": result.name,
            "location": result.location,
            "portal": ctx.cloud.portal_link(result.id),
        }
