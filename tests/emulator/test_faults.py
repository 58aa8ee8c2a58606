"""Fault injection: ARM errors on chosen requests (through the SDK's own error mapping and retry policy), and
operations that are accepted but fail later, as AllocationFailed does."""

import pytest
import requests
from azure.core.exceptions import HttpResponseError, ResourceExistsError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url

VNET = {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}


def test_conflict_fault_fires_the_given_number_of_times(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    emulator.inject_fault("PUT", r"/resourcegroups/busy$", 409, "Conflict", "Someone else is on it.", times=1)
    with pytest.raises(ResourceExistsError) as raised:
        resources.resource_groups.create_or_update("busy", {"location": "eastus"})
    assert (raised.value.status_code, raised.value.error.code) == (409, "Conflict")
    assert raised.value.error.message == "Someone else is on it."
    assert resources.resource_groups.create_or_update("busy", {"location": "eastus"}).name == "busy"


def test_throttling_with_retry_after_is_retried_by_azure_core(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    emulator.inject_fault(
        "GET", r"/resourcegroups$", 429, "TooManyRequests", "Slow down.", times=2, headers={"Retry-After": "0.01"}
    )
    assert list(resources.resource_groups.list()) == []
    statuses = [entry["status"] for entry in emulator.request_log() if entry["path"].endswith("/resourcegroups")]
    assert statuses == [429, 429, 200]


def test_forever_faults_until_cleared(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    emulator.inject_fault("*", "/resourcegroups/", 503, "ServiceUnavailable", "Down.", times=None)
    for _ in range(2):
        with pytest.raises(HttpResponseError):
            resources.resource_groups.get("any", retry_total=0)
    emulator.clear_faults()
    with pytest.raises(HttpResponseError) as raised:
        resources.resource_groups.get("any")
    assert raised.value.error.code == "ResourceGroupNotFound"


def test_async_failure_makes_the_operation_fail_later(emulator, arm, make_client):
    resources = make_client(ResourceManagementClient)
    resources.resource_groups.create_or_update("rg", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.Network")
    emulator.inject_fault(
        "PUT", "/virtualNetworks/", code="AllocationFailed", message="No capacity left.", async_failure=True
    )
    network = make_client(NetworkManagementClient)
    poller = network.virtual_networks.begin_create_or_update("rg", "vnet", VNET)  # accepted
    with pytest.raises(HttpResponseError) as raised:
        poller.result()
    assert raised.value.error.code == "AllocationFailed"
    assert raised.value.error.message == "No capacity left."
    assert network.virtual_networks.get("rg", "vnet").properties.provisioning_state == "Failed"
    assert network.virtual_networks.begin_create_or_update("rg", "vnet", VNET).result().name == "vnet"


def test_async_failure_on_a_location_monitor(emulator, arm):
    arm.put(sub_url(emulator, "/resourcegroups/rg"), params={"api-version": "2022-12-01"}, json={"location": "eastus"})
    register(arm, emulator, "Microsoft.Storage")
    emulator.inject_fault("PUT", "/storageAccounts/", 400, "QuotaExceeded", "Too many accounts.", async_failure=True)
    account = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/failingsa")
    params = {"api-version": "2025-06-01"}
    accepted = arm.put(account, params=params, json={"location": "eastus", "sku": {"name": "Standard_LRS"}})
    assert accepted.status_code == 202
    answer = arm.get(accepted.headers["Location"])
    while answer.status_code == 202:
        answer = arm.get(accepted.headers["Location"])
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "QuotaExceeded")


def test_admin_routes_manage_faults(emulator, make_client):
    admin = f"{emulator.url}/_emulator/faults"
    verify = str(emulator.ca_path)
    fault = {"method": "GET", "path_pattern": "/resourcegroups/x$", "status": 500, "code": "InternalServerError"}
    created = requests.post(admin, json=fault, verify=verify)
    assert created.status_code == 201 and created.json()["id"] >= 1
    assert requests.get(admin, verify=verify).json()["value"][0]["code"] == "InternalServerError"
    assert requests.post(admin, json={"path_pattern": "("}, verify=verify).status_code == 400
    assert requests.delete(admin, verify=verify).status_code == 204
    assert requests.get(admin, verify=verify).json() == {"value": []}
