"""Template deployments on the wire (the pinned azure-mgmt-resource has no deployments client): ARM runs them
asynchronously (201, Accepted, then Running, then Succeeded) and shows what it derived from the template, not the
template itself, which exportTemplate gives back."""

import time

from tests.emulator.helpers import sub_url

TEMPLATE = {
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [
        {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2025-06-01", "name": "st", "location": "eastus"}
    ],
}


def test_a_deployment_runs_asynchronously_and_shows_the_templates_providers(emulator, arm):
    arm.put(
        sub_url(emulator, "/resourcegroups/rg-deploy"),
        params={"api-version": "2022-12-01"},
        json={"location": "eastus"},
    )
    url, params = (
        sub_url(emulator, "/resourceGroups/rg-deploy/providers/Microsoft.Resources/deployments/d1"),
        {"api-version": "2022-12-01"},
    )
    started = arm.put(url, params=params, json={"properties": {"template": TEMPLATE, "mode": "Incremental"}})
    assert started.status_code == 201
    assert started.json()["properties"]["provisioningState"] in ("Accepted", "Running")
    deadline = time.monotonic() + 10
    while (status := arm.get(started.headers["Azure-AsyncOperation"]).json()["status"]) != "Succeeded":
        assert status in ("Accepted", "Running", "InProgress") and time.monotonic() < deadline
        time.sleep(0.02)
    done = arm.get(url, params=params).json()["properties"]
    assert done["provisioningState"] == "Succeeded"
    assert done["providers"] == [
        {
            "namespace": "Microsoft.Storage",
            "resourceTypes": [{"resourceType": "storageAccounts", "locations": ["eastus"]}],
        }
    ]
    assert done["templateHash"] and done["correlationId"] and done["duration"] != "PT0S"
    assert "template" not in started.json()["properties"] and "template" not in done
    exported = arm.post(f"{url}/exportTemplate", params=params)
    assert exported.status_code == 200 and exported.json() == {"template": TEMPLATE}
