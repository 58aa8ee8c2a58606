"""Resource groups through ResourceManagementClient: synchronous create, check_existence, list, update, and a
delete that is a long-running operation taking the group's content with it."""

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url
from wizard.emulator import DEMO


@pytest.fixture
def resources(make_client) -> ResourceManagementClient:
    return make_client(ResourceManagementClient)


def test_create_get_exists_list(resources):
    created = resources.resource_groups.create_or_update("My-RG", {"location": "West Europe", "tags": {"env": "t"}})
    assert created.id == f"/subscriptions/{DEMO.subscription_id}/resourceGroups/My-RG"
    assert created.location == "westeurope"
    assert created.properties.provisioning_state == "Succeeded"
    assert resources.resource_groups.get("my-rg").name == "My-RG"  # case-insensitive, creation casing echoed
    assert resources.resource_groups.check_existence("MY-RG") is True
    assert resources.resource_groups.check_existence("other") is False
    resources.resource_groups.create_or_update("other", {"location": "eastus"})
    assert sorted(group.name for group in resources.resource_groups.list()) == ["My-RG", "other"]
    assert [group.name for group in resources.resource_groups.list(filter="tagName eq 'env'")] == ["My-RG"]
    updated = resources.resource_groups.update("my-rg", {"tags": {"env": "prod"}})
    assert updated.tags == {"env": "prod"}


def test_create_answers_201_then_200(emulator, arm):
    url, params = sub_url(emulator, "/resourcegroups/rg"), {"api-version": "2022-12-01"}
    first = arm.put(url, params=params, json={"location": "eastus"})
    again = arm.put(url, params=params, json={"location": "eastus"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {
        "id": f"/subscriptions/{DEMO.subscription_id}/resourceGroups/rg",
        "name": "rg",
        "type": "Microsoft.Resources/resourceGroups",
        "location": "eastus",
        "properties": {"provisioningState": "Succeeded"},
    }
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert first.headers["x-ms-request-id"] and first.headers["x-ms-correlation-request-id"]
    moved = arm.put(url, params=params, json={"location": "westus2"})
    assert (moved.status_code, moved.json()["error"]["code"]) == (409, "InvalidResourceGroupLocation")


def test_missing_group_is_not_found(resources):
    with pytest.raises(ResourceNotFoundError) as raised:
        resources.resource_groups.get("absent")
    assert raised.value.error.code == "ResourceGroupNotFound"


@pytest.mark.parametrize("name", ["bad name", "ends.with.dot.", "x" * 91, "semi;colon"])
def test_invalid_names_are_refused(emulator, arm, name):
    answer = arm.put(sub_url(emulator, f"/resourcegroups/{name}"), params={"api-version": "2022-12-01"}, json={})
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "InvalidResourceGroup")


def test_location_is_required_and_checked(emulator, arm):
    url, params = sub_url(emulator, "/resourcegroups/rg"), {"api-version": "2022-12-01"}
    assert arm.put(url, params=params, json={}).json()["error"]["code"] == "LocationRequired"
    answer = arm.put(url, params=params, json={"location": "atlantis"})
    assert answer.json()["error"]["code"] == "LocationNotAvailableForResourceGroup"


def test_missing_api_version_is_refused(emulator, arm):
    answer = arm.get(sub_url(emulator, "/resourcegroups"))
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "MissingApiVersionParameter"


@pytest.mark.latency_scale(0.1)  # the group takes 0.2 s to go, long enough to watch it
def test_delete_is_an_lro_that_removes_the_content(emulator, arm, resources):
    resources.resource_groups.create_or_update("doomed", {"location": "eastus"})
    register(arm, emulator, "Microsoft.Storage")
    account = sub_url(emulator, "/resourceGroups/doomed/providers/Microsoft.Storage/storageAccounts/doomedsa")
    params = {"api-version": "2025-06-01"}
    arm.put(account, params=params, json={"location": "eastus", "sku": {"name": "Standard_LRS"}}).raise_for_status()

    deleting = arm.delete(sub_url(emulator, "/resourcegroups/doomed"), params={"api-version": "2022-12-01"})
    assert deleting.status_code == 202
    monitor = deleting.headers["Location"]
    assert monitor.startswith(emulator.url + "/subscriptions/")
    assert float(deleting.headers["Retry-After"]) >= 1  # an int: the SDKs parse the initial one with int()
    polled = arm.get(monitor)
    assert polled.status_code == 202 and 0 < float(polled.headers["Retry-After"]) < 1
    assert resources.resource_groups.get("doomed").properties.provisioning_state == "Deleting"

    resources.resource_groups.begin_delete("doomed").result()  # deleting again re-attaches to the same operation
    assert arm.get(monitor).status_code == 200
    assert resources.resource_groups.check_existence("doomed") is False
    assert arm.get(account, params=params).json()["error"]["code"] == "ResourceGroupNotFound"
    with pytest.raises(ResourceNotFoundError):
        resources.resource_groups.begin_delete("doomed").result()


@pytest.mark.latency_scale(0.1)
def test_writes_into_a_group_being_deleted_are_refused(emulator, arm, resources):
    resources.resource_groups.create_or_update("going", {"location": "eastus"})
    resources.resource_groups.begin_delete("going")
    with pytest.raises(HttpResponseError) as raised:
        resources.resource_groups.create_or_update("going", {"location": "eastus"})
    assert raised.value.error.code == "ResourceGroupBeingDeleted"
    answer = arm.put(
        sub_url(emulator, "/resourceGroups/going/providers/Microsoft.Resources/deployments/d"),
        params={"api-version": "2022-12-01"},
        json={"properties": {}},
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "ResourceGroupBeingDeleted")
