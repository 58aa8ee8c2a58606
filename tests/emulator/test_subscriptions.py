"""Tenant-level ARM through SubscriptionClient: the demo subscription, its tenant and its regions."""

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.resource.subscriptions import SubscriptionClient

from tests.emulator.helpers import client_options
from wizard.emulator import DEMO


@pytest.fixture
def subscriptions(emulator, arm_credential) -> SubscriptionClient:
    return SubscriptionClient(arm_credential, **client_options(emulator))


def test_lists_the_demo_subscription(subscriptions):
    (only,) = list(subscriptions.subscriptions.list())
    assert only.subscription_id == DEMO.subscription_id
    assert only.tenant_id == DEMO.tenant_id
    assert only.display_name == DEMO.subscription_name
    assert only.state == "Enabled"
    assert subscriptions.subscriptions.get(DEMO.subscription_id).id == f"/subscriptions/{DEMO.subscription_id}"
    assert [tenant.tenant_id for tenant in subscriptions.tenants.list()] == [DEMO.tenant_id]


def test_lists_realistic_locations(subscriptions):
    regions = {region.name: region for region in subscriptions.subscriptions.list_locations(DEMO.subscription_id)}
    assert len(regions) >= 15
    east = regions["eastus"]
    assert east.display_name == "East US"
    assert east.regional_display_name == "(US) East US"
    assert east.metadata.paired_region[0].name == "westus"


def test_unknown_subscription_is_not_found(subscriptions):
    with pytest.raises(ResourceNotFoundError) as raised:
        subscriptions.subscriptions.get("00000000-0000-0000-0000-000000000000")
    assert raised.value.error.code == "SubscriptionNotFound"
