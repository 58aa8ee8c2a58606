"""`scoring-wizard state create`: the storage account and container shared setups live in, made for that alone.

A shared checkpoint is read and written with Entra tokens only, so the account allows no shared-key access (no
account key can leak), only HTTPS and TLS 1.2, and no anonymous blob access; soft delete keeps a deleted
checkpoint or a pruned version for a week. Whoever runs this gets Storage Blob Data Contributor on the container
alone (not the account, not the group): exactly what `run --state` and the `state` commands need. It lives in a
resource group of its own, because it outlives the setups in it: `destroy` removes a setup, never its state.
Every call is a PUT or a read, so running it again changes nothing.
"""

from __future__ import annotations

import time

from wizard.azure import roles
from wizard.blob_state import Location
from wizard.checkpoint import CheckpointError
from wizard.connect import Connection

SOFT_DELETE_DAYS = 7
TAGS = {"created-by": "scoring-wizard", "scoring-wizard-purpose": "shared-state"}
RESOURCES = "azure.mgmt.resource.resources:ResourceManagementClient"
STORAGE = "azure.mgmt.storage:StorageManagementClient"
NAMESPACE = "Microsoft.Storage"


def create(connection: Connection, location: Location, *, resource_group: str, region: str) -> list[str]:
    """Make (or keep) the group, account, container and role; the lines say what was done."""
    from azure.core.exceptions import ResourceNotFoundError

    clients = connection.clients
    resources = clients.get(RESOURCES)
    done = [_group(resources, resource_group, region), _registered(resources)]
    storage = clients.get(STORAGE)
    try:
        account = storage.storage_accounts.get_properties(resource_group, location.account)
        done.append(f"storage account {location.account}: kept as it is")
    except ResourceNotFoundError:
        account = _new_account(storage, resource_group, location.account, region)
        done.append(f"storage account {location.account}: created (HTTPS only, TLS 1.2, no keys, no public access)")
    _soft_delete(storage, resource_group, location.account)
    done.append(f"soft delete: on, {SOFT_DELETE_DAYS} days, for blobs (and their kept versions) and the container")
    done.append(_container(storage, resource_group, location))
    scope = f"{account.id}/blobServices/default/containers/{location.container}"
    principal_id, principal_type = roles.signed_in(clients)
    roles.grant(clients, scope, principal_id, roles.STORAGE_BLOB_DATA_CONTRIBUTOR, principal_type)
    done.append(
        f"Storage Blob Data Contributor on the container for you ({principal_type} {principal_id}); "
        "a new role can take a few minutes to apply"
    )
    return done


def _group(resources, name: str, region: str) -> str:
    if resources.resource_groups.check_existence(name):
        return f"resource group {name}: kept"
    resources.resource_groups.create_or_update(name, {"location": region, "tags": TAGS})
    return f"resource group {name}: created in {region}"


def _registered(resources, wait_seconds: float = 300) -> str:
    """Microsoft.Storage registered: the SDK registers by itself only for calls that are not long-running."""
    state = resources.providers.get(NAMESPACE).registration_state
    if state == "Registered":
        return f"{NAMESPACE}: registered"
    resources.providers.register(NAMESPACE)
    deadline = time.monotonic() + wait_seconds
    while resources.providers.get(NAMESPACE).registration_state != "Registered":
        if time.monotonic() > deadline:
            raise CheckpointError(f"{NAMESPACE} is still not registered after {wait_seconds:.0f} s; run again later")
        time.sleep(1)
    return f"{NAMESPACE}: registered now"


def _new_account(storage, resource_group: str, name: str, region: str):
    from azure.mgmt.storage.models import Sku, StorageAccountCreateParameters

    available = storage.storage_accounts.check_name_availability(
        {"name": name, "type": "Microsoft.Storage/storageAccounts"}
    )
    if not available.name_available:
        raise CheckpointError(
            f"storage account name {name!r} is not available ({available.message}); if it is yours, pass the "
            "resource group it is in with --resource-group, else choose another name in the blob:// address"
        )
    parameters = StorageAccountCreateParameters(
        sku=Sku(name="Standard_LRS"),
        kind="StorageV2",
        location=region,
        tags=TAGS,
        enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2",
        allow_blob_public_access=False,
        allow_shared_key_access=False,
    )
    return storage.storage_accounts.begin_create(resource_group, name, parameters).result()


def _soft_delete(storage, resource_group: str, account: str) -> None:
    from azure.mgmt.storage.models import BlobServiceProperties, DeleteRetentionPolicy

    keep = DeleteRetentionPolicy(enabled=True, days=SOFT_DELETE_DAYS)
    properties = BlobServiceProperties(delete_retention_policy=keep, container_delete_retention_policy=keep)
    storage.blob_services.set_service_properties(resource_group, account, properties)


def _container(storage, resource_group: str, location: Location) -> str:
    from azure.core.exceptions import ResourceNotFoundError
    from azure.mgmt.storage.models import BlobContainer

    try:
        storage.blob_containers.get(resource_group, location.account, location.container)
        return f"container {location.container}: kept"
    except ResourceNotFoundError:
        storage.blob_containers.create(
            resource_group, location.account, location.container, BlobContainer(public_access="None")
        )
        return f"container {location.container}: created (private)"
