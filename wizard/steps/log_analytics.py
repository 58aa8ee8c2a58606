"""The Log Analytics workspace that Application Insights writes to (classic Application Insights is retired).

Pay-as-you-go (PerGB2018) with the free 30 days of retention: a scoring pipeline's telemetry is small.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS


class LogAnalytics(ArmResource):
    key = "log-analytics"
    title = "Log Analytics workspace"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "summary")
    providers = ("Microsoft.OperationalInsights",)
    client = "azure.mgmt.loganalytics:LogAnalyticsManagementClient"
    collection = "workspaces"
    resource_type = "Microsoft.OperationalInsights/workspaces"
    api_version = "2025-07-01"

    def describe(self, names: Names) -> str:
        return f"Log Analytics workspace {names.log_analytics} (PerGB2018, 30 days)"

    def resource_name(self, names: Names) -> str:
        return names.log_analytics

    def body(self, ctx: StepContext) -> Any:
        return {
            "location": ctx.answers.region,
            "tags": TAGS,
            "properties": {"sku": {"name": "PerGB2018"}, "retentionInDays": 30},
        }

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {"id": result.id, "name": result.name, "summary": f"{result.name} ({result.properties.customer_id})"}
