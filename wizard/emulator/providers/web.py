"""Microsoft.Web: App Service plans and sites; Flex Consumption Python function apps whose deployed code runs.

A plan on a dedicated sku (B1, S1, P1v3, …) and a web app on it are stored as the service shows them; no web app
code runs here. Linux Consumption (Y1) is refused: function apps are Flex Consumption, a Linux (``reserved``)
plan on sku FC1, and a function app must be a Linux one with a Python ``functionAppConfig`` whose deployment
container is reached with the app's system identity. App settings are a
``config/appsettings`` child (read back with a POST ``list``, as their values may be secret); Flex refuses the
settings it manages itself (FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION) and shared-key storage.

The data planes cannot be reached by their real names on loopback, so, as for blobs, a site's host names point
at the emulator: ``{base}/_sites/{site}`` (the app's HTTP triggers, ``/api/{route}``, function key in
``x-functions-key``) and ``{base}/_scm/{site}`` (Kudu: ``POST /api/publish`` with the zip, Entra token for ARM,
and ``GET /api/deployments/{id}``). A publish stores the package in the deployment container, does the remote
build's check (every requirement installed in the interpreter that will run it) and indexes the functions by
running the code (``functions_host.py index``). Invocations run ``functions_host.py invoke`` in a subprocess
with App Service's environment: the app settings, ``IDENTITY_ENDPOINT`` / ``IDENTITY_HEADER`` (served here, the
2019-08-01 protocol, tokens minted for the app's principal) and the emulator's CA as ``REQUESTS_CA_BUNDLE``.
A timer function fires from the ticker on its NCRONTAB schedule (``%SETTING%`` resolved from the app settings,
evaluated in ``WEBSITE_TIME_ZONE``) unless ``AzureWebJobs.<function>.Disabled`` is true.
"""

import io
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import uuid
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter

from wizard.emulator import blobs, catalogue, identity, schedules
from wizard.emulator.behaviour import SYNC_OK, Behaviour, Call, Put, action, register
from wizard.emulator.context import Ctx
from wizard.emulator.providers import authorization
from wizard.emulator.recurrence import UnsupportedRecurrence
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

PLAN_TYPE = "Microsoft.Web/serverfarms"
SITE_TYPE = "Microsoft.Web/sites"
CONFIG_TYPE = "Microsoft.Web/sites/config"
SITE_PATH = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Web/sites/{name}"
HOST = Path(__file__).resolve().parent.parent / "functions_host.py"
INVOKE_SECONDS = 120
MSI_API_VERSION = "2019-08-01"
_PLATFORM_SETTINGS = ("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION")
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_SETTING = re.compile(r"^%(\w+)%$")
_DEPLOY_SUCCESS, _DEPLOY_FAILED = 4, 3  # Kudu's DeployStatus


def _bad(code: str, message: str) -> ArmError:
    return ArmError(400, code, message)


@register
class Plan(Behaviour):
    type = PLAN_TYPE
    on_create = SYNC_OK
    requires_location = True
    echo_location = True

    def fill(self, put: Put) -> None:
        sku = put.resource.get("sku") or {}
        name = str(sku.get("name", "")).upper()
        if name == "FC1":
            if not put.properties.get("reserved"):
                raise _bad("InvalidSku", "A Flex Consumption plan (FC1) must be a Linux plan (reserved).")
            put.resource["sku"] = {"name": "FC1", "tier": "FlexConsumption", "size": "FC1", "family": "FC"}
            put.resource["kind"] = "functionapp"
        elif not name or name.startswith("Y") or str(sku.get("tier", "")).lower() == "dynamic":
            raise _bad("InvalidSku", "Consumption plans are not offered here: use Flex Consumption, a Linux FC1 plan.")
        else:
            put.resource["sku"] = {"tier": _TIERS.get(name[0], "Standard"), "size": name, "family": name[0]}
            put.resource["sku"] |= sku | {"name": name, "capacity": sku.get("capacity", 1)}
            put.resource.setdefault("kind", "linux" if put.properties.get("reserved") else "app")
        put.properties.update(
            status="Ready",
            maximumNumberOfWorkers=put.properties.get("maximumNumberOfWorkers", 20),
            geoRegion=_display_name(str(put.resource.get("location"))),
            numberOfSites=0,
            reserved=bool(put.properties.get("reserved")),
            targetWorkerCount=0,
            targetWorkerSizeId=0,
            asyncScalingEnabled=False,
        )


_TIERS = {"B": "Basic", "S": "Standard", "P": "Premium", "I": "Isolated"}


