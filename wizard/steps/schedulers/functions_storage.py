"""The function app's own storage account: host storage, the deployment package and the run records.

The workspace's account settings (HTTPS only, TLS 1.2, no public blobs) plus no shared keys: the app reaches it
only as its identity (``AzureWebJobsStorage__accountName``), so there is no connection string to leak.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.steps.base import StepContext
from wizard.steps.schedulers.functions import chosen
from wizard.steps.storage_account import StorageAccount


class FunctionsStorage(StorageAccount):
    """The workspace's account's settings, plus no shared keys: everything reaches it as an identity."""

    key = "functions-storage"
    title = "Function app storage"

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Storage account {names.functions_storage} for the function app (HTTPS only, no shared keys)"

    def resource_name(self, names: Names) -> str:
        return names.functions_storage

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        return super().as_wanted(ctx, existing) and existing.properties.allow_shared_key_access is False

    def body(self, ctx: StepContext) -> Any:
        body = super().body(ctx)
        body["properties"]["allowSharedKeyAccess"] = False
        return body
