"""The Azure ML workspace, linked to the setup's storage account, key vault and Application Insights.

Created by a direct ARM PUT of Microsoft.MachineLearningServices/workspaces through azure-mgmt-resource's generic
resource operations, as Terraform's azurerm does. Not azure-ai-ml's `workspaces.begin_create`, which deploys a
38 KB ARM template instead of PUTting the workspace; and not azure-mgmt-machinelearningservices, whose latest
release (1.0.1) still speaks api-version 2020-08-01. The workspace gets a system-assigned identity, which later
steps grant roles to.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

WORKSPACE_TYPE = "Microsoft.MachineLearningServices/workspaces"
API_VERSION = "2025-09-01"


class _Workspaces:
    """The generic resource operations addressed by the workspace's id, as ArmResource calls a collection."""

    def __init__(self, resources: Any, subscription_id: str) -> None:
        self._resources = resources
        self._subscription_id = subscription_id

    def _id(self, group: str, name: str) -> str:
        return f"/subscriptions/{self._subscription_id}/resourceGroups/{group}/providers/{WORKSPACE_TYPE}/{name}"

    def get(self, group: str, name: str) -> Any:
        return self._resources.get_by_id(self._id(group, name), api_version=API_VERSION)

    def begin_create_or_update(self, group: str, name: str, body: Any, **kwargs: Any) -> Any:
        return self._resources.begin_create_or_update_by_id(
            self._id(group, name), body, api_version=API_VERSION, **kwargs
        )


class Workspace(ArmResource):
    key = "workspace"
    title = "Azure ML workspace"
    needs = ("resource-group", "register-providers", "storage-account", "key-vault", "log-analytics", "app-insights")
    provides = ("id", "name", "location", "discovery_url", "principal_id", "storage_account_id", "portal", "summary")
    providers = ("Microsoft.MachineLearningServices",)
    client = "azure.mgmt.resource.resources:ResourceManagementClient"
    collection = "resources"
    resource_type = WORKSPACE_TYPE
    api_version = API_VERSION

    def describe(self, names: Names) -> str:
        return (
            f"Azure ML workspace {names.workspace} with {names.storage_account}, {names.key_vault} and "
            f"{names.app_insights}, system-assigned identity"
        )

    def resource_name(self, names: Names) -> str:
        return names.workspace

    def operations(self, ctx: StepContext) -> Any:
        return _Workspaces(super().operations(ctx), ctx.clients.subscription_id)

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        linked = (existing.properties or {}).get("storageAccount", "").lower()
        identity = existing.identity.principal_id if existing.identity else None
        wanted = ctx.outputs["storage-account"]["id"].lower()
        return super().as_wanted(ctx, existing) and linked == wanted and bool(identity)

    def body(self, ctx: StepContext) -> Any:
        return {
            "location": ctx.answers.region,
            "tags": TAGS,
            "identity": {"type": "SystemAssigned"},
            "sku": {"name": "Basic", "tier": "Basic"},
            "kind": "Default",
            "properties": {
                "friendlyName": ctx.names.workspace,
                "storageAccount": ctx.outputs["storage-account"]["id"],
                "keyVault": ctx.outputs["key-vault"]["id"],
                "applicationInsights": ctx.outputs["app-insights"]["id"],
                "hbiWorkspace": False,
                "publicNetworkAccess": "Enabled",
            },
        }

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        properties = result.properties or {}
        return {
            "id": result.id,
            "name": result.name,
            "location": result.location,
            "discovery_url": properties.get("discoveryUrl") or "",
            "principal_id": result.identity.principal_id if result.identity else None,
            "storage_account_id": properties.get("storageAccount") or ctx.outputs["storage-account"]["id"],
            "portal": ctx.cloud.portal_link(result.id),
            "summary": f"{result.name} in {result.location}",
        }
