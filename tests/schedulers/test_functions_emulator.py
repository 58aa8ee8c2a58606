"""Functions in the emulator through azure-mgmt-web: Flex Consumption only, the deployed code really runs as the
app's identity (azure-identity's own ManagedIdentityCredential against the App Service endpoint), and the timer
fires on its NCRONTAB schedule unless the host's Disabled setting is on."""

import time

import pytest
import requests
from azure.core.exceptions import HttpResponseError
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.authorization.models import RoleAssignmentCreateParameters
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.web import WebSiteManagementClient
from azure.mgmt.web import models as web

from tests.providers import register
from wizard.emulator import DEMO
from wizard.schedule.control import TIMER_DISABLED
from wizard.steps.schedulers.functions import STORAGE_BLOB_DATA_OWNER
from wizard.steps.schedulers.functions_deploy import package

GROUP, PLAN, APP, ACCOUNT = "rg-func", "plan", "func-demo", "funcdemost"


def _plan(sku: str = "FC1") -> web.AppServicePlan:
    return web.AppServicePlan(
        location="westeurope",
        sku=web.SkuDescription(name=sku),
        properties=web.AppServicePlanProperties(reserved=True),
    )


def _site(plan_id: str, blob: str, runtime: str = "python") -> web.Site:
    storage = web.FunctionsDeploymentStorage(
        type="blobContainer",
        value=f"{blob}app-package",
        authentication=web.FunctionsDeploymentStorageAuthentication(type="SystemAssignedIdentity"),
    )
    return web.Site(
        location="westeurope",
        kind="functionapp,linux",
        identity=web.ManagedServiceIdentity(type="SystemAssigned"),
        properties=web.SiteProperties(
            server_farm_id=plan_id,
            https_only=True,
            function_app_config=web.FunctionAppConfig(
                deployment=web.FunctionsDeployment(storage=storage),
                runtime=web.FunctionsRuntime(name=runtime, version="3.11"),
            ),
        ),
    )


@pytest.fixture
def webapps(make_client) -> WebSiteManagementClient:
    resources = make_client(ResourceManagementClient)
    register(resources, "Microsoft.Web", "Microsoft.Storage")
    resources.resource_groups.create_or_update(GROUP, {"location": "westeurope"})
    return make_client(WebSiteManagementClient)


