"""Microsoft.MachineLearningServices as azure-ai-ml 1.35 needs it (see shared/azure-ml-wire).

Workspaces answer 202 + Location and carry ``location``, a ``workspaceId`` and a ``discoveryUrl`` on this
emulator, whose document sends run history here too. Computes, batch endpoints and deployments answer 201 with
Azure-AsyncOperation (a 202 makes azure-ai-ml fail); asset versions (codes, components, data) are synchronous and
their containers come into being with the first version, as the service does. Jobs and the scoring route live in
``ml_jobs.py``.
"""

import uuid
from typing import Any

from wizard.emulator import access, arm, blobs, catalogue, operations, prices
from wizard.emulator.behaviour import (
    ACCEPTED_LOCATION,
    CREATED_ASYNC,
    DELETE_ACCEPTED,
    OK_ASYNC,
    Behaviour,
    Call,
    Put,
    action,
    register,
)
from wizard.emulator.context import Ctx
from wizard.emulator.listing import page
from wizard.emulator.providers import compute_catalogue
from wizard.emulator.routing import route
from wizard.emulator.store import Row
from wizard.emulator.wire import ArmError, Reply, iso

NAMESPACE = "Microsoft.MachineLearningServices"
WORKSPACE_TYPE = f"{NAMESPACE}/workspaces"
COMPUTE_TYPE = f"{WORKSPACE_TYPE}/computes"
WORKSPACE_PATH = (
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.MachineLearningServices"
    "/workspaces/{workspace}"
)
DATASTORE = "workspaceblobstore"
CLUSTER_QUOTA = 24  # dedicated vCPUs per VM family and region, as a new subscription gets


