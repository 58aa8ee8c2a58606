"""Microsoft.Storage: storage accounts as the storage resource provider answers for them.

Create answers 202 with no body and a Location monitor (never 201: the SDK rejects it); the account walks
Creating → ResolvingDNS → Succeeded. Account names are global, so a name used anywhere is taken. Keys are made at
creation, kept out of the envelope, and handed out by ``listKeys``. A geo-redundant account (GRS, GZRS and
their read-access forms) replicates to its region's pair: it shows the secondary location and its status, the
read-access ones their secondary endpoints, and ``$expand=geoReplicationStats`` the replication's state.
"""

import base64
import re
import secrets
from typing import Any

from wizard.emulator import access, blobs, catalogue
from wizard.emulator.behaviour import ACCEPTED_LOCATION, SYNC_OK, Behaviour, Call, Put, action, register
from wizard.emulator.context import Ctx
from wizard.emulator.metadata import STORAGE_SUFFIX
from wizard.emulator.routing import route
from wizard.emulator.wire import ArmError, Reply, iso

ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts"
_NAME = re.compile(r"^[a-z0-9]{3,24}$")
_SERVICES = ("blob", "queue", "table", "file", "web", "dfs")


def _secondary(name: str, sku: str, properties: dict[str, Any]) -> None:
    """Where a geo-redundant account replicates to; a locally or zone-redundant one shows none of it."""
    redundancy = sku.split("_", 1)[-1].upper()
    region = catalogue.region(str(properties["primaryLocation"]))
    for key in ("secondaryLocation", "statusOfSecondary", "secondaryEndpoints"):
        properties.pop(key, None)
    if redundancy not in ("GRS", "RAGRS", "GZRS", "RAGZRS") or region is None:
        return
    properties.update(secondaryLocation=region.paired, statusOfSecondary="available")
    if redundancy.startswith("RA"):
        properties["secondaryEndpoints"] = {
            service: f"https://{name}-secondary.{service}.{STORAGE_SUFFIX}/"
            for service in _SERVICES
            if service != "file"
        }


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(64)).decode()


