"""Azure Functions as the scheduler: the app's own storage, a Flex Consumption plan and a Python function app.

Flex Consumption, because Linux Consumption retires on 2028-09-30. The app has a system-assigned identity and
nothing secret in its settings: its host storage is identity-based (``AzureWebJobsStorage__accountName``, the
account refuses shared keys), the deployment container is read as the identity, and the endpoint is called with a
token from the platform's managed identity endpoint. The identity gets Storage Blob Data Owner on that storage
account only (host storage, the deployment package and the run records) and AzureML Data Scientist on the
workspace; the timer stays disabled (``AzureWebJobs.<function>.Disabled``) until both are granted, so no
occurrence fires before it may call. The code itself is deployed by ``functions_deploy``.
"""

from __future__ import annotations

import json
from typing import Any

from wizard.answers import Answers, Scheduler
from wizard.azure import roles
from wizard.names import Names
from wizard.schedule import recurrence
from wizard.schedule.control import TIMER_DISABLED, FunctionsControl
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS

CLIENT = "azure.mgmt.web:WebSiteManagementClient"
STORAGE_CLIENT = "azure.mgmt.storage:StorageManagementClient"
STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
PACKAGE_CONTAINER = "app-package"
RUNS_CONTAINER = "scoring-runs"
PYTHON_VERSION = "3.11"


def chosen(answers: Answers) -> bool:
    return answers.scheduler is Scheduler.FUNCTIONS


def control(ctx: StepContext) -> FunctionsControl:
    return FunctionsControl(ctx.clients, ctx.names, ctx.cloud.connection_verify)


class FunctionApp(Step):
    key = "functions"
    title = "Function app"
    needs = ("resource-group", "register-providers", "workspace", "batch-endpoint", "functions-storage")
    provides = ("id", "plan_id", "name", "principal_id", "portal", "role_assignment", "summary")
    providers = ("Microsoft.Web",)

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return (
            f"Flex Consumption plan {names.functions_plan} and Python function app {names.function_app} with a "
            "system identity, AzureML Data Scientist on the workspace"
        )

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            site = ctx.clients.get(CLIENT).web_apps.get(ctx.names.resource_group, ctx.names.function_app)
            principal = site.identity.principal_id
            roles.existing(ctx.clients, ctx.outputs["functions-storage"]["id"], principal, STORAGE_BLOB_DATA_OWNER)
            assignment = roles.existing(ctx.clients, ctx.outputs["workspace"]["id"], principal)
        except ResourceNotFoundError:
            return None
        if control(ctx).settings() != self._settings(ctx, control(ctx).enabled()):
            return None
        return self.outputs(ctx, (site, {"id": assignment.id}))

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client, group = ctx.clients.get(CLIENT), ctx.names.resource_group
        storage = ctx.outputs["functions-storage"]
        for container in (PACKAGE_CONTAINER, RUNS_CONTAINER):
            ctx.progress(f"PUT blobServices/default/containers/{container}")
            ctx.clients.get(STORAGE_CLIENT).blob_containers.create(group, storage["name"], container, {})
        ctx.progress(f"PUT Microsoft.Web/serverfarms/{ctx.names.functions_plan} (FC1, Linux)")
        plan = client.app_service_plans.begin_create_or_update(
            group, ctx.names.functions_plan, self._plan(ctx)
        ).result()
        ctx.progress(f"PUT Microsoft.Web/sites/{ctx.names.function_app}")
        site = client.web_apps.begin_create_or_update(group, ctx.names.function_app, self._site(ctx, plan.id)).result()
        principal = site.identity.principal_id
        ctx.progress(f"grant Storage Blob Data Owner on {storage['name']}")
        roles.grant(ctx.clients, storage["id"], principal, STORAGE_BLOB_DATA_OWNER)
        scope = ctx.outputs["workspace"]["id"]
        ctx.progress(f"PUT roleAssignments/{roles.assignment_name(scope, principal, roles.AZUREML_DATA_SCIENTIST)}")
        grant = roles.grant(ctx.clients, scope, principal, roles.AZUREML_DATA_SCIENTIST)
        ctx.progress("PUT config/appsettings (timer enabled)")
        self._write_settings(ctx, self._settings(ctx, enabled=True))
        return Done((site, grant))

    def _write_settings(self, ctx: StepContext, settings: dict[str, str]) -> None:
        from azure.mgmt.web.models import StringDictionary

        ctx.clients.get(CLIENT).web_apps.update_application_settings(
            ctx.names.resource_group, ctx.names.function_app, StringDictionary(properties=settings)
        )

    def _settings(self, ctx: StepContext, enabled: bool) -> dict[str, str]:
        """Everything the code reads, none of it secret."""
        endpoint, storage = ctx.outputs["batch-endpoint"], ctx.outputs["functions-storage"]
        return {
            "AzureWebJobsStorage__accountName": storage["name"],
            "SCORING_URI": endpoint["scoring_uri"],
            "SCORING_INPUTS": json.dumps(endpoint["inputs"], sort_keys=True),
            "SCORING_SCHEDULE": recurrence.ncrontab(ctx.answers.recurrence),
            "SCORING_RUNS_CONTAINER_URL": f"{storage['blob_endpoint'].rstrip('/')}/{RUNS_CONTAINER}",
            "WEBSITE_TIME_ZONE": ctx.answers.recurrence.time_zone,
            TIMER_DISABLED: str(not enabled).lower(),
        }

    def _plan(self, ctx: StepContext) -> Any:
        from azure.mgmt.web.models import AppServicePlan, AppServicePlanProperties, SkuDescription

        return AppServicePlan(
            location=ctx.answers.region,
            tags=TAGS,
            kind="functionapp",
            sku=SkuDescription(name="FC1", tier="FlexConsumption"),
            properties=AppServicePlanProperties(reserved=True),
        )

    def _site(self, ctx: StepContext, plan_id: str) -> Any:
        from azure.mgmt.web import models

        package = f"{ctx.outputs['functions-storage']['blob_endpoint'].rstrip('/')}/{PACKAGE_CONTAINER}"
        deployment = models.FunctionsDeployment(
            storage=models.FunctionsDeploymentStorage(
                type="blobContainer",
                value=package,
                authentication=models.FunctionsDeploymentStorageAuthentication(type="SystemAssignedIdentity"),
            )
        )
        config = models.FunctionAppConfig(
            deployment=deployment,
            runtime=models.FunctionsRuntime(name="python", version=PYTHON_VERSION),
            scale_and_concurrency=models.FunctionsScaleAndConcurrency(
                maximum_instance_count=40, instance_memory_mb=2048
            ),
        )
        return models.Site(
            location=ctx.answers.region,
            tags=TAGS,
            kind="functionapp,linux",
            identity=models.ManagedServiceIdentity(type="SystemAssigned"),
            properties=models.SiteProperties(
                server_farm_id=plan_id,
                https_only=True,
                function_app_config=config,
                site_config=models.SiteConfig(min_tls_version="1.2", ftps_state="Disabled"),
            ),
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        site, grant = result
        return {
            "id": site.id,
            "plan_id": site.server_farm_id,
            "name": site.name,
            "principal_id": site.identity.principal_id,
            "portal": ctx.cloud.portal_link(site.id),
            "role_assignment": grant["id"],
            "summary": f"{site.name} on Flex Consumption (identity {site.identity.principal_id})",
        }