def _display_name(location: str) -> str:
    """A plan's geoRegion: its region's display name ("East US") whichever form the location was sent in."""
    region = catalogue.region(location)
    return region.display_name if region else location


def _host(base_url: str, prefix: str, name: str) -> str:
    return f"{base_url.removeprefix('https://')}/{prefix}/{name}"


def _plan(put: Put) -> Row:
    """The site's plan: the one it names, or on an update that names none, the one it is on."""
    plan_id = str(
        put.properties.get("serverFarmId") or ((put.existing or {}).get("properties") or {}).get("serverFarmId") or ""
    )
    plan = None if put.store is None else put.store.get(plan_id.lower())
    if plan is None or plan.type.lower() != PLAN_TYPE.lower():
        raise ArmError(404, "NotFound", f"The server farm '{plan_id}' was not found.")
    put.properties["serverFarmId"] = plan.id
    return plan


def _check_function_app(put: Put, plan: Row) -> None:
    kind = str(put.resource.get("kind") or "").lower()
    if "functionapp" not in kind or "linux" not in kind:
        raise _bad("BadRequest", "A site on a Flex Consumption plan must be a Linux function app (functionapp,linux).")
    if (plan.body.get("sku") or {}).get("name") != "FC1":
        raise _bad("BadRequest", "functionAppConfig is for Flex Consumption: the app's plan must be on sku FC1.")
    config = put.properties.get("functionAppConfig") or {}
    runtime = config.get("runtime") or {}
    storage = (config.get("deployment") or {}).get("storage") or {}
    if str(runtime.get("name", "")).lower() != "python" or not runtime.get("version"):
        raise _bad("BadRequest", "functionAppConfig.runtime must name python and its version.")
    if storage.get("type") != "blobContainer" or not str(storage.get("value", "")).startswith("https://"):
        raise _bad("BadRequest", "functionAppConfig.deployment.storage must be a blobContainer URL.")
    if (storage.get("authentication") or {}).get("type") != "SystemAssignedIdentity":
        raise _bad("BadRequest", "The deployment storage is read with the app's system-assigned identity here.")
    if identity.principal_of(put.resource) is None:
        raise _bad("BadRequest", "functionAppConfig.deployment uses SystemAssignedIdentity, but the app has none.")


@register
class Site(Behaviour):
    type = SITE_TYPE
    on_create = SYNC_OK
    requires_location = True
    echo_location = True

    def fill(self, put: Put) -> None:
        name = str(put.address.name)
        if put.taken(SITE_TYPE, name):
            raise ArmError(409, "Conflict", f"Website with given name {name} already exists.")
        plan = _plan(put)
        flex = (plan.body.get("sku") or {}).get("name") == "FC1" or "functionAppConfig" in put.properties
        if flex:
            _check_function_app(put, plan)
        put.resource.setdefault("kind", "app")
        put.properties.update(_shown_site(put, plan))
        put.private.setdefault("functionKey", secrets.token_urlsafe(40))
        put.private.setdefault("masterKey", secrets.token_urlsafe(40))
        put.private.setdefault("identityHeader", secrets.token_urlsafe(24))
        put.private["baseUrl"] = put.base_url or put.private.get("baseUrl", "")
        default_host = _host(put.private["baseUrl"], "_sites", name)
        put.properties.update(
            state="Running",
            sku=(plan.body.get("sku") or {}).get("tier"),
            hostNames=[default_host],
            defaultHostName=default_host,
            enabledHostNames=[default_host, _host(put.private["baseUrl"], "_scm", name)],
            hostNameSslStates=[
                {"name": default_host, "hostType": "Standard", "sslState": "Disabled"},
                {"name": _host(put.private["baseUrl"], "_scm", name), "hostType": "Repository", "sslState": "Disabled"},
            ],
        )


