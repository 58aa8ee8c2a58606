"""The generic resource store: any type under a registered namespace works before it has a behaviour, with ARM's
rules for groups, parents, casing and listings (including the /resources listings and their $filter)."""

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url

API = {"api-version": "2024-11-01"}


@pytest.fixture
def resources(emulator, arm, make_client) -> ResourceManagementClient:
    client = make_client(ResourceManagementClient)
    client.resource_groups.create_or_update("rg", {"location": "eastus"})
    register(arm, emulator, "Microsoft.ContainerRegistry")
    return client


def registry_url(emulator, name: str = "Registry1", group: str = "rg") -> str:
    return sub_url(emulator, f"/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{name}")


def test_unknown_types_are_echoed_synchronously(emulator, arm, resources):
    body = {"location": "East US", "tags": {"a": "b"}, "identity": {"type": "SystemAssigned"}, "properties": {"x": 1}}
    created = arm.put(registry_url(emulator), params=API, json=body)
    assert created.status_code == 201
    registry = created.json()
    assert registry["id"].endswith("/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/Registry1")
    assert registry["type"] == "Microsoft.ContainerRegistry/registries"
    assert registry["location"] == "eastus" and registry["identity"]["type"] == "SystemAssigned"
    assert registry["identity"]["principalId"] and registry["identity"]["tenantId"]
    assert registry["properties"] == {"x": 1, "provisioningState": "Succeeded"}
    assert arm.put(registry_url(emulator, "registry1"), params=API, json=body).status_code == 200
    patched = arm.patch(registry_url(emulator), params=API, json={"tags": {"c": "d"}, "properties": {"y": 2}})
    assert patched.json()["tags"] == {"c": "d"} and patched.json()["properties"]["x"] == 1
    assert resources.resources.get_by_id(registry["id"], api_version="2024-11-01").name == "Registry1"
    assert arm.head(registry_url(emulator, "REGISTRY1"), params=API).status_code == 204


def test_children_need_their_parent_and_go_with_it(emulator, arm, resources):
    secret = registry_url(emulator) + "/webhooks/s1"
    orphan = arm.put(secret, params=API, json={"properties": {}})
    assert (orphan.status_code, orphan.json()["error"]["code"]) == (404, "ParentResourceNotFound")
    arm.put(registry_url(emulator), params=API, json={"location": "eastus"})
    child = arm.put(secret, params=API, json={"properties": {"activities": []}}).json()
    assert child["type"] == "Microsoft.ContainerRegistry/registries/webhooks"
    listed = arm.get(registry_url(emulator) + "/webhooks", params=API).json()
    assert [item["name"] for item in listed["value"]] == ["s1"]
    assert arm.delete(registry_url(emulator), params=API).status_code == 200
    assert arm.get(secret, params=API).status_code == 404
    assert arm.delete(registry_url(emulator), params=API).status_code == 204


def test_missing_group_and_namespace_rules(emulator, arm, resources):
    lost = arm.put(registry_url(emulator, group="nogroup"), params=API, json={"location": "eastus"})
    assert (lost.status_code, lost.json()["error"]["code"]) == (404, "ResourceGroupNotFound")
    missing = arm.get(registry_url(emulator, "nothing"), params=API)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "ResourceNotFound")
    unknown = arm.put(sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Nope/things/t"), params=API, json={})
    assert unknown.json()["error"]["code"] == "InvalidResourceNamespace"
    with pytest.raises(ResourceNotFoundError) as raised:
        resources.resources.get_by_id(registry_url(emulator, "gone")[len(emulator.url) :], api_version="2024-11-01")
    assert raised.value.error.code == "ResourceNotFound"


def test_resource_listings_filter_and_page(emulator, arm, resources):
    for name in ("f1", "f2", "f3"):
        arm.put(registry_url(emulator, name), params=API, json={"location": "eastus"})
    arm.put(registry_url(emulator, "f1") + "/webhooks/s", params=API, json={"properties": {}})
    register(arm, emulator, "Microsoft.Storage")
    account = {"location": "eastus", "sku": {"name": "Standard_LRS"}}
    storage = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1")
    arm.put(storage, params={"api-version": "2025-06-01"}, json=account)

    everything = sorted(item.name for item in resources.resources.list())
    assert everything == ["f1", "f2", "f3", "sa1"]  # tracked resources only: no child webhook, no blob service
    registries = resources.resources.list(filter="resourceType eq 'microsoft.containerregistry/registries'", top=2)
    assert sorted(item.name for item in registries) == ["f1", "f2", "f3"]  # followed nextLink across pages
    pages = [entry for entry in emulator.request_log() if entry["path"].endswith("/resources")]
    assert "$skiptoken=2" in pages[-1]["query"]
    in_group = resources.resources.list_by_resource_group("rg", filter="name eq 'F2'", expand="provisioningState")
    assert [(item.name, item.provisioning_state) for item in in_group] == [("f2", "Succeeded")]
    with pytest.raises(HttpResponseError) as raised:
        list(resources.resources.list(filter="substringof('f', name)"))
    assert raised.value.error.code == "InvalidFilterInQueryString"
    everywhere = arm.get(sub_url(emulator, "/providers/Microsoft.ContainerRegistry/registries"), params=API).json()
    assert len(everywhere["value"]) == 3


def test_resource_listing_filters_by_group_and_tag(emulator, arm, resources):
    resources.resource_groups.create_or_update("other", {"location": "eastus"})
    arm.put(registry_url(emulator, "a"), params=API, json={"location": "eastus", "tags": {"env": "Prod"}})
    arm.put(registry_url(emulator, "b", "other"), params=API, json={"location": "eastus", "tags": {"env": "dev"}})
    assert [item.name for item in resources.resources.list(filter="resourceGroup eq 'OTHER'")] == ["b"]
    tagged = resources.resources.list(filter="tagName eq 'env' and tagValue eq 'prod'")
    assert [item.name for item in tagged] == ["a"]
    assert sorted(item.name for item in resources.resources.list(filter="tagName eq 'env'")) == ["a", "b"]


def test_data_factory_answers_200_even_on_create(emulator, arm, resources):
    register(arm, emulator, "Microsoft.DataFactory")
    factory = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.DataFactory/factories/adf")
    params = {"api-version": "2018-06-01"}
    assert arm.put(factory, params=params, json={"location": "eastus"}).status_code == 200
    assert arm.put(f"{factory}/pipelines/p", params=params, json={"properties": {}}).status_code == 200


def test_etag_and_system_data_are_the_services_stable_across_reads_new_on_writes(emulator, arm, resources):
    sent = {"location": "eastus", "etag": "mine", "systemData": {"createdBy": "me"}}
    created = arm.put(registry_url(emulator), params=API, json=sent).json()
    assert created["etag"].startswith('W/"') and created["etag"] != "mine"
    assert created["systemData"]["createdBy"] != "me" and created["systemData"]["createdByType"] == "Application"
    read = arm.get(registry_url(emulator), params=API).json()
    assert (read["etag"], read["systemData"]) == (created["etag"], created["systemData"])
    updated = arm.put(registry_url(emulator), params=API, json={"location": "eastus", "tags": {"a": "b"}}).json()
    assert updated["etag"] != created["etag"]
    assert updated["systemData"]["createdAt"] == created["systemData"]["createdAt"]
    assert "lastModifiedAt" in updated["systemData"]
    group = resources.resource_groups.get("rg").as_dict()
    assert "etag" not in group and "system_data" not in group