def workspace_row(ctx: Ctx, subscription: str, group: str, workspace: str) -> Row:
    row = ctx.store.get(f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{WORKSPACE_TYPE}/{workspace}")
    if row is None:
        raise ArmError(404, "ResourceNotFound", f"The Resource '{WORKSPACE_TYPE}/{workspace}' was not found.")
    return row


def storage_account_of(workspace: Row) -> str:
    """The name of the workspace's linked storage account (where its datastore and uploads live)."""
    account_id = str((workspace.body.get("properties") or {}).get("storageAccount") or "")
    if not account_id:
        raise ArmError(400, "UserError", "The workspace has no storage account linked.")
    return account_id.rstrip("/").rsplit("/", 1)[-1]


def blob_container(workspace: Row) -> str:
    return f"azureml-blobstore-{workspace.private['workspaceId']}"


@register
class Workspace(Behaviour):
    type = WORKSPACE_TYPE
    on_create = ACCEPTED_LOCATION
    on_delete = DELETE_ACCEPTED
    latency = 20.0
    delete_latency = 10.0
    requires_location = True

    def fill(self, put: Put) -> None:
        put.private.setdefault("workspaceId", str(uuid.uuid4()))
        properties = put.properties
        location = put.resource.get("location") or "eastus"
        storage = properties.get("storageAccount")
        if storage and put.store is not None and put.store.get(str(storage)) is None:
            raise ArmError(
                400, "BadRequest", f"The storage account '{storage}' linked to the workspace could not be found."
            )
        properties.setdefault("friendlyName", put.address.name)
        properties.setdefault("hbiWorkspace", False)
        properties.setdefault("publicNetworkAccess", "Enabled")
        properties.setdefault("allowPublicAccessWhenBehindVnet", False)
        properties.setdefault("imageBuildCompute", None)
        managed_group = f"{put.address.name}_{put.private['workspaceId'].replace('-', '')[:16]}"
        properties["serviceProvisionedResourceGroup"] = managed_group  # where the service keeps its own resources
        properties["privateLinkCount"] = 0
        properties["privateEndpointConnections"] = []
        properties["workspaceId"] = put.private["workspaceId"]
        properties["discoveryUrl"] = f"{put.base_url}/mlregion/{location}/discovery"
        properties["mlFlowTrackingUri"] = f"azureml://{location}.api.azureml.ms/mlflow/v1.0{put.address.id}"
        put.resource.setdefault("sku", {"name": "Basic", "tier": "Basic"})
        put.resource.setdefault("kind", "Default")
        if storage and not put.existing:
            account = str(storage).rstrip("/").rsplit("/", 1)[-1]
            container = f"azureml-blobstore-{put.private['workspaceId']}"
            datastore = {
                "properties": {
                    "datastoreType": "AzureBlob",
                    "accountName": account,
                    "containerName": container,
                    "endpoint": "core.emulator.local",
                    "protocol": "https",
                    "isDefault": True,
                    "credentials": {"credentialsType": "AccountKey"},
                }
            }
            put.add_child("datastores", DATASTORE, datastore)

    @action("listKeys")
    def list_keys(self, call: Call) -> Reply:
        """The secrets of the linked resources the service hands out (the storage account's key among them)."""
        assert call.ctx is not None
        properties = call.resource.get("properties") or {}
        storage = call.ctx.store.get(str(properties.get("storageAccount") or ""))
        insights = call.ctx.store.get(str(properties.get("applicationInsights") or ""))
        return Reply(
            200,
            {
                "userStorageArmId": storage.id if storage else None,
                "userStorageKey": storage.private["keys"]["key1"] if storage and "keys" in storage.private else None,
                "appInsightsInstrumentationKey": insights.private.get("key") if insights else None,
                "containerRegistryCredentials": None,
                "notebookAccessKeys": {"primaryAccessKey": None, "secondaryAccessKey": None},
            },
        )


@register
class Compute(Behaviour):
    type = COMPUTE_TYPE
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED
    latency = 15.0
    delete_latency = 5.0

    def fill(self, put: Put) -> None:
        properties = put.properties
        if properties.get("computeType") != "AmlCompute":
            return
        inner: dict[str, Any] = properties.setdefault("properties", {}) or {}
        properties["properties"] = inner
        size = compute_catalogue.size_named(str(inner.get("vmSize") or "STANDARD_DS3_V2"))
        if size is None:
            raise ArmError(400, "BadRequest", f"The VM size '{inner.get('vmSize')}' is not supported for AmlCompute.")
        scale = inner.setdefault("scaleSettings", {}) or {}
        scale.setdefault("minNodeCount", 0)
        scale.setdefault("maxNodeCount", 4)
        scale.setdefault("nodeIdleTimeBeforeScaleDown", "PT120S")
        inner["scaleSettings"] = scale
        inner.setdefault("vmPriority", "Dedicated")
        inner.update(
            {
                "allocationState": "Steady",
                "allocationStateTransitionTime": iso(put.now),
                "currentNodeCount": 0,
                "targetNodeCount": scale["minNodeCount"],
                "nodeStateCounts": {"idleNodeCount": 0, "runningNodeCount": 0, "preparingNodeCount": 0},
            }
        )
        workspace = put.store.get(put.address.parent) if put.store else None
        location = (workspace.body if workspace else {}).get("location")
        put.resource["location"] = location
        properties.setdefault("computeLocation", location)
        used = _cluster_vcpus(put, size.family, str(location))
        if used + size.vcpus * int(scale["maxNodeCount"]) > CLUSTER_QUOTA:
            raise ArmError(
                400,
                "QuotaExceeded",
                f"Operation results in exceeding quota limits of {size.family}. Maximum allowed: {CLUSTER_QUOTA}, "
                f"current in use: {used}, additional requested: {size.vcpus * int(scale['maxNodeCount'])}.",
            )


def _cluster_vcpus(put: Put, family: str, region: str) -> int:
    """vCPUs other clusters of that family in the region could scale to (quota is charged on max nodes)."""
    assert put.store is not None
    rows = put.store.find(subscription=put.address.subscription, type_=COMPUTE_TYPE)
    return _family_usage(rows, exclude=put.address.key, region=region).get(family, 0)


def _family_usage(rows: list[Row], exclude: str = "", region: str | None = None) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in rows:
        if row.key == exclude or (region and row.body.get("location") != region):
            continue
        inner = (row.body.get("properties") or {}).get("properties") or {}
        size = compute_catalogue.size_named(str(inner.get("vmSize") or ""))
        if size:
            nodes = int((inner.get("scaleSettings") or {}).get("maxNodeCount") or 0)
            found[size.family] = found.get(size.family, 0) + size.vcpus * nodes
    return found


@register
class BatchEndpoint(Behaviour):
    type = f"{WORKSPACE_TYPE}/batchEndpoints"
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED
    latency = 10.0
    delete_latency = 5.0

    def fill(self, put: Put) -> None:
        properties = put.properties
        properties.setdefault("authMode", "AADToken")
        properties.setdefault("defaults", {})
        properties["scoringUri"] = f"{put.base_url}/mlendpoints{put.address.id}/jobs"
        properties["swaggerUri"] = f"{put.base_url}/mlendpoints{put.address.id}/swagger"
        workspace = put.store.get(put.address.parent) if put.store else None
        put.resource.setdefault("location", (workspace.body if workspace else {}).get("location"))


@register
class BatchDeployment(Behaviour):
    type = f"{WORKSPACE_TYPE}/batchEndpoints/deployments"
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED
    latency = 10.0

    def fill(self, put: Put) -> None:
        properties = put.properties
        configuration = properties.get("deploymentConfiguration") or {}
        reference = configuration.get("componentId") or ""
        component = str(reference.get("assetId") or "" if isinstance(reference, dict) else reference)
        pipeline = configuration.get("deploymentConfigurationType") == "PipelineComponent"
        if pipeline and put.store is not None and (not component or put.store.get(component) is None):
            raise ArmError(400, "UserError", f"The pipeline component '{component}' of the deployment was not found.")
        endpoint = put.store.get(put.address.parent) if put.store else None
        put.resource.setdefault("location", (endpoint.body if endpoint else {}).get("location"))


_ASSET_KINDS = ("codes", "components", "data", "environments")


def _ensure_container(ctx: Ctx, address_path: str) -> None:
    """An asset container exists from its first version on (azure-ai-ml never PUTs the container)."""
    if ctx.store.get(address_path) is None:
        segments = address_path.strip("/").split("/")
        workspace = "/" + "/".join(segments[:-2])
        parent = ctx.store.get(workspace)
        if parent is None:
            return  # the generic store answers ParentResourceNotFound
        arm._store_child(ctx, parent, segments[-2], segments[-1], {"properties": {"isArchived": False}})


@route("PUT", WORKSPACE_PATH + "/{kind}/{name}/versions/{version}")
def put_version(ctx: Ctx, subscription: str, group: str, workspace: str, kind: str, name: str, version: str) -> Reply:
    if kind.lower() in _ASSET_KINDS:
        access.require_registered(ctx, subscription, NAMESPACE)
        path = ctx.request.path.rsplit("/versions/", 1)[0]
        _ensure_container(ctx, path)
    return arm.handle(ctx)


@route("GET", WORKSPACE_PATH + "/{kind}/{name}/versions")
def list_versions(ctx: Ctx, subscription: str, group: str, workspace: str, kind: str, name: str) -> Reply:
    """Versions newest first when asked (``$orderBy=createdtime desc``); codes by content hash across names."""
    query = ctx.request.query
    if kind.lower() not in _ASSET_KINDS:
        return arm.handle(ctx)
    access.require_registered(ctx, subscription, NAMESPACE)
    row = workspace_row(ctx, subscription, group, workspace)
    rows = [
        found
        for found in ctx.store.find(subscription=subscription, type_=f"{WORKSPACE_TYPE}/{kind}/versions")
        if found.key.startswith(row.key + "/")
    ]
    wanted_hash = query.get("hash")
    if wanted_hash:
        rows = [
            found
            for found in rows
            if ((found.body.get("properties") or {}).get("properties") or {}).get("hash_sha256") == wanted_hash
        ]
    else:
        rows = [found for found in rows if found.parent == f"{row.key}/{kind}/{name}".lower()]
    if "desc" in query.get("$orderby", "").lower():
        rows.reverse()
    top = int(query.get("$top") or 0)
    items = [operations.render(ctx, found) for found in rows[: top or None]]
    return page(ctx, items)


def _pending_upload(ctx: Ctx, subscription: str, group: str, workspace: str) -> Reply:
    """A fresh container on the workspace's storage account, writable by SAS: where an asset's files go."""
    row = workspace_row(ctx, subscription, group, workspace)
    account = storage_account_of(row)
    container = f"azureml-upload-{uuid.uuid4().hex[:16]}"
    url, sas = blobs.container_url(ctx, account, container, permissions="racwl")
    reference = {
        "blobUri": url,
        "storageAccountArmId": (row.body.get("properties") or {}).get("storageAccount"),
        "credential": {"credentialType": "SAS", "sasUri": f"{url}?{sas}"},
    }
    return Reply(
        200,
        {
            "pendingUploadId": str(uuid.uuid4()),
            "pendingUploadType": "TemporaryBlobReference",
            "blobReferenceForConsumption": reference,
        },
    )


@route("POST", WORKSPACE_PATH + "/{kind}/{name}/versions/{version}/startPendingUpload")
def start_pending_upload(
    ctx: Ctx, subscription: str, group: str, workspace: str, kind: str, name: str, version: str
) -> Reply:
    access.require_registered(ctx, subscription, NAMESPACE)
    if kind.lower() not in ("codes", "data"):
        raise arm.unknown_route(ctx.request.path)
    return _pending_upload(ctx, subscription, group, workspace)


@route("POST", WORKSPACE_PATH + "/datastores/{name}/listSecrets")
def list_datastore_secrets(ctx: Ctx, subscription: str, group: str, workspace: str, name: str) -> Reply:
    """The SAS form of the datastore's secret: data-plane access to its container on this emulator."""
    access.require_registered(ctx, subscription, NAMESPACE)
    row = workspace_row(ctx, subscription, group, workspace)
    _, sas = blobs.container_url(ctx, storage_account_of(row), blob_container(row), permissions="racwl")
    return Reply(200, {"secretsType": "Sas", "sasToken": sas})


@route("GET", "/mlregion/{location}/discovery", arm=False)
def discovery(ctx: Ctx, location: str) -> Reply:
    """Where the workspace's data-plane services are: all of them on this emulator."""
    base = ctx.base_url
    return Reply(
        200,
        {
            "api": base,
            "catalog": base,
            "experimentation": base,
            "history": base,
            "instance": base,
            "modelmanagement": base,
            "pipelines": base,
            "studio": base,
        },
    )


def _family_label(family: str) -> str:
    return f"Standard {family.removeprefix('standard').removesuffix('Family')} Family Cluster Dedicated vCPUs"


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.MachineLearningServices/locations/{location}/usages")
def usages(ctx: Ctx, subscription: str, location: str) -> Reply:
    """Cluster vCPU quota per family and in total, charged at each cluster's maximum node count."""
    access.require_registered(ctx, subscription, NAMESPACE)
    region = _region(location)
    used = _family_usage(ctx.store.find(subscription=subscription, type_=COMPUTE_TYPE), region=region)
    base = f"/subscriptions/{subscription}/providers/{NAMESPACE}/locations/{region}/usages"
    families = sorted({size.family for size in compute_catalogue.SIZES})
    items = [
        _usage(
            f"{base}/totalDedicatedCores",
            "dedicatedCores",
            "Total Cluster Dedicated Regional vCPUs",
            sum(used.values()),
            CLUSTER_QUOTA * 4,
        )
    ] + [
        _usage(f"{base}/{family}", "vmFamily", _family_label(family), used.get(family, 0), CLUSTER_QUOTA)
        for family in families
    ]
    return Reply(200, {"value": items})


def _usage(id_: str, kind: str, label: str, current: int, limit: int) -> dict[str, Any]:
    return {
        "id": id_,
        "type": f"{NAMESPACE}/{kind}/usages",
        "currentValue": current,
        "limit": limit,
        "name": {"value": label, "localizedValue": label},
        "unit": "Count",
    }


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.MachineLearningServices/locations/{location}/vmSizes")
def vm_sizes(ctx: Ctx, subscription: str, location: str) -> Reply:
    access.require_registered(ctx, subscription, NAMESPACE)
    region = _region(location)
    return Reply(
        200,
        {
            "value": [
                {
                    "name": size.name,
                    "family": size.family,
                    "vCPUs": size.vcpus,
                    "gpus": size.gpus,
                    "osVhdSizeMB": 1047552,
                    "maxResourceVolumeMB": size.vcpus * 16384,
                    "memoryGB": size.memory_gb,
                    "lowPriorityCapable": True,
                    "premiumIO": True,
                    "estimatedVMPrices": _estimated_prices(region, size.name),
                    "supportedComputeTypes": ["AmlCompute", "ComputeInstance"],
                }
                for size in compute_catalogue.SIZES
                if region in size.regions
            ]
        },
    )


def _estimated_prices(region: str, size: str) -> dict[str, Any] | None:
    """Hourly pay-as-you-go prices from the retail price sheet; None (as the service answers) when it has none."""
    values = [
        {"retailPrice": item["retailPrice"], "osType": os_type, "vmTier": tier}
        for item in prices.vm_prices(region, size)
        for os_type, tier in [prices.vm_price_kind(item)]
    ]
    return {"billingCurrency": "USD", "unitOfMeasure": "OneHour", "values": values} if values else None


def _region(location: str) -> str:
    found = catalogue.region(location)
    if found is None:
        raise ArmError(404, "LocationNotFound", f"The location '{location}' is not a known region.")
    return found.name