def _shown_site(put: Put, plan: Row) -> dict[str, Any]:
    """What the service fills in on every site; App Service shows an unset setting as null rather than not."""
    properties = put.properties
    return {
        "repositorySiteName": put.address.name,
        "usageState": "Normal",
        "enabled": properties.get("enabled", True),
        "availabilityState": "Normal",
        "reserved": bool((plan.body.get("properties") or {}).get("reserved")),
        "isXenon": False,
        "hyperV": False,
        "lastModifiedTimeUtc": iso(put.now),
        "outboundVnetRouting": dict.fromkeys(_ROUTED_TRAFFIC, False) | (properties.get("outboundVnetRouting") or {}),
        "siteConfig": _SITE_CONFIG | (properties.get("siteConfig") or {}) | {"appSettings": None},
        "scmSiteAlsoStopped": properties.get("scmSiteAlsoStopped", False),
        "clientAffinityEnabled": properties.get("clientAffinityEnabled", "functionAppConfig" not in properties),
        "clientAffinityProxyEnabled": properties.get("clientAffinityProxyEnabled", False),
        "clientCertEnabled": properties.get("clientCertEnabled", False),
        "clientCertMode": properties.get("clientCertMode", "Required"),
        "hostNamesDisabled": properties.get("hostNamesDisabled", False),
        "customDomainVerificationId": put.private.setdefault("verificationId", secrets.token_hex(32).upper()),
        "outboundIpAddresses": ",".join(_OUTBOUND[:2]),
        "possibleOutboundIpAddresses": ",".join(_OUTBOUND),
        "containerSize": 2048 if "functionAppConfig" in properties else 0,
        "dailyMemoryTimeQuota": 0,
        "resourceGroup": put.address.resource_group,
        "httpsOnly": properties.get("httpsOnly", False),
        "redundancyMode": "None",
        "publicNetworkAccess": properties.get("publicNetworkAccess", "Enabled"),
        "storageAccountRequired": False,
        "keyVaultReferenceIdentity": properties.get("keyVaultReferenceIdentity", "SystemAssigned"),
        "workloadProfileName": properties.get("workloadProfileName"),
        "resourceConfig": properties.get("resourceConfig"),
    }


_ROUTED_TRAFFIC = (
    "allTraffic",
    "applicationTraffic",
    "contentShareTraffic",
    "imagePullTraffic",
    "backupRestoreTraffic",
)
_SITE_CONFIG = {"numberOfWorkers": 1, "alwaysOn": False, "http20Enabled": False, "minTlsVersion": "1.2"}
_OUTBOUND = ["192.0.2.20", "192.0.2.21", "192.0.2.22", "192.0.2.23"]  # a documentation range: loopback is all


@register
class Config(Behaviour):
    type = CONFIG_TYPE
    on_create = SYNC_OK
    provisioning_state = False

    def fill(self, put: Put) -> None:
        if put.address.name != "appsettings":
            raise _bad("BadRequest", f"The configuration '{put.address.name}' is not served here.")
        settings = put.properties
        refused = [key for key in settings if key.upper() in _PLATFORM_SETTINGS]
        if refused:
            raise _bad("BadRequest", f"Flex Consumption sets {', '.join(refused)} itself: remove them.")
        if "AccountKey=" in str(settings.get("AzureWebJobsStorage", "")):
            raise _bad("BadRequest", "This app's storage is identity-based: use AzureWebJobsStorage__accountName.")
        if put.store is not None:
            site = put.store.get(put.address.parent.lower())
            put.resource["kind"] = site.body.get("kind") if site else None  # the settings carry their site's kind
            schedules.restart(put.store, put.address.parent.lower())

    @action("list")
    def list_settings(self, call: Call) -> Reply:
        return Reply(200, call.resource)


def _site(store: Store, name: str) -> Row:
    rows = store.find(type_=SITE_TYPE, name=name)
    if not rows:
        raise ArmError(404, "NotFound", f"The site '{name}' was not found.")
    return rows[0]


def _settings(store: Store, site: Row) -> dict[str, str]:
    row = store.get(f"{site.key}/config/appsettings")
    return dict((row.body.get("properties") or {}) if row else {})


def _app_dir(store: Store, site: Row) -> Path:
    return store.path.parent / "functions" / site.body["name"] / "wwwroot"


@route("POST", SITE_PATH + "/host/default/listkeys", type_=SITE_TYPE)
def list_host_keys(ctx: Ctx, subscription: str, group: str, name: str) -> Reply:
    caller = identity.authenticate(ctx)
    site = _site(ctx.store, name)
    if not authorization.allows(ctx, caller.principal_id, site.id, "Microsoft.Web/sites/host/listkeys/action"):
        raise ArmError(
            403, "AuthorizationFailed", f"The client '{caller.principal_id}' may not list the keys of {name}."
        )
    keys = site.private
    return Reply(200, {"masterKey": keys["masterKey"], "functionKeys": {"default": keys["functionKey"]}})


def _environment(store: Store, site: Row) -> dict[str, str]:
    """What App Service puts in a worker's environment: the app settings, the identity endpoint, the site."""
    base = site.private["baseUrl"]
    return _settings(store, site) | {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(store.path.parent / "functions" / site.body["name"]),
        "WEBSITE_SITE_NAME": site.body["name"],
        "FUNCTIONS_WORKER_RUNTIME": "python",
        "IDENTITY_ENDPOINT": f"{base}/_msi/{site.body['name']}/token",
        "IDENTITY_HEADER": site.private["identityHeader"],
        "REQUESTS_CA_BUNDLE": str(store.path.parent / "ca.pem"),
        "SSL_CERT_FILE": str(store.path.parent / "ca.pem"),
    }


