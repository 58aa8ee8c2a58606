"""Every ARM request is checked against the catalogue: its type must be declared and its api-version one of that
type's. What is refused is never stored."""

from urllib.parse import parse_qs, urlparse

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url
from wizard.emulator import catalogue

BAD = {"api-version": "1999-01-01"}


@pytest.fixture
def group(emulator, arm, make_client) -> str:
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "eastus"})
    for namespace in ("Microsoft.Compute", "Microsoft.Network", "Microsoft.Storage"):
        register(arm, emulator, namespace)
    return sub_url(emulator, "/resourceGroups/rg")


_GROUPS, _NETWORKS = "Microsoft.Resources/resourceGroups", "Microsoft.Network/virtualNetworks"


@pytest.mark.parametrize(
    ("path", "method", "type_", "code"),
    [
        ("/resourceGroups/rg", "GET", _GROUPS, "InvalidApiVersionParameter"),
        ("/resourceGroups/rg2", "PUT", _GROUPS, "InvalidApiVersionParameter"),
        ("/resources", "GET", "Microsoft.Resources/resources", "InvalidApiVersionParameter"),
        ("", "GET", "Microsoft.Resources/subscriptions", "InvalidApiVersionParameter"),
        (
            "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v1",
            "PUT",
            _NETWORKS,
            "NoRegisteredProviderFound",
        ),
        (
            "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
            "GET",
            "Microsoft.Compute/virtualMachines",
            "NoRegisteredProviderFound",
        ),
        ("/providers/Microsoft.Compute/skus", "GET", "Microsoft.Compute/skus", "NoRegisteredProviderFound"),
    ],
)
def test_unsupported_api_versions_are_refused_with_the_supported_ones(emulator, arm, group, path, method, type_, code):
    answer = arm.request(method, sub_url(emulator, path), params=BAD, json={"location": "eastus"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == code
    assert "1999-01-01" in error["message"] and ", ".join(catalogue.api_versions(type_)) in error["message"]
    assert arm.get(sub_url(emulator, "/resourceGroups/rg2"), params={"api-version": "2025-04-01"}).status_code == 404


def test_unknown_types_and_sub_paths_are_refused_and_not_stored(emulator, arm, group):
    api = {"api-version": "2026-04-01"}
    unknown = arm.put(f"{group}/providers/Microsoft.Compute/fooBars/f1", params=api, json={"location": "eastus"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (400, "InvalidResourceType")
    assert "fooBars" in unknown.json()["error"]["message"]
    assert arm.get(f"{group}/providers/Microsoft.Compute/fooBars", params=api).status_code == 400
    account = f"{group}/providers/Microsoft.Storage/storageAccounts/acct1"
    storage = {"api-version": "2025-06-01"}
    arm.put(account, params=storage, json={"location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"})
    assert arm.get(f"{account}/listKeys", params=storage).json()["error"]["code"] == "InvalidResourceType"
    assert arm.post(f"{account}/explode", params=storage).json()["error"]["code"] == "InvalidResourceType"
    listed = arm.get(sub_url(emulator, "/resources"), params={"api-version": "2025-04-01"}).json()["value"]
    assert [item["type"] for item in listed] == ["Microsoft.Storage/storageAccounts"]


def test_the_pinned_sdks_versions_are_in_the_catalogue():
    from azure.mgmt.compute.operations import _operations as compute
    from azure.mgmt.devtestlabs.operations import _global_schedules_operations as devtestlab
    from azure.mgmt.network.operations import _operations as network
    from azure.mgmt.resource.resources.operations import _operations as resources

    built = {
        "Microsoft.Compute/virtualMachines": compute.build_virtual_machines_get_request("g", "v", "s"),
        "Microsoft.Compute/disks": compute.build_disks_get_request("g", "d", "s"),
        "Microsoft.Compute/locations/publishers": compute.build_virtual_machine_images_list_offers_request(
            "l", "p", "s"
        ),
        "Microsoft.Network/virtualNetworks": network.build_virtual_networks_get_request("g", "v", "s"),
        "Microsoft.Resources/resourceGroups": resources.build_resource_groups_get_request("g", "s"),
        "Microsoft.DevTestLab/schedules": devtestlab.build_get_request("g", "n", "s"),
    }
    for type_, request in built.items():
        version = parse_qs(urlparse(request.url).query)["api-version"][0]
        assert version in catalogue.api_versions(type_), (type_, version)
