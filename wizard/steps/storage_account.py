"""The workspace's storage account: StorageV2, Standard_LRS, HTTPS only, TLS 1.2 at least, no public blob access.

The recipe hit a "Secure Transfer Required" policy when the portal's template left https-only off; asking for
secure transfer (and TLS 1.2, and no anonymous blob access, which the same policy sets usually demand) from the
start means such a policy has nothing to object to. Account names are global, so the name is checked first and
a taken one is explained before anything is created.
"""

from __future__ import annotations

from typing import Any

from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

ACCOUNT_TYPE = "Microsoft.Storage/storageAccounts"


class _Accounts:
    """storage_accounts as ArmResource calls it: the SDK names its get `get_properties` and its PUT `begin_create`."""

    def __init__(self, operations: Any) -> None:
        self._operations = operations

    def get(self, group: str, name: str) -> Any:
        return self._operations.get_properties(group, name)

    def begin_create_or_update(self, group: str, name: str, body: Any, **kwargs: Any) -> Any:
        return self._operations.begin_create(group, name, body, **kwargs)


class StorageAccount(ArmResource):
    key = "storage-account"
    title = "Storage account"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "blob_endpoint", "summary")
    providers = ("Microsoft.Storage",)
    client = "azure.mgmt.storage:StorageManagementClient"
    collection = "storage_accounts"
    resource_type = ACCOUNT_TYPE
    api_version = "2026-09-01"

    def describe(self, names: Names) -> str:
        return f"Storage account {names.storage_account} (StorageV2, Standard_LRS, HTTPS only, TLS 1.2)"

    def resource_name(self, names: Names) -> str:
        return names.storage_account

    def operations(self, ctx: StepContext) -> Any:
        return _Accounts(super().operations(ctx))

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        properties = existing.properties
        secure = properties.enable_https_traffic_only and properties.minimum_tls_version == "TLS1_2"
        return super().as_wanted(ctx, existing) and bool(secure) and not properties.allow_blob_public_access

    def lookups(self, ctx: StepContext) -> dict[str, Any]:
        name = self.resource_name(ctx.names)  # a subclass (the function app's account) names its own
        if self._get(ctx) is None:
            self._require_available(ctx, name)
        return {}

    def body(self, ctx: StepContext) -> Any:
        return {
            "location": ctx.answers.region,
            "tags": TAGS,
            "kind": "StorageV2",
            "sku": {"name": "Standard_LRS"},
            "properties": {
                "supportsHttpsTrafficOnly": True,
                "minimumTlsVersion": "TLS1_2",
                "allowBlobPublicAccess": False,
                "accessTier": "Hot",
            },
        }

    def preflight(self, ctx: StepContext) -> None:
        if self._get(ctx) is None:
            self._require_available(ctx, ctx.names.storage_account)

    def _require_available(self, ctx: StepContext, name: str) -> None:
        client = ctx.clients.get(self.client)
        ctx.progress(f"POST Microsoft.Storage/checkNameAvailability {name}")
        answer = client.storage_accounts.check_name_availability({"name": name, "type": ACCOUNT_TYPE})
        if not answer.name_available:
            code = "StorageAccountAlreadyTaken" if answer.reason == "AlreadyExists" else "InvalidResourceName"
            raise StepError(code, answer.message or f"the storage account name {name} is not available")

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        blob = result.properties.primary_endpoints.blob
        return {"id": result.id, "name": result.name, "blob_endpoint": blob, "summary": f"{result.name} ({blob})"}
