"""Workspace-based Application Insights for the ML workspace, writing into the setup's Log Analytics workspace.

Azure refuses classic (workspace-less) components since 29 February 2024, so this step needs the Log Analytics
workspace to exist first: it runs after "log-analytics", beside the storage account and key vault.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS


class AppInsights(ArmResource):
    key = "app-insights"
    title = "Application Insights"
    needs = ("resource-group", "register-providers", "log-analytics")
    provides = ("id", "name", "summary")
    providers = ("Microsoft.Insights",)
    client = "azure.mgmt.applicationinsights:ApplicationInsightsManagementClient"
    collection = "components"
    resource_type = "Microsoft.Insights/components"
    api_version = "2020-02-02"
    long_running = False

    def describe(self, names: Names) -> str:
        return f"Application Insights {names.app_insights} (workspace-based, in {names.log_analytics})"

    def resource_name(self, names: Names) -> str:
        return names.app_insights

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        workspace = (existing.workspace_resource_id or "").lower()
        return super().as_wanted(ctx, existing) and workspace == ctx.outputs["log-analytics"]["id"].lower()

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.applicationinsights.v2020_02_02.models import ApplicationInsightsComponent

        return ApplicationInsightsComponent(
            location=ctx.answers.region,
            tags=TAGS,
            kind="web",
            application_type="web",
            workspace_resource_id=ctx.outputs["log-analytics"]["id"],
            ingestion_mode="LogAnalytics",
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {"id": result.id, "name": result.name, "summary": f"{result.name} (app id {result.app_id})"}
