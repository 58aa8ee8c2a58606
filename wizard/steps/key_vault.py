"""The workspace's key vault: Azure RBAC for data access, soft delete, purge protection off.

RBAC rather than access policies because the workspace's identity and the people using it get roles, as for
every other resource of the setup. Soft delete is always on in Azure now; purge protection is left off on
purpose: once on it can never be switched off, and it would keep a torn-down setup's vault name reserved for the
whole retention period, so the same answers could not set up again. The workspace keeps no customer-managed
keys in this vault, which is what purge protection is for.

Vault names are global and a deleted vault keeps its name while it is soft-deleted, so the name is checked
before anything is created, and a soft-deleted vault of the same name is found and explained (recover or purge).
"""

from __future__ import annotations

from typing import Any

from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

VAULT_TYPE = "Microsoft.KeyVault/vaults"
SUBSCRIPTIONS = "azure.mgmt.resource.subscriptions:SubscriptionClient"


class KeyVault(ArmResource):
    key = "key-vault"
    title = "Key vault"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "uri", "summary")
    providers = ("Microsoft.KeyVault",)
    client = "azure.mgmt.keyvault:KeyVaultManagementClient"
    collection = "vaults"
    resource_type = VAULT_TYPE
    api_version = "2026-05-15"

    def describe(self, names: Names) -> str:
        return f"Key vault {names.key_vault} (RBAC authorization, soft delete)"

    def resource_name(self, names: Names) -> str:
        return names.key_vault

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        return super().as_wanted(ctx, existing) and bool(existing.properties.enable_rbac_authorization)

    def lookups(self, ctx: StepContext) -> dict[str, Any]:
        if self._get(ctx) is None:
            self._require_available(ctx, ctx.names.key_vault)
        return {"tenant": ctx.clients.get(SUBSCRIPTIONS).subscriptions.get(ctx.clients.subscription_id).tenant_id}

    def template_lookups(self, ctx: StepContext) -> dict[str, Any]:
        return {"tenant": "[subscription().tenantId]"}

    def body(self, ctx: StepContext, tenant: str) -> Any:
        return {
            "location": ctx.answers.region,
            "tags": TAGS,
            "properties": {
                "tenantId": tenant,
                "sku": {"family": "A", "name": "standard"},
                "enableRbacAuthorization": True,
                "enableSoftDelete": True,
                "softDeleteRetentionInDays": 90,
                "publicNetworkAccess": "Enabled",
            },
        }

    def preflight(self, ctx: StepContext) -> None:
        if self._get(ctx) is None:
            self._require_available(ctx, ctx.names.key_vault)

    def _require_available(self, ctx: StepContext, name: str) -> None:
        vaults = self.operations(ctx)
        ctx.progress(f"POST Microsoft.KeyVault/checkNameAvailability {name}")
        answer = vaults.check_name_availability({"name": name, "type": VAULT_TYPE})
        if answer.name_available:
            return
        if answer.reason != "AlreadyExists":
            raise StepError("InvalidResourceName", answer.message or f"{name} is not a valid key vault name")
        deleted = next((vault for vault in vaults.list_deleted() if vault.name.lower() == name.lower()), None)
        if deleted is None:
            raise StepError("VaultAlreadyExists", answer.message or f"the key vault name {name} is taken")
        raise _soft_deleted(name, deleted.properties, ctx.names.resource_group)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        uri = result.properties.vault_uri
        return {"id": result.id, "name": result.name, "uri": uri, "summary": f"{result.name} ({uri})"}


def _soft_deleted(name: str, deleted: Any, group: str) -> StepError:
    """What to do about a deleted vault that still holds the name: recover it or purge it."""
    location = deleted.location
    was_here = f"/resourcegroups/{group.lower()}/" in (deleted.vault_id or "").lower()
    recover = f"Recover it with `az keyvault recover --name {name} --location {location}`"
    recover += (
        ", then resume: the setup uses the recovered vault."
        if was_here
        else (f" (it returns to its old resource group, not {group}), or")
    )
    if deleted.purge_protection_enabled:
        purge = f"It has purge protection, so it cannot be purged before {deleted.scheduled_purge_date}."
    else:
        purge = (
            f"Or purge it for good with `az keyvault purge --name {name} --location {location}` (its keys and "
            "secrets are lost), then resume: a new vault is created."
        )
    return StepError(
        "KeyVaultSoftDeleted",
        f"key vault {name} was deleted on {deleted.deletion_date} and is kept, soft-deleted, in {location} until "
        f"{deleted.scheduled_purge_date}; its name cannot be used until it is recovered or purged",
        todo=f"{recover} {purge}",
    )
