"""Resource provider registration: Registering, then Registered after a (scaled) delay; until then a write into
the namespace is refused with MissingSubscriptionRegistration, exactly as ARM words it."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import wait_until

VNET = {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}


def test_register_moves_from_registering_to_registered(make_client):
    resources = make_client(ResourceManagementClient)
    assert resources.providers.get("Microsoft.Compute").registration_state == "NotRegistered"
    assert resources.providers.register("Microsoft.Compute").registration_state == "Registering"
    wait_until(lambda: resources.providers.get("Microsoft.Compute").registration_state == "Registered")
    assert resources.providers.register("Microsoft.Compute").registration_state == "Registered"
    assert resources.providers.unregister("Microsoft.Compute").registration_state == "Unregistering"
    wait_until(lambda: resources.providers.get("Microsoft.Compute").registration_state == "NotRegistered")


def test_seeded_namespaces(make_client):
    providers = {p.namespace: p for p in make_client(ResourceManagementClient).providers.list()}
    assert providers["Microsoft.Resources"].registration_state == "Registered"
    assert providers["Microsoft.Authorization"].registration_state == "Registered"
    for namespace in ("Microsoft.Storage", "Microsoft.MachineLearningServices", "Microsoft.DataFactory"):
        assert providers[namespace].registration_state == "NotRegistered"
    storage_types = {t.resource_type: t for t in providers["Microsoft.Storage"].resource_types}
    assert "2025-06-01" in storage_types["storageAccounts"].api_versions
    assert "East US" in storage_types["storageAccounts"].locations


def test_write_before_registration_is_refused(make_client):
    resources = make_client(ResourceManagementClient)
    resources.resource_groups.create_or_update("rg", {"location": "westeurope"})
    network = make_client(NetworkManagementClient)
    with pytest.raises(HttpResponseError) as raised:
        network.virtual_networks.begin_create_or_update("rg", "vnet", VNET)
    assert raised.value.status_code == 409
    assert raised.value.error.code == "MissingSubscriptionRegistration"
    assert "namespace 'Microsoft.Network'" in raised.value.error.message
    resources.providers.register("Microsoft.Network")
    wait_until(lambda: resources.providers.get("Microsoft.Network").registration_state == "Registered")
    assert network.virtual_networks.begin_create_or_update("rg", "vnet", VNET).result().name == "vnet"


def test_unknown_namespace(make_client):
    with pytest.raises(HttpResponseError) as raised:
        make_client(ResourceManagementClient).providers.get("Microsoft.Nonsense")
    assert raised.value.error.code == "InvalidResourceNamespace"
