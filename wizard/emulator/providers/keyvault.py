"""Microsoft.KeyVault: vaults, their global names and their soft-deleted afterlife.

Create answers 201 (200 on update) with the whole vault and provisioningState Succeeded, as the spec examples
show. Vault names are global: a live vault anywhere makes the name taken (VaultAlreadyExists), and so does a
deleted one, which soft delete keeps for its retention days under ``locations/{l}/deletedVaults/{name}``: a PUT
of that name answers ARM's ConflictError until the vault is purged. DELETE of a vault moves it there (soft
delete cannot be switched off any more); purge is 202 + Location and removes it when the operation ends.
A resource group delete soft-deletes the vaults in it the same way.
"""

import re
from typing import Any

from wizard.emulator import access, operations
from wizard.emulator.behaviour import Answer, Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.metadata import DNS_SUFFIX
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

NAMESPACE = "Microsoft.KeyVault"
VAULT_TYPE = f"{NAMESPACE}/vaults"
DELETED_TYPE = f"{NAMESPACE}/deletedVaults"
VAULT_DNS = f"vault.{DNS_SUFFIX}"
_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
_DAY = 86400.0
_PURGE = Answer(202, body=False, monitor="location", done=200)
PURGE_SECONDS = 2.0
SOFT_DELETED_MESSAGE = (
    "A vault with the same name already exists in deleted state. You need to either recover or purge existing key "
    "vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete."
)


def name_in_use(name: str) -> str:
    return (
        f"The vault name '{name}' is already in use. Vault names are globally unique so it is possible that the name "
        "is already taken. If you are sure that the vault name was not taken then it is possible that a vault with "
        "the same name was recently deleted but not purged after being placed in a recoverable state. If the vault "
        "is in a recoverable state then the vault will need to be purged before reusing the name. For more "
        "information about VaultAlreadyExists, soft delete and purging a vault follow this link "
        "https://go.microsoft.com/fwlink/?linkid=2147740."
    )


def _invalid_name(name: str) -> str:
    return (
        f"The vault name '{name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name "
        "must begin with a letter, end with a letter or digit, and not contain consecutive hyphens."
    )


def _valid(name: str) -> bool:
    return bool(_NAME.match(name)) and "--" not in name


@register
class Vault(Behaviour):
    type = VAULT_TYPE
    requires_location = True

    def fill(self, put: Put) -> None:
        name = put.address.name or ""
        if not _valid(name):
            raise ArmError(400, "VaultNameNotValid", _invalid_name(name))
        if put.existing is None and put.store is not None and put.store.find(type_=DELETED_TYPE, name=name):
            raise ArmError(409, "ConflictError", SOFT_DELETED_MESSAGE)
        if put.taken(VAULT_TYPE, name):
            raise ArmError(409, "VaultAlreadyExists", name_in_use(name))
        properties = put.properties
        sku = properties.get("sku") or {}
        if not properties.get("tenantId") or not sku.get("name"):
            raise ArmError(400, "BadRequest", "The parameters 'properties.tenantId' and 'properties.sku' are required.")
        properties["sku"] = {"family": sku.get("family", "A"), "name": sku["name"]}
        properties.setdefault("accessPolicies", [])
        properties.setdefault("enableRbacAuthorization", False)
        properties["enableSoftDelete"] = True  # cannot be switched off any more
        properties.setdefault("softDeleteRetentionInDays", 90)
        properties.setdefault("publicNetworkAccess", "Enabled")
        properties.setdefault("enabledForDeployment", False)
        properties.setdefault("enabledForDiskEncryption", False)
        properties.setdefault("enabledForTemplateDeployment", False)
        if not properties.get("enablePurgeProtection"):
            properties.pop("enablePurgeProtection", None)  # Azure omits it until it is on (and then it stays on)
        properties.pop("createMode", None)
        properties["vaultUri"] = f"https://{name}.{VAULT_DNS}/"
        properties["hsmPoolResourceId"] = None  # read-only: set only for the retired HSM-pool-backed vaults
        put.resource.setdefault("tags", {})

    def removed(self, store: Store, row: Row, now: float) -> None:
        """A deleted resource group's vaults are soft-deleted too, as in Azure."""
        _keep_deleted(store, row, now)


def _deleted_id(subscription: str, location: str, name: str) -> str:
    return f"/subscriptions/{subscription}/providers/{NAMESPACE}/locations/{location}/deletedVaults/{name}"


