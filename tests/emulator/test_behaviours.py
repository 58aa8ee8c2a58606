"""The per-type behaviours beyond storage: VMs through ComputeManagementClient, what network resources show of
each other, ML answers as the specification examples declare them."""

from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url, wait_until
from wizard.emulator import DEMO

NIC = "/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic"
VM = {
    "location": "westeurope",
    "properties": {
        "hardwareProfile": {"vmSize": "Standard_D2s_v3"},
        "storageProfile": {
            "imageReference": {
                "publisher": "Canonical",
                "offer": "ubuntu-24_04-lts",
                "sku": "server",
                "version": "latest",
            }
        },
        "osProfile": {"computerName": "vm1", "adminUsername": "azureuser", "adminPassword": "S3cret-Passw0rd!"},
        "networkProfile": {"networkInterfaces": [{"id": f"/subscriptions/{DEMO.subscription_id}{NIC}"}]},
    },
}


def _network_interface(emulator, arm) -> None:
    """A VM needs an existing network interface (in a subnet), as in Azure."""
    register(arm, emulator, "Microsoft.Network")
    params = {"api-version": "2024-05-01"}
    vnet = "/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"
    subnet = {"name": "default", "properties": {"addressPrefix": "10.0.0.0/24"}}
    network = {"location": "westeurope", "properties": {"subnets": [subnet]}}
    arm.put(sub_url(emulator, vnet), params=params, json=network).raise_for_status()
    config = {
        "name": "ipconfig1",
        "properties": {"subnet": {"id": f"/subscriptions/{DEMO.subscription_id}{vnet}/subnets/default"}},
    }
    nic = {"location": "westeurope", "properties": {"ipConfigurations": [config]}}
    arm.put(sub_url(emulator, NIC), params=params, json=nic).raise_for_status()


