"""The Azure ML workspace and its four dependent resources, made by a headless run against the in-process
emulator and read back with the plain management SDKs."""

from __future__ import annotations

from pathlib import Path

from azure.mgmt.applicationinsights import ApplicationInsightsManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.loganalytics import LogAnalyticsManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient

from tests.steps.conftest import dsvm_answers, failure
from wizard import events
from wizard.names import names_for

GROUP = "rg-dsvm-test"
NAMES = names_for(dsvm_answers())
WORKSPACE_API = "2025-09-01"


def _outputs(seen: list[events.Event], key: str) -> dict:
    return next(e for e in seen if isinstance(e, events.StepSucceeded) and e.key == key).outputs


def test_a_run_creates_secure_storage_vault_monitoring_and_the_workspace_linked_to_them(run_setup, connection):
    ok, seen = run_setup(dsvm_answers())
    assert ok
    clients = connection.clients
    account = clients.get(StorageManagementClient).storage_accounts.get_properties(GROUP, NAMES.storage_account)
    assert account.properties.enable_https_traffic_only is True
    assert account.properties.minimum_tls_version == "TLS1_2"
    assert account.properties.allow_blob_public_access is False
    assert (account.kind, account.sku.name) == ("StorageV2", "Standard_LRS")
    vault = clients.get(KeyVaultManagementClient).vaults.get(GROUP, NAMES.key_vault)
    assert vault.properties.enable_rbac_authorization is True and vault.properties.enable_soft_delete is True
    assert _outputs(seen, "key-vault")["uri"] == vault.properties.vault_uri
    logs = clients.get(LogAnalyticsManagementClient).workspaces.get(GROUP, NAMES.log_analytics)
    insights = clients.get(ApplicationInsightsManagementClient).components.get(GROUP, NAMES.app_insights)
    assert insights.workspace_resource_id.lower() == logs.id.lower()
    workspace_id = _outputs(seen, "workspace")["id"]
    workspace = clients.get(ResourceManagementClient).resources.get_by_id(workspace_id, api_version=WORKSPACE_API)
    linked = [workspace.properties[key].lower() for key in ("storageAccount", "keyVault", "applicationInsights")]
    assert linked == [account.id.lower(), vault.id.lower(), insights.id.lower()]
    assert workspace.identity.principal_id == _outputs(seen, "workspace")["principal_id"]
    assert all(resource.tags.get("created-by") == "scoring-wizard" for resource in (account, vault, logs, insights))


def test_a_storage_policy_denial_is_explained_and_a_resume_after_it_is_lifted_completes(
    run_setup, emulator, tmp_path: Path
):
    emulator.inject_fault(
        method="PUT",
        path_pattern=f"storageAccounts/{NAMES.storage_account}$",
        status=403,
        code="RequestDisallowedByPolicy",
        message="Resource was disallowed by policy. Policy identifiers: 'Secure transfer to storage accounts should "
        "be enabled'.",
        times=None,
    )
    ok, seen = run_setup(dsvm_answers())
    assert not ok
    error = failure(seen, "storage-account").error
    assert error.code == "RequestDisallowedByPolicy" and "HTTPS" in error.what
    assert "workspace" in {e.key for e in seen if isinstance(e, events.StepBlocked)}
    emulator.clear_faults()
    assert run_setup(dsvm_answers())[0]


def test_after_a_teardown_the_soft_deleted_vault_is_explained_with_recover_and_purge(run_setup, connection):
    """Deleting the resource group keeps its vault soft-deleted, and its name with it, as Azure does."""
    assert run_setup(dsvm_answers())[0]
    connection.clients.get(ResourceManagementClient).resource_groups.begin_delete(GROUP).result()
    vaults = connection.clients.get(KeyVaultManagementClient).vaults
    ok, seen = run_setup(dsvm_answers())
    assert not ok
    error = failure(seen, "key-vault").error
    assert error.code == "KeyVaultSoftDeleted" and NAMES.key_vault in error.message
    assert "az keyvault recover" in error.todo and "az keyvault purge" in error.todo
    vaults.begin_purge_deleted(NAMES.key_vault, "eastus").result()
    assert run_setup(dsvm_answers())[0]


def test_a_missing_provider_registration_gets_the_tables_advice(run_setup, emulator):
    """Azure's answer when a registration is missing at PUT time (the SDK's own auto-registration covers only
    calls that are not long-running, so the GET before it would have hidden it)."""
    emulator.inject_fault(
        method="PUT",
        path_pattern=f"vaults/{NAMES.key_vault}$",
        status=409,
        code="MissingSubscriptionRegistration",
        message="The subscription is not registered to use namespace 'Microsoft.KeyVault'. See "
        "https://aka.ms/rps-not-found for how to register subscriptions.",
    )
    ok, seen = run_setup(dsvm_answers())
    assert not ok
    error = failure(seen, "key-vault").error
    assert error.code == "MissingSubscriptionRegistration" and "register-providers" in error.todo
    assert error.link == "https://aka.ms/rps-not-found"


def test_an_existing_account_without_https_only_is_made_secure_on_the_next_run(run_setup, connection):
    assert run_setup(dsvm_answers())[0]
    accounts = connection.clients.get(StorageManagementClient).storage_accounts
    lax = {"location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
    lax["properties"] = {"supportsHttpsTrafficOnly": False, "minimumTlsVersion": "TLS1_0"}
    accounts.begin_create(GROUP, NAMES.storage_account, lax).result()
    ok, seen = run_setup(dsvm_answers())
    assert ok
    assert "storage-account" not in {e.key for e in seen if isinstance(e, events.StepSucceeded) and e.reused}
    account = accounts.get_properties(GROUP, NAMES.storage_account)
    assert account.properties.enable_https_traffic_only is True and account.properties.minimum_tls_version == "TLS1_2"