def _keep_deleted(store: Store, row: Row, now: float) -> None:
    """Soft delete: the vault's name and content stay under deletedVaults for its retention days."""
    properties = row.body.get("properties") or {}
    location, name = row.body["location"], row.body["name"]
    deleted_id = _deleted_id(row.subscription, location, name)
    retention = float(properties.get("softDeleteRetentionInDays", 90))
    body = {
        "id": deleted_id,
        "name": name,
        "type": DELETED_TYPE,
        "properties": {
            "vaultId": row.id,
            "location": location,
            "tags": row.body.get("tags", {}),
            "deletionDate": iso(now),
            "scheduledPurgeDate": iso(now + retention * _DAY),
            "purgeProtectionEnabled": bool(properties.get("enablePurgeProtection")),
        },
    }
    parent = f"/subscriptions/{row.subscription}"
    store.put(Row(deleted_id.lower(), deleted_id, parent, row.subscription, None, DELETED_TYPE, body, created=now))


@route("DELETE", "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{name}")
def delete_vault(ctx: Ctx, subscription: str, group: str, name: str) -> Reply:
    """200 and the vault goes to deletedVaults for its retention days; 204 when there was none."""
    access.require_registered(ctx, subscription, NAMESPACE)
    access.require_api_version(ctx, VAULT_TYPE)
    if ctx.store.get(access.group_key(subscription, group)) is None:
        raise access.group_not_found(group)
    key = f"{access.group_key(subscription, group)}/providers/{NAMESPACE}/vaults/{name}".lower()
    row = ctx.store.get(key)
    if row is None:
        return Reply(204)
    ctx.store.delete_tree(row.key)
    _keep_deleted(ctx.store, row, ctx.now)
    return Reply(200)


def _require(ctx: Ctx, subscription: str) -> None:
    access.require_registered(ctx, subscription, NAMESPACE)
    access.require_api_version(ctx, VAULT_TYPE)


def _deleted(ctx: Ctx, subscription: str, location: str, name: str) -> Row:
    row = ctx.store.get(_deleted_id(subscription, location, name).lower())
    if row is None:
        raise ArmError(
            404, "ResourceNotFound", f"The deleted vault '{name}' could not be found in location '{location}'."
        )
    return row


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.KeyVault/deletedVaults")
def list_deleted(ctx: Ctx, subscription: str) -> Reply:
    _require(ctx, subscription)
    rows = ctx.store.find(subscription=subscription, type_=DELETED_TYPE)
    return Reply(200, {"value": [row.body for row in rows]})


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}")
def get_deleted(ctx: Ctx, subscription: str, location: str, name: str) -> Reply:
    _require(ctx, subscription)
    return Reply(200, _deleted(ctx, subscription, location, name).body)


@route(
    "POST", "/subscriptions/{subscription}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}/purge"
)
def purge_deleted(ctx: Ctx, subscription: str, location: str, name: str) -> Reply:
    """202 + Location; the name is free once the operation has ended. Refused while purge protection holds."""
    _require(ctx, subscription)
    row = _deleted(ctx, subscription, location, name)
    if row.body["properties"].get("purgeProtectionEnabled"):
        raise ArmError(
            409,
            "ConflictError",
            f"Operation 'DeleteVault' is not allowed for vault '{name}' because purge protection is enabled; it is "
            f"purged automatically on {row.body['properties']['scheduledPurgeDate']}.",
        )
    running = operations.in_flight(ctx, row, "delete")
    op = running or operations.start(
        ctx,
        kind="delete",
        target=row.key,
        namespace=NAMESPACE,
        latency=ctx.delay(PURGE_SECONDS),
        states=(),
        answer=_PURGE,
        failure=None,
    )
    row.operation = op.id
    ctx.store.put(row)
    return Reply(202, None, operations.monitor_headers(ctx, op, _PURGE, subscription, location))


@route("POST", "/subscriptions/{subscription}/providers/Microsoft.KeyVault/checkNameAvailability")
def check_name_availability(ctx: Ctx, subscription: str) -> Reply:
    """Live and soft-deleted vaults both hold their name (Azure's message says so without telling which)."""
    _require(ctx, subscription)
    name = str(ctx.request.json_object().get("name", ""))
    answer: dict[str, Any] = {"nameAvailable": True}
    if not _valid(name):
        answer = {"nameAvailable": False, "reason": "AccountNameInvalid", "message": _invalid_name(name)}
    elif ctx.store.find(type_=VAULT_TYPE, name=name) or ctx.store.find(type_=DELETED_TYPE, name=name):
        answer = {"nameAvailable": False, "reason": "AlreadyExists", "message": name_in_use(name)}
    return Reply(200, answer)
