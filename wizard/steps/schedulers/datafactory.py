"""Data Factory as the scheduler, first step: the factory, with the system-assigned identity that will call the
batch endpoint (datafactory_schedule gives it its pipeline, role and trigger; datafactory_verify runs it once)."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers, Scheduler
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

CLIENT = "azure.mgmt.datafactory:DataFactoryManagementClient"


def chosen(answers: Answers) -> bool:
    return answers.scheduler is Scheduler.DATA_FACTORY


class DataFactory(ArmResource):
    key = "datafactory"
    title = "Data Factory"
    needs = ("resource-group", "register-providers", "workspace", "batch-endpoint")
    provides = ("id", "name", "principal_id", "portal", "summary")
    providers = ("Microsoft.DataFactory",)
    client = CLIENT
    collection = "factories"
    resource_type = "Microsoft.DataFactory/factories"
    api_version = "2018-06-01"
    long_running = False

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Data Factory {names.data_factory} with a system-assigned identity"

    def resource_name(self, names: Names) -> str:
        return names.data_factory

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.datafactory.models import Factory, FactoryIdentity

        return Factory(location=ctx.answers.region, tags=TAGS, identity=FactoryIdentity(type="SystemAssigned"))

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        return existing.identity is not None and bool(existing.identity.principal_id)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "id": result.id,
            "name": result.name,
            "principal_id": result.identity.principal_id,
            "portal": ctx.cloud.portal_link(result.id),
            "summary": f"{result.name} (identity {result.identity.principal_id})",
        }