def test_virtual_machine_create_never_echoes_the_password(emulator, arm, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.Compute")
    _network_interface(emulator, arm)
    compute = make_client(ComputeManagementClient)
    poller = compute.virtual_machines.begin_create_or_update("rg", "vm1", VM)
    assert poller.status() == "InProgress"
    vm = poller.result()
    assert vm.properties.provisioning_state == "Succeeded" and vm.properties.vm_id
    assert vm.properties.os_profile.admin_password is None
    stored = b"".join(path.read_bytes() for path in emulator.state_dir.glob("emulator.sqlite3*"))
    assert b"S3cret" not in stored


def test_machine_learning_workspace_and_compute_answers(emulator, arm):
    arm.put(sub_url(emulator, "/resourcegroups/rg"), params={"api-version": "2022-12-01"}, json={"location": "eastus"})
    register(arm, emulator, "Microsoft.MachineLearningServices")
    workspace = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws")
    params = {"api-version": "2025-09-01"}
    created = arm.put(workspace, params=params, json={"location": "eastus", "properties": {}})
    assert (created.status_code, created.content) == (202, b"") and "Location" in created.headers
    compute = arm.put(f"{workspace}/computes/cpu", params=params, json={"properties": {"computeType": "AmlCompute"}})
    assert compute.status_code == 201 and "Azure-AsyncOperation" in compute.headers
    assert compute.json()["properties"]["provisioningState"] == "Creating"


def test_weekly_devtestlab_schedules_are_accepted_and_bad_weekdays_refused(emulator, arm, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.DevTestLab")
    url = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.DevTestLab/schedules/labvmautostart")
    weekly = {"time": "0700", "weekdays": ["Monday", "Friday"]}
    properties = {"taskType": "LabVmsStartupTask", "timeZoneId": "UTC", "weeklyRecurrence": weekly}
    params = {"api-version": "2018-09-15"}
    created = arm.put(url, params=params, json={"location": "westeurope", "properties": properties})
    assert created.status_code == 201 and created.json()["properties"]["weeklyRecurrence"] == weekly
    properties["weeklyRecurrence"] = {"time": "0700", "weekdays": ["Funday"]}
    refused = arm.put(url, params=params, json={"location": "westeurope", "properties": properties})
    assert refused.status_code == 400


def test_data_factory_echoes_the_location_as_sent_where_arm_would_shorten_it(emulator, arm, make_client):
    """Data Factory answers "East US" for "East US" (its spec example shows it); most services answer "eastus"."""
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg-loc", {"location": "East US"})
    register(arm, emulator, "Microsoft.DataFactory")
    factory = sub_url(emulator, "/resourceGroups/rg-loc/providers/Microsoft.DataFactory/factories/f-loc")
    answer = arm.put(factory, params={"api-version": "2018-06-01"}, json={"location": "East US"})
    assert answer.status_code == 200 and answer.json()["location"] == "East US"
    assert arm.get(factory, params={"api-version": "2018-06-01"}).json()["location"] == "East US"
    group = make_client(ResourceManagementClient).resource_groups.get("rg-loc")
    assert group.location == "eastus"
    refused = arm.put(
        factory.replace("f-loc", "f-nowhere"), params={"api-version": "2018-06-01"}, json={"location": "Mars"}
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "LocationNotAvailableForResourceType"


def test_app_service_echoes_the_location_as_sent_and_names_the_region_in_full(emulator, arm, make_client):
    """App Service plans and sites answer "East US" for "East US", as their spec examples show."""
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg-web", {"location": "eastus"})
    register(arm, emulator, "Microsoft.Web")
    params = {"api-version": "2024-11-01"}
    plan_url = sub_url(emulator, "/resourceGroups/rg-web/providers/Microsoft.Web/serverfarms/plan-loc")
    plan = arm.put(plan_url, params=params, json={"location": "East US", "sku": {"name": "B1"}}).json()
    assert plan["location"] == "East US" and plan["properties"]["geoRegion"] == "East US"
    other = arm.put(plan_url + "2", params=params, json={"location": "eastus", "sku": {"name": "B1"}}).json()
    assert other["properties"]["geoRegion"] == "East US"
    site_url = sub_url(emulator, "/resourceGroups/rg-web/providers/Microsoft.Web/sites/site-loc")
    site = {"location": "East US", "properties": {"serverFarmId": plan["id"]}}
    assert arm.put(site_url, params=params, json=site).json()["location"] == "East US"
    assert arm.get(site_url, params=params).json()["location"] == "East US"


def test_a_geo_redundant_account_replicates_to_its_regions_pair(emulator, arm, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg-geo", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.Storage")
    params = {"api-version": "2025-06-01"}
    for name, sku in (("geoacct", "Standard_RAGRS"), ("localacct", "Standard_LRS")):
        url = sub_url(emulator, f"/resourceGroups/rg-geo/providers/Microsoft.Storage/storageAccounts/{name}")
        arm.put(url, params=params, json={"location": "westeurope", "kind": "StorageV2", "sku": {"name": sku}})
    geo = sub_url(emulator, "/resourceGroups/rg-geo/providers/Microsoft.Storage/storageAccounts/geoacct")
    shown = arm.get(geo, params=params | {"$expand": "geoReplicationStats"}).json()["properties"]
    assert (shown["secondaryLocation"], shown["statusOfSecondary"]) == ("northeurope", "available")
    assert shown["geoReplicationStats"]["status"] == "Live" and "blob" in shown["secondaryEndpoints"]
    assert "geoReplicationStats" not in arm.get(geo, params=params).json()["properties"]
    local = arm.get(geo.replace("geoacct", "localacct"), params=params).json()["properties"]
    assert "secondaryLocation" not in local


def test_a_custom_role_reads_back_and_is_assignable_only_within_its_scopes(emulator, arm, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg-role", {"location": "eastus"})
    params = {"api-version": "2022-04-01"}
    role_id = f"/subscriptions/{DEMO.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/" + (
        "11111111-2222-3333-4444-555555555555"
    )
    group_scope = sub_url(emulator, "/resourceGroups/rg-role").removeprefix(emulator.url)
    role = {"roleName": "Readers of rg-role", "permissions": [{"actions": ["*/read"]}]}
    made = arm.put(
        emulator.url + role_id, params=params, json={"properties": role | {"assignableScopes": [group_scope]}}
    )
    assert made.status_code == 201 and made.json()["properties"]["type"] == "CustomRole"
    assert arm.get(emulator.url + role_id, params=params).json()["properties"]["roleName"] == "Readers of rg-role"
    assignment = {"properties": {"roleDefinitionId": role_id, "principalId": "0c1f0000-0000-0000-0000-000000000001"}}
    assigns = "/providers/Microsoft.Authorization/roleAssignments/2f1c0000-0000-0000-0000-000000000001"
    outside = arm.put(sub_url(emulator, assigns), params=params, json=assignment)
    assert outside.status_code == 403  # the subscription is not among the role's assignable scopes
    inside = arm.put(emulator.url + group_scope + assigns, params=params, json=assignment)
    assert inside.status_code == 201
    shown = inside.json()
    assert shown["properties"]["scope"] == group_scope and shown["properties"]["roleDefinitionId"] == role_id
    assert "provisioningState" not in shown["properties"] and "etag" not in shown  # as ARM answers an assignment


def test_a_public_ip_shows_the_nic_configuration_using_it_until_the_nic_goes(emulator, arm, make_client):
    make_client(ResourceManagementClient).resource_groups.create_or_update("rg", {"location": "westeurope"})
    _network_interface(emulator, arm)
    params = {"api-version": "2024-05-01"}
    address = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip")
    arm.put(address, params=params, json={"location": "westeurope"}).raise_for_status()
    assert "ipConfiguration" not in arm.get(address, params=params).json()["properties"]
    nic = arm.get(sub_url(emulator, NIC), params=params).json()
    primary = nic["properties"]["ipConfigurations"][0]
    primary["properties"]["publicIPAddress"] = {"id": address.removeprefix(emulator.url)}
    secondary = {"name": "ipconfig2", "properties": {}}  # no subnet: Azure puts it in the primary's
    nic["properties"]["ipConfigurations"].append(secondary)
    updated = arm.put(sub_url(emulator, NIC), params=params, json=nic).json()
    [first, second] = updated["properties"]["ipConfigurations"]
    assert second["properties"]["subnet"] == first["properties"]["subnet"]
    assert arm.get(address, params=params).json()["properties"]["ipConfiguration"] == {"id": first["id"]}
    arm.delete(sub_url(emulator, NIC), params=params)
    wait_until(lambda: arm.get(sub_url(emulator, NIC), params=params).status_code == 404)
    assert "ipConfiguration" not in arm.get(address, params=params).json()["properties"]


def _workspace_with_storage(emulator, arm) -> str:
    arm.put(sub_url(emulator, "/resourcegroups/rg"), params={"api-version": "2022-12-01"}, json={"location": "eastus"})
    register(arm, emulator, "Microsoft.Storage")
    register(arm, emulator, "Microsoft.MachineLearningServices")
    account = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/wsstore")
    storage = {"api-version": "2025-06-01"}
    arm.put(account, params=storage, json={"location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"})
    wait_until(lambda: arm.get(account, params=storage).status_code == 200)
    workspace = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws")
    linked = {"storageAccount": account.removeprefix(emulator.url)}
    params = {"api-version": "2025-09-01"}
    arm.put(workspace, params=params, json={"location": "eastus", "properties": linked}).raise_for_status()
    wait_until(lambda: arm.get(workspace, params=params).status_code == 200)
    return workspace


def test_workspace_keys_hand_out_the_linked_storage_key(emulator, arm):
    workspace = _workspace_with_storage(emulator, arm)
    keys = arm.post(f"{workspace}/listKeys", params={"api-version": "2025-06-01"}).json()
    account = sub_url(emulator, "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/wsstore")
    storage_keys = arm.post(f"{account}/listKeys", params={"api-version": "2025-06-01"}).json()["keys"]
    assert keys["userStorageKey"] == storage_keys[0]["value"]
    assert keys["userStorageArmId"].lower() == account.removeprefix(emulator.url).lower()


def test_a_job_a_client_puts_is_not_started_and_reads_back(emulator, arm):
    job = f"{_workspace_with_storage(emulator, arm)}/jobs/manual-job"
    params = {"api-version": "2025-09-01"}
    created = arm.put(job, params=params, json={"properties": {"jobType": "Pipeline", "jobs": {}}})
    assert created.ok and created.json()["properties"]["status"] == "NotStarted"
    assert arm.get(job, params=params).json()["properties"]["status"] == "NotStarted"
    refused = arm.put(job, params=params, json={"properties": {}})
    assert refused.status_code == 400