def _host_run(store: Store, site: Row, *arguments: str, stdin: str = "") -> dict[str, Any] | list[Any]:
    done = subprocess.run(
        [sys.executable, str(HOST), arguments[0], str(_app_dir(store, site)), *arguments[1:]],
        input=stdin,
        capture_output=True,
        text=True,
        env=_environment(store, site),
        timeout=INVOKE_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise ArmError(500, "FunctionInvocationFailed", done.stderr.strip().splitlines()[-1] if done.stderr else "")
    return json.loads(done.stdout.strip().splitlines()[-1])


@route("GET", "/_msi/{name}/token", arm=False)
def managed_identity_token(ctx: Ctx, name: str) -> Reply:
    """App Service's managed identity endpoint (2019-08-01): the app's token, for the header holder only."""
    site = _site(ctx.store, name)
    query = ctx.request.query
    if ctx.request.headers.get("X-IDENTITY-HEADER") != site.private["identityHeader"]:
        raise ArmError(401, "Unauthorized", "The X-IDENTITY-HEADER header is missing or wrong.")
    if query.get("api-version") != MSI_API_VERSION or not query.get("resource"):
        raise ArmError(400, "BadRequest", f"resource and api-version={MSI_API_VERSION} are required.")
    principal = identity.principal_of(site.body) or ""
    expires = ctx.now + ctx.token_lifetime
    token = identity.mint(ctx.store, ctx.now, principal_id=principal, client_id=principal, audience=query["resource"])
    body = {"access_token": token, "expires_on": str(int(expires)), "resource": query["resource"]}
    return Reply(200, body | {"token_type": "Bearer", "client_id": principal})


def _requirements_missing(app_dir: Path) -> list[str]:
    """The remote build: every requirement must be installable; here, installed for the host's interpreter."""
    lines = (app_dir / "requirements.txt").read_text().splitlines() if (app_dir / "requirements.txt").exists() else []
    names = [m[1] for line in lines if not line.lstrip().startswith("#") and (m := _REQUIREMENT.match(line))]
    missing = []
    for name in names:
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
    return missing


def _deploy(ctx: Ctx, site: Row, package: bytes) -> tuple[int, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(package))
    except zipfile.BadZipFile:
        return _DEPLOY_FAILED, "The package is not a zip file."
    if not {"function_app.py", "host.json"} <= set(archive.namelist()):
        return _DEPLOY_FAILED, "The package has no function_app.py and host.json at its root."
    storage = ((site.body["properties"].get("functionAppConfig") or {}).get("deployment") or {}).get("storage") or {}
    account, container = str(storage["value"]).rstrip("/").rsplit("/", 2)[-2:]
    blobs.write(ctx.store, account, container, "released-package.zip", package, "application/zip")
    app_dir = _app_dir(ctx.store, site)
    app_dir.mkdir(parents=True, exist_ok=True)
    archive.extractall(app_dir)
    if missing := _requirements_missing(app_dir):
        return _DEPLOY_FAILED, f"Remote build failed: could not install {', '.join(missing)}."
    try:
        site.private["functions"] = _host_run(ctx.store, site, "index")
    except ArmError as error:
        return _DEPLOY_FAILED, f"Indexing the functions failed: {error.message}"
    ctx.store.put(site)
    schedules.restart(ctx.store, site.key)
    return _DEPLOY_SUCCESS, "Deployment successful."


@route("POST", "/_scm/{name}/api/publish", arm=False)
def publish(ctx: Ctx, name: str) -> Reply:
    caller = identity.authenticate(ctx)
    site = _site(ctx.store, name)
    if not authorization.allows(ctx, caller.principal_id, site.id, "Microsoft.Web/sites/publish/Action"):
        raise ArmError(403, "Forbidden", f"The client '{caller.principal_id}' may not publish to '{name}'.")
    status, message = _deploy(ctx, site, ctx.request.body)
    deployment = str(uuid.uuid4())
    site = _site(ctx.store, name)
    site.private.setdefault("deployments", {})[deployment] = {
        "id": deployment,
        "status": status,
        "complete": True,
        "status_text": message,
        "remote_build": ctx.request.query.get("remotebuild", "false").lower() == "true",
    }
    ctx.store.put(site)
    location = f"{ctx.base_url}/_scm/{name}/api/deployments/{deployment}"
    return Reply(202, None, {"Location": location})


@route("GET", "/_scm/{name}/api/deployments/{deployment}", arm=False)
def deployment_status(ctx: Ctx, name: str, deployment: str) -> Reply:
    identity.authenticate(ctx)
    found = (_site(ctx.store, name).private.get("deployments") or {}).get(deployment)
    if found is None:
        raise ArmError(404, "NotFound", f"Deployment '{deployment}' not found.")
    return Reply(200, found)


def _disabled(settings: dict[str, str], function: str) -> bool:
    return settings.get(f"AzureWebJobs.{function}.Disabled", "").lower() in ("true", "1")


def _http_function(site: Row, route_name: str, method: str) -> str:
    for function in site.private.get("functions") or []:
        trigger = function["bindings"][0]
        methods = [m.upper() for m in trigger.get("methods") or [method]]
        routed = (trigger.get("route") or function["name"]) == route_name
        if trigger["type"] == "httpTrigger" and routed and method.upper() in methods:
            return str(function["name"])
    raise ArmError(404, "NotFound", f"No HTTP function answers {method} /api/{route_name}.")


@route("GET POST", "/_sites/{name}/api/{route_name}", arm=False)
def invoke_http(ctx: Ctx, name: str, route_name: str) -> Reply:
    site = _site(ctx.store, name)
    key = ctx.request.headers.get("x-functions-key") or ctx.request.query.get("code") or ""
    if key not in (site.private["functionKey"], site.private["masterKey"]):
        return Reply(401, b"", {"Content-Length": "0"})
    function = _http_function(site, route_name, ctx.request.method)
    if _disabled(_settings(ctx.store, site), function):
        raise ArmError(404, "NotFound", f"The function '{function}' is disabled.")
    invocation = {"method": ctx.request.method, "params": ctx.request.query, "body": ctx.request.body.decode()}
    answer = _host_run(ctx.store, site, "invoke", function, stdin=json.dumps(invocation))
    assert isinstance(answer, dict)
    return Reply(int(answer["status"]), str(answer["body"]).encode(), {"Content-Type": "application/json"})


def _timer(site: Row, settings: dict[str, str]) -> tuple[str, str] | None:
    """(function, NCRONTAB) of the site's timer function, resolved from its app settings."""
    for function in site.private.get("functions") or []:
        trigger = function["bindings"][0]
        if trigger["type"] == "timerTrigger":
            schedule = str(trigger["schedule"])
            setting = _SETTING.match(schedule)
            return str(function["name"]), settings.get(setting[1], "") if setting else schedule
    return None


def _running_timer(store: Store, site: Row) -> dict[str, Any] | None:
    settings = _settings(store, site)
    timer = _timer(site, settings)
    if site.body["properties"].get("state") != "Running" or timer is None or _disabled(settings, timer[0]):
        return None
    return {"function": timer[0], "ncrontab": timer[1], "timeZone": settings.get("WEBSITE_TIME_ZONE") or "UTC"}


def ncrontab_times(recurrence: dict[str, Any], n: int, after: datetime) -> list[datetime]:
    """The Functions host's reading: six fields, seconds first, on the wall clock of WEBSITE_TIME_ZONE."""
    try:
        zone = ZoneInfo(recurrence["timeZone"])
        times = croniter(recurrence["ncrontab"], after.astimezone(zone), second_at_beginning=True)
    except (ValueError, KeyError) as error:
        raise UnsupportedRecurrence(f"The timer schedule '{recurrence['ncrontab']}' is not valid: {error}") from None
    return [times.get_next(datetime).astimezone(UTC) for _ in range(n)]


_TIMERS_RUNNING: set[str] = set()
_TIMERS_LOCK = threading.Lock()


def _fire(store: Store, now: float, _latency_scale: float, site: Row, scheduled: datetime) -> None:
    """One timer invocation, unless the last is still running: the host never overlaps a timer function."""
    recurrence = _running_timer(store, site)
    if recurrence is None:
        return
    with _TIMERS_LOCK:
        if site.key in _TIMERS_RUNNING:
            return
        _TIMERS_RUNNING.add(site.key)

    def invoke() -> None:
        try:
            _host_run(store, site, "invoke", recurrence["function"], stdin="{}")
        except ArmError:  # the host logs a failed invocation and fires again next time; runs show the rest
            pass
        finally:
            with _TIMERS_LOCK:
                _TIMERS_RUNNING.discard(site.key)

    store.in_background(invoke)


schedules.register(schedules.Schedule(SITE_TYPE, _running_timer, _fire, ncrontab_times))