@register
class StorageAccount(Behaviour):
    type = ACCOUNT_TYPE
    on_create = ACCEPTED_LOCATION
    latency = 4.0
    create_states = ("Creating", "ResolvingDNS")
    requires_location = True

    def fill(self, put: Put) -> None:
        name = put.address.name or ""
        if not _NAME.match(name):
            raise ArmError(
                400,
                "AccountNameInvalid",
                f"{name} is not a valid storage account name. Storage account name must be between 3 and 24 "
                "characters in length and use numbers and lower-case letters only.",
            )
        if put.taken(ACCOUNT_TYPE, name):
            raise ArmError(409, "StorageAccountAlreadyTaken", f"The storage account named {name} is already taken.")
        sku = put.resource.get("sku") or {}
        if not sku.get("name"):
            raise ArmError(400, "InvalidRequestContent", "The request content must contain 'sku.name'.")
        put.resource["sku"] = {"name": sku["name"], "tier": sku["name"].split("_", 1)[0]}
        put.resource.setdefault("kind", "StorageV2")
        put.resource.setdefault("tags", {})
        created = (put.existing or {}).get("properties", {}).get("creationTime") or iso(put.now)
        if "keys" not in put.private:
            put.private["keys"] = {"key1": _new_key(), "key2": _new_key()}
            put.private["keyCreationTime"] = iso(put.now)
        properties = put.properties
        properties.setdefault("supportsHttpsTrafficOnly", True)
        properties.setdefault("minimumTlsVersion", "TLS1_2")
        properties.setdefault("allowBlobPublicAccess", False)
        properties.setdefault("allowSharedKeyAccess", True)
        if put.resource["kind"] in ("StorageV2", "BlobStorage"):
            properties.setdefault("accessTier", "Hot")
        acls = {"bypass": "AzureServices", "virtualNetworkRules": [], "ipRules": [], "defaultAction": "Allow"}
        properties.setdefault("networkAcls", acls)
        properties.setdefault(
            "encryption",
            {
                "services": {
                    service: {"keyType": "Account", "enabled": True, "lastEnabledTime": created}
                    for service in ("blob", "file")
                },
                "keySource": "Microsoft.Storage",
            },
        )
        properties["keyCreationTime"] = {key: put.private["keyCreationTime"] for key in ("key1", "key2")}
        properties["creationTime"] = created
        properties["primaryEndpoints"] = {
            service: f"https://{name}.{service}.{STORAGE_SUFFIX}/" for service in _SERVICES
        }
        if put.base_url:  # the blob data plane is served by the emulator itself (names cannot resolve here)
            properties["primaryEndpoints"]["blob"] = f"{put.base_url}{blobs.PREFIX}{name}/"
        properties["primaryLocation"] = put.resource.get("location")
        properties["statusOfPrimary"] = "available"
        _secondary(name, put.resource["sku"]["name"], properties)
        if not put.existing:
            put.add_child(
                "blobServices", "default", {"sku": put.resource["sku"], "properties": {"cors": {"corsRules": []}}}
            )

    def shown(self, call: Call) -> dict[str, Any]:
        expand = call.request.query.get("$expand", "").lower().split(",")
        if "georeplicationstats" in expand and "secondaryLocation" in call.resource["properties"]:
            stats = {"status": "Live", "lastSyncTime": iso(call.now), "canFailover": True}
            call.resource["properties"]["geoReplicationStats"] = stats
        return call.resource

    @action("listKeys")
    def list_keys(self, call: Call) -> Reply:
        keys = call.private["keys"]
        created = call.private["keyCreationTime"]
        return Reply(
            200,
            {
                "keys": [
                    {"keyName": name, "value": value, "permissions": "Full", "creationTime": created}
                    for name, value in keys.items()
                ]
            },
        )

    @action("regenerateKey")
    def regenerate_key(self, call: Call) -> Reply:
        name = str(call.request.json_object().get("keyName", "")).lower()
        if name not in call.private["keys"]:
            raise ArmError(400, "InvalidValuesForRequestParameters", "keyName must be key1 or key2.")
        call.private["keys"][name] = _new_key()
        return self.list_keys(call)


@register
class BlobService(Behaviour):
    """An account's blob service settings (soft delete, CORS): one per account, named default, answered with the
    account's sku and without a provisioningState, as the storage provider does."""

    type = "Microsoft.Storage/storageAccounts/blobServices"
    on_create = SYNC_OK
    provisioning_state = False

    def fill(self, put: Put) -> None:
        if (put.address.name or "").lower() != "default":
            raise ArmError(400, "InvalidResourceName", "The blob service of a storage account is always named default.")
        account = put.store.get(put.address.parent) if put.store is not None else None
        if account is not None:
            put.resource["sku"] = account.body["sku"]


@route(
    "POST",
    "/subscriptions/{subscription}/providers/Microsoft.Storage/checkNameAvailability",
    type_="Microsoft.Storage/checkNameAvailability",
)
def check_name_availability(ctx: Ctx, subscription: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Storage")
    name = str(ctx.request.json_object().get("name", ""))
    answer: dict[str, Any] = {"nameAvailable": True}
    if not _NAME.match(name):
        answer = {
            "nameAvailable": False,
            "reason": "AccountNameInvalid",
            "message": f"{name} is not a valid storage account name. Storage account name must be between 3 and "
            "24 characters in length and use numbers and lower-case letters only.",
        }
    elif ctx.store.find(type_=ACCOUNT_TYPE, name=name):
        answer = {
            "nameAvailable": False,
            "reason": "AlreadyExists",
            "message": f"The storage account named {name} is already taken.",
        }
    return Reply(200, answer)
