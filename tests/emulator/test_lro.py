"""Long-running operations: the storage account's 202 + Location, the network's 201 + Azure-AsyncOperation, and a
continuation token that survives the emulator being stopped and restarted on the same state directory."""

import pytest
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import bearer_session, client_options, make_credential, register, sub_url
from wizard.emulator import DEMO, Emulator

STORAGE = {"api-version": "2025-06-01"}
VNET = {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}


@pytest.fixture
def group(emulator, arm) -> str:
    url = sub_url(emulator, "/resourcegroups/rg")
    arm.put(url, params={"api-version": "2022-12-01"}, json={"location": "westeurope"}).raise_for_status()
    return sub_url(emulator, "/resourceGroups/rg")


@pytest.mark.latency_scale(0.1)  # 0.4 s to create: long enough to watch it walk its states
def test_storage_account_create_is_202_then_location_polling(emulator, arm, group):
    register(arm, emulator, "Microsoft.Storage")
    account = f"{group}/providers/Microsoft.Storage/storageAccounts/scoringsa"
    accepted = arm.put(account, params=STORAGE, json={"location": "West Europe", "sku": {"name": "Standard_LRS"}})
    assert accepted.status_code == 202 and accepted.content == b""
    assert accepted.headers["Location"].startswith(f"{emulator.url}/subscriptions/{DEMO.subscription_id}/providers/")
    assert arm.get(account, params=STORAGE).json()["properties"]["provisioningState"] in ("Creating", "ResolvingDNS")

    polls = [arm.get(accepted.headers["Location"])]
    while polls[-1].status_code == 202:
        assert float(polls[-1].headers["Retry-After"]) == pytest.approx(0.1)
        polls.append(arm.get(polls[-1].headers["Location"]))
    done = polls[-1]
    assert len(polls) > 1 and done.status_code == 200
    body = done.json()
    assert body["id"].endswith("/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/scoringsa")
    assert body["type"] == "Microsoft.Storage/storageAccounts"
    assert body["sku"] == {"name": "Standard_LRS", "tier": "Standard"}
    assert body["kind"] == "StorageV2"
    properties = body["properties"]
    assert properties["provisioningState"] == "Succeeded"
    assert properties["supportsHttpsTrafficOnly"] is True
    assert properties["primaryEndpoints"]["blob"] == f"{emulator.url}/_blob/scoringsa/"  # served by the emulator
    assert "keys" not in str(properties)

    keys = arm.post(f"{account}/listKeys", params=STORAGE).json()["keys"]
    assert [key["keyName"] for key in keys] == ["key1", "key2"] and all(len(key["value"]) == 88 for key in keys)
    blob_service = arm.get(f"{account}/blobServices/default", params=STORAGE)
    assert blob_service.json()["type"] == "Microsoft.Storage/storageAccounts/blobServices"
    updated = arm.put(account, params=STORAGE, json={"location": "westeurope", "sku": {"name": "Standard_LRS"}})
    assert updated.status_code == 200 and updated.json()["properties"]["creationTime"] == properties["creationTime"]


def test_storage_names_are_global_and_checked(emulator, arm, group):
    register(arm, emulator, "Microsoft.Storage")
    check = sub_url(emulator, "/providers/Microsoft.Storage/checkNameAvailability")
    name = {"name": "sharedname", "type": "Microsoft.Storage/storageAccounts"}
    assert arm.post(check, params=STORAGE, json=name).json() == {"nameAvailable": True}
    body = {"location": "westeurope", "sku": {"name": "Standard_LRS"}}
    arm.put(f"{group}/providers/Microsoft.Storage/storageAccounts/sharedname", params=STORAGE, json=body)
    assert arm.post(check, params=STORAGE, json=name).json()["reason"] == "AlreadyExists"
    arm.put(sub_url(emulator, "/resourcegroups/rg2"), params={"api-version": "2022-12-01"}, json=body)
    clash = arm.put(
        sub_url(emulator, "/resourceGroups/rg2/providers/Microsoft.Storage/storageAccounts/sharedname"),
        params=STORAGE,
        json=body,
    )
    assert (clash.status_code, clash.json()["error"]["code"]) == (409, "StorageAccountAlreadyTaken")
    bad = arm.put(f"{group}/providers/Microsoft.Storage/storageAccounts/Bad_Name", params=STORAGE, json=body)
    assert bad.json()["error"]["code"] == "AccountNameInvalid"
    future = arm.get(
        f"{group}/providers/Microsoft.Storage/storageAccounts/sharedname", params={"api-version": "2099-01-01"}
    )
    assert (future.status_code, future.json()["error"]["code"]) == (400, "NoRegisteredProviderFound")


@pytest.mark.latency_scale(0.1)  # 0.3 s to create a virtual network
def test_network_create_polls_azure_async_operation(emulator, arm, make_client, group):
    register(arm, emulator, "Microsoft.Network")
    poller = make_client(NetworkManagementClient).virtual_networks.begin_create_or_update("rg", "vnet", VNET)
    assert poller.status() == "InProgress"
    vnet = poller.result()
    assert vnet.properties.provisioning_state == "Succeeded"
    assert (
        vnet.id
        == f"/subscriptions/{DEMO.subscription_id}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"
    )
    log = emulator.request_log()
    status_polls = [entry for entry in log if "/operationStatuses/" in entry["path"]]
    assert len(status_polls) >= 2  # at least one InProgress, then Succeeded
    assert log[-1]["method"] == "GET" and log[-1]["path"].endswith("/virtualNetworks/vnet")  # the final GET


@pytest.mark.latency_scale(0.1)  # 0.3 s to create: the restart happens while it runs
def test_continuation_token_survives_a_restart(tmp_path, emulator, arm, make_client, group):
    register(arm, emulator, "Microsoft.Network")
    poller = make_client(NetworkManagementClient).virtual_networks.begin_create_or_update("rg", "vnet", VNET)
    token = poller.continuation_token()
    emulator.stop()  # the client holding the token goes away with it, as if SIGKILLed

    with Emulator(tmp_path, port=emulator.port, latency_scale=0.1) as again:
        credential = make_credential(again)
        network = NetworkManagementClient(credential, DEMO.subscription_id, **client_options(again))
        resumed = network.virtual_networks.begin_create_or_update("rg", "vnet", VNET, continuation_token=token)
        assert resumed.result().properties.provisioning_state == "Succeeded"
        resources = ResourceManagementClient(credential, DEMO.subscription_id, **client_options(again))
        assert [item.name for item in resources.resources.list_by_resource_group("rg")] == ["vnet"]
        assert bearer_session(again, credential).get(f"{group}/resources", params={"api-version": "2022-12-01"}).ok
