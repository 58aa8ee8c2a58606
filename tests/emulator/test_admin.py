"""The request log, reset and health: what tests and demos use to watch and steer the emulator."""

import requests
from azure.mgmt.resource.resources import ResourceManagementClient

from wizard.emulator import DEMO


def test_request_log_records_traffic_without_secrets(emulator, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "eastus"})
    log = emulator.request_log()
    assert [(entry["method"], entry["status"]) for entry in log] == [("GET", 200), ("POST", 200), ("PUT", 201)]
    token_call, put = log[1], log[2]
    assert token_call["path"] == f"/{DEMO.tenant_id}/oauth2/v2.0/token"
    assert put["path"] == f"/subscriptions/{DEMO.subscription_id}/resourcegroups/rg"
    assert put["query"] == "api-version=2025-04-01"
    assert set(put) == {"method", "path", "query", "status", "time", "body"}
    assert put["body"] == {"location": "eastus"} and log[0]["body"] is None  # a PUT keeps what it sent
    assert log[0]["time"] <= put["time"]
    assert DEMO.client_secret not in str(log) and "Bearer" not in str(log)
    over_http = requests.get(f"{emulator.url}/_emulator/requests", verify=str(emulator.ca_path)).json()["value"]
    assert over_http == log  # admin routes are not logged themselves


def test_the_request_log_masks_a_vms_admin_password(emulator):
    body = {"location": "eastus", "properties": {"osProfile": {"adminUsername": "u", "adminPassword": "Pa55-word!"}}}
    emulator.store.log_request("PUT", "/subscriptions/s/resourceGroups/g/x", "", 201, 0.0, body)
    (entry,) = emulator.request_log()
    assert entry["body"]["properties"]["osProfile"] == {"adminUsername": "u", "adminPassword": "***"}
    assert "Pa55-word!" not in str(emulator.request_log())


def test_health_and_reset(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    resources.resource_groups.create_or_update("rg", {"location": "eastus"})
    resources.providers.register("Microsoft.Storage")
    emulator.inject_fault("GET", "/nothing", times=None)
    health = requests.get(f"{emulator.url}/_emulator/health", verify=str(emulator.ca_path))
    assert health.json() == {"status": "ok", "url": emulator.url}
    assert requests.post(f"{emulator.url}/_emulator/reset", verify=str(emulator.ca_path)).status_code == 204
    assert emulator.request_log() == [] and emulator.store.faults() == []
    assert list(resources.resource_groups.list()) == []  # the issued token still works
    assert resources.providers.get("Microsoft.Storage").registration_state == "NotRegistered"
    resources.resource_groups.create_or_update("rg", {"location": "eastus"})
    emulator.reset()
    assert list(resources.resource_groups.list()) == []


def test_unknown_routes_are_arm_errors(emulator, arm):
    answer = arm.get(f"{emulator.url}/nowhere", params={"api-version": "2022-12-01"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "InvalidResourceType")
    answer = arm.get(f"{emulator.url}/subscriptions/{DEMO.subscription_id}/nonsense", params={"api-version": "1"})
    assert answer.status_code == 404
