"""The Compute reads and actions other Azure tools rely on, through ComputeManagementClient: the instance view
(expanded or as its own read), power actions as long-running operations, etag, sizes and image publishers."""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.compute.models import VirtualMachineExtension, VirtualMachineExtensionProperties
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register
from tests.emulator.test_behaviours import VM, _network_interface


@pytest.fixture
def compute(emulator, arm, make_client) -> ComputeManagementClient:
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.Compute")
    _network_interface(emulator, arm)
    client = make_client(ComputeManagementClient)
    client.virtual_machines.begin_create_or_update("rg", "vm1", VM).result()
    return client


def _codes(view) -> list[str]:
    return [status.code for status in view.statuses]


def test_instance_view_shows_provisioning_power_and_agent(compute):
    view = compute.virtual_machines.instance_view("rg", "vm1")
    assert _codes(view) == ["ProvisioningState/succeeded", "PowerState/running"]
    assert view.vm_agent.statuses[0].display_status == "Ready"
    expanded = compute.virtual_machines.get("rg", "vm1", expand="instanceView")
    assert _codes(expanded.properties.instance_view) == _codes(view)
    assert compute.virtual_machines.get("rg", "vm1").properties.instance_view is None


def test_power_actions_are_long_running_and_change_the_power_state(compute):
    poller = compute.virtual_machines.begin_deallocate("rg", "vm1")
    assert poller.status() == "InProgress"
    poller.result()
    assert _codes(compute.virtual_machines.instance_view("rg", "vm1"))[-1] == "PowerState/deallocated"
    compute.virtual_machines.begin_start("rg", "vm1").result()
    assert _codes(compute.virtual_machines.instance_view("rg", "vm1"))[-1] == "PowerState/running"
    compute.virtual_machines.begin_power_off("rg", "vm1").result()
    assert _codes(compute.virtual_machines.instance_view("rg", "vm1"))[-1] == "PowerState/stopped"
    compute.virtual_machines.begin_restart("rg", "vm1").result()
    assert _codes(compute.virtual_machines.instance_view("rg", "vm1"))[-1] == "PowerState/running"


def test_vm_etag_counts_writes_and_is_stable_across_reads(compute):
    first = compute.virtual_machines.get("rg", "vm1").etag
    assert first == '"1"' and compute.virtual_machines.get("rg", "vm1").etag == first
    compute.virtual_machines.begin_update("rg", "vm1", {"tags": {"a": "b"}}).result()
    assert compute.virtual_machines.get("rg", "vm1").etag == '"2"'


def test_sizes_and_image_publishers_of_a_region(compute):
    sizes = {size.name: size for size in compute.virtual_machine_sizes.list("westeurope")}
    assert sizes["Standard_D2s_v3"].number_of_cores == 2 and sizes["Standard_D2s_v3"].memory_in_mb == 8192
    publishers = [entry.name for entry in compute.virtual_machine_images.list_publishers("westeurope")]
    assert "microsoft-dsvm" in publishers and "Canonical" in publishers
    assert "microsoft-dsvm" not in [
        entry.name for entry in compute.virtual_machine_images.list_publishers("brazilsouth")
    ]
    offers = compute.virtual_machine_images.list_offers("westeurope", "Canonical")
    assert [offer.name for offer in offers] == ["ubuntu-24_04-lts", "UbuntuServer"]


def test_user_data_is_shown_only_when_expanded(compute):
    vm = compute.virtual_machines.get("rg", "vm1")
    vm.properties.user_data = script = "IyEvYmluL3NoCmVjaG8gaGVsbG8K"
    written = compute.virtual_machines.begin_create_or_update("rg", "vm1", vm).result()
    assert written.properties.user_data is None
    assert compute.virtual_machines.get("rg", "vm1").properties.user_data is None
    assert compute.virtual_machines.get("rg", "vm1", expand="userData").properties.user_data == script
    vm.properties.user_data = "not base64!"
    with pytest.raises(HttpResponseError, match="userData"):
        compute.virtual_machines.begin_create_or_update("rg", "vm1", vm)


def test_an_extension_is_installed_as_a_long_running_write_and_listed_with_its_vm(compute):
    settings = {"commandToExecute": "echo hello"}
    properties = VirtualMachineExtensionProperties(
        publisher="Microsoft.Azure.Extensions", type="CustomScript", type_handler_version="2.1", settings=settings
    )
    extension = VirtualMachineExtension(location="westeurope", properties=properties)
    poller = compute.virtual_machine_extensions.begin_create_or_update("rg", "vm1", "hello", extension)
    assert poller.status() == "InProgress"
    assert poller.result().properties.provisioning_state == "Succeeded"
    resources = compute.virtual_machines.get("rg", "vm1").resources
    assert [(r.name, r.properties.type) for r in resources] == [("hello", "CustomScript")]
    assert compute.virtual_machine_extensions.get("rg", "vm1", "hello").properties.settings == settings