@pytest.fixture
def app(webapps, make_client, scoring, emulator, arm_credential):
    """A deployed app whose identity may write its run records and, through ``scoring.allowed``, score."""
    account = (
        make_client(StorageManagementClient)
        .storage_accounts.begin_create(
            GROUP, ACCOUNT, {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
        )
        .result()
    )
    plan = webapps.app_service_plans.begin_create_or_update(GROUP, PLAN, _plan()).result()
    site = webapps.web_apps.begin_create_or_update(GROUP, APP, _site(plan.id, account.primary_endpoints.blob)).result()
    principal = site.identity.principal_id
    make_client(AuthorizationManagementClient).role_assignments.create(
        account.id,
        "3f1c6c55-9c2e-4c8e-9a44-0d3c2b1a7e01",
        RoleAssignmentCreateParameters(
            role_definition_id=f"/subscriptions/{DEMO.subscription_id}/providers/Microsoft.Authorization/"
            f"roleDefinitions/{STORAGE_BLOB_DATA_OWNER}",
            principal_id=principal,
            principal_type="ServicePrincipal",
        ),
    )
    settings = {
        "AzureWebJobsStorage__accountName": ACCOUNT,
        "SCORING_URI": scoring.url,
        "SCORING_INPUTS": '{"batch_size": 50}',
        "SCORING_SCHEDULE": "0 0 3 15 * *",  # monthly: never due during a test unless changed
        "SCORING_RUNS_CONTAINER_URL": f"{account.primary_endpoints.blob}scoring-runs",
        "WEBSITE_TIME_ZONE": "Europe/Paris",
    }
    webapps.web_apps.update_application_settings(GROUP, APP, web.StringDictionary(properties=settings))
    scm = next(state.name for state in site.properties.host_name_ssl_states if state.host_type == "Repository")
    token = arm_credential.get_token("https://management.azure.com/.default").token
    published = requests.post(
        f"https://{scm}/api/publish?RemoteBuild=true",
        data=package(),
        headers={"Authorization": f"Bearer {token}"},
        verify=str(emulator.ca_path),
        timeout=60,
    )
    assert published.status_code == 202
    status = requests.get(
        published.headers["Location"], headers={"Authorization": f"Bearer {token}"}, verify=str(emulator.ca_path)
    )
    assert status.json()["status"] == 4, status.json()
    return site


def _call(webapps: WebSiteManagementClient, emulator, method: str, route: str, key: str | None = "default", **params):
    host = webapps.web_apps.get(GROUP, APP).properties.default_host_name
    keys = webapps.web_apps.list_host_keys(GROUP, APP).function_keys
    headers = {"x-functions-key": keys[key]} if key else {}
    return requests.request(
        method, f"https://{host}/api/{route}", params=params, headers=headers, verify=str(emulator.ca_path), timeout=60
    )


def test_only_flex_consumption_python_apps_and_settings_flex_allows_are_accepted(webapps, make_client):
    with pytest.raises(HttpResponseError, match="FC1"):
        webapps.app_service_plans.begin_create_or_update(GROUP, PLAN, _plan("Y1")).result()
    plan = webapps.app_service_plans.begin_create_or_update(GROUP, PLAN, _plan()).result()
    with pytest.raises(HttpResponseError, match="python"):
        webapps.web_apps.begin_create_or_update(GROUP, APP, _site(plan.id, "https://x/", "node")).result()
    webapps.web_apps.begin_create_or_update(GROUP, APP, _site(plan.id, "https://x/")).result()
    with pytest.raises(HttpResponseError, match="FUNCTIONS_WORKER_RUNTIME"):
        webapps.web_apps.update_application_settings(
            GROUP, APP, web.StringDictionary(properties={"FUNCTIONS_WORKER_RUNTIME": "python"})
        )


def test_the_identity_endpoint_answers_the_header_holder_only(app, emulator):
    row = emulator.store.find(type_="Microsoft.Web/sites", name=APP)[0]
    endpoint = f"{row.private['baseUrl']}/_msi/{APP}/token"
    query = {"resource": "https://ml.azure.com", "api-version": "2019-08-01"}
    refused = requests.get(endpoint, params=query, verify=str(emulator.ca_path), timeout=10)
    assert refused.status_code == 401
    answer = requests.get(
        endpoint,
        params=query,
        headers={"X-IDENTITY-HEADER": row.private["identityHeader"]},
        verify=str(emulator.ca_path),
        timeout=10,
    ).json()
    record = emulator.store.token(answer["access_token"])
    assert record.principal_id == app.identity.principal_id and record.audience == "https://ml.azure.com"


def test_run_now_needs_the_function_key_and_calls_as_the_app_identity(app, webapps, scoring, emulator):
    assert _call(webapps, emulator, "POST", "run", key=None).status_code == 401
    scoring.allowed.add(app.identity.principal_id)
    record = _call(webapps, emulator, "POST", "run").json()
    assert record["status"] == "Succeeded" and record["job"].startswith("batchjob-")
    assert scoring.calls == [{"body": {"batch_size": 50}, "principal": app.identity.principal_id}]

    scoring.allowed.clear()
    failed = _call(webapps, emulator, "POST", "run").json()
    assert failed["status"] == "Failed" and failed["http_status"] == 403
    runs = _call(webapps, emulator, "GET", "runs", count="5").json()
    assert [run["run_id"] for run in runs] == [failed["run_id"], record["run_id"]]


def test_the_timer_fires_on_its_schedule_unless_disabled(app, webapps, scoring, emulator):
    scoring.allowed.add(app.identity.principal_id)
    settings = webapps.web_apps.list_application_settings(GROUP, APP).properties
    every_minute = settings | {"SCORING_SCHEDULE": "0 * * * * *", TIMER_DISABLED: "true"}
    webapps.web_apps.update_application_settings(GROUP, APP, web.StringDictionary(properties=every_minute))
    time.sleep(1.5)  # two minutes come due at the tests' latency scale, disabled
    assert scoring.calls == []

    every_minute[TIMER_DISABLED] = "false"
    webapps.web_apps.update_application_settings(GROUP, APP, web.StringDictionary(properties=every_minute))
    deadline = time.monotonic() + 30
    while not scoring.calls:
        assert time.monotonic() < deadline, "an enabled every-minute timer did not fire"
        time.sleep(0.1)
    assert scoring.calls[0]["principal"] == app.identity.principal_id
