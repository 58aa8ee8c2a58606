"""Key Vault, Log Analytics and Application Insights answer as the specification examples (and Azure) do, and
storage keeps the security settings as sent."""

import pytest

from tests.emulator.helpers import register, sub_url, wait_until

GROUP = "/resourceGroups/rg"
VAULT = f"{GROUP}/providers/Microsoft.KeyVault/vaults/tst-kv-abc123"
LOGS = f"{GROUP}/providers/Microsoft.OperationalInsights/workspaces/tst-log"
INSIGHTS = f"{GROUP}/providers/Microsoft.Insights/components/tst-appi"
KV_API = {"api-version": "2026-05-15"}
VAULT_BODY = {
    "location": "eastus",
    "properties": {"tenantId": "00000000-0000-0000-0000-000000000001", "sku": {"family": "A", "name": "standard"}},
}


@pytest.fixture
def group(emulator, arm):
    arm.put(sub_url(emulator, GROUP), params={"api-version": "2022-12-01"}, json={"location": "eastus"})
    for namespace in ("Microsoft.KeyVault", "Microsoft.OperationalInsights", "Microsoft.Insights", "Microsoft.Storage"):
        register(arm, emulator, namespace)


def _name_check(emulator, arm) -> dict:
    url = sub_url(emulator, "/providers/Microsoft.KeyVault/checkNameAvailability")
    return arm.post(url, params=KV_API, json={"name": "tst-kv-abc123", "type": "Microsoft.KeyVault/vaults"}).json()


def test_vault_create_is_201_with_the_vault_then_200_and_its_uri_on_the_emulators_suffix(emulator, arm, group):
    created = arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY)
    assert created.status_code == 201 and "Azure-AsyncOperation" not in created.headers
    properties = created.json()["properties"]
    assert properties["provisioningState"] == "Succeeded" and properties["enableSoftDelete"] is True
    assert properties["vaultUri"] == "https://tst-kv-abc123.vault.emulator.local/"
    assert arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY).status_code == 200
    assert _name_check(emulator, arm)["reason"] == "AlreadyExists"


def test_a_deleted_vault_keeps_its_name_until_purged(emulator, arm, group):
    arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY).raise_for_status()
    assert arm.delete(sub_url(emulator, VAULT), params=KV_API).status_code == 200
    assert arm.get(sub_url(emulator, VAULT), params=KV_API).status_code == 404
    [deleted] = arm.get(sub_url(emulator, "/providers/Microsoft.KeyVault/deletedVaults"), params=KV_API).json()["value"]
    assert deleted["type"] == "Microsoft.KeyVault/deletedVaults"
    assert deleted["properties"]["vaultId"].endswith(VAULT) and deleted["properties"]["location"] == "eastus"
    assert _name_check(emulator, arm)["nameAvailable"] is False
    again = arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ConflictError"
    purge = "/providers/Microsoft.KeyVault/locations/eastus/deletedVaults/tst-kv-abc123/purge"
    answer = arm.post(sub_url(emulator, purge), params=KV_API)
    assert answer.status_code == 202 and "operationResults" in answer.headers["Location"]
    wait_until(lambda: arm.get(answer.headers["Location"]).status_code == 200)
    assert _name_check(emulator, arm) == {"nameAvailable": True}
    assert arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY).status_code == 201


def test_log_analytics_answers_201_creating_without_a_monitor_header(emulator, arm, group):
    body = {"location": "eastus", "properties": {"sku": {"name": "PerGB2018"}}}
    created = arm.put(sub_url(emulator, LOGS), params={"api-version": "2025-07-01"}, json=body)
    assert created.status_code == 201
    assert "Location" not in created.headers and "Azure-AsyncOperation" not in created.headers
    assert created.json()["properties"]["provisioningState"] == "Creating"
    assert created.json()["properties"]["customerId"]


def test_app_insights_must_be_workspace_based_and_answers_200(emulator, arm, group):
    params = {"api-version": "2020-02-02"}
    classic = {"location": "eastus", "kind": "web", "properties": {"Application_Type": "web"}}
    refused = arm.put(sub_url(emulator, INSIGHTS), params=params, json=classic)
    assert refused.status_code == 400 and "Workspace-based" in refused.json()["error"]["message"]
    logs = {"location": "eastus", "properties": {"sku": {"name": "PerGB2018"}}}
    arm.put(sub_url(emulator, LOGS), params={"api-version": "2025-07-01"}, json=logs).raise_for_status()
    classic["properties"]["WorkspaceResourceId"] = sub_url(emulator, LOGS).split(emulator.url, 1)[1]
    created = arm.put(sub_url(emulator, INSIGHTS), params=params, json=classic)
    assert created.status_code == 200
    assert created.json()["properties"]["IngestionMode"] == "LogAnalytics"
    assert created.json()["properties"]["ConnectionString"].startswith("InstrumentationKey=")


def test_storage_keeps_the_security_settings_as_sent(emulator, arm, group):
    account = f"{GROUP}/providers/Microsoft.Storage/storageAccounts/tstlax"
    body = {
        "location": "eastus",
        "sku": {"name": "Standard_LRS"},
        "properties": {"supportsHttpsTrafficOnly": False, "minimumTlsVersion": "TLS1_0", "allowBlobPublicAccess": True},
    }
    params = {"api-version": "2026-09-01"}
    assert arm.put(sub_url(emulator, account), params=params, json=body).status_code == 202
    stored = arm.get(sub_url(emulator, account), params=params).json()["properties"]
    assert (stored["supportsHttpsTrafficOnly"], stored["minimumTlsVersion"], stored["allowBlobPublicAccess"]) == (
        False,
        "TLS1_0",
        True,
    )


def test_deleting_the_group_soft_deletes_its_vaults(emulator, arm, group):
    arm.put(sub_url(emulator, VAULT), params=KV_API, json=VAULT_BODY).raise_for_status()
    deleting = arm.delete(sub_url(emulator, GROUP), params={"api-version": "2022-12-01"})
    wait_until(lambda: arm.get(deleting.headers["Location"]).status_code == 200)
    deleted = "/providers/Microsoft.KeyVault/locations/eastus/deletedVaults/tst-kv-abc123"
    kept = arm.get(sub_url(emulator, deleted), params=KV_API)
    assert kept.status_code == 200 and kept.json()["properties"]["vaultId"].endswith(VAULT)
    assert _name_check(emulator, arm)["nameAvailable"] is False
