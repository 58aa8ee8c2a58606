"""The fault kinds table (wizard/emulator/faults.py) as the SDK meets each kind: drawn with a seed, connection
resets, late answers, expired tokens, the subscription write throttle and operations that never end."""

import pytest
import requests
from azure.core.exceptions import HttpResponseError, ServiceResponseError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register, sub_url
from wizard.emulator.faults import KINDS

VNET = {"location": "westeurope", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}
GROUPS = r"/resourcegroups$"


def _statuses(emulator, suffix: str) -> list[int]:
    return [entry["status"] for entry in emulator.request_log() if entry["path"].lower().endswith(suffix)]


def test_a_kind_gives_its_answer_from_the_table(emulator, make_client):
    emulator.inject_fault("PUT", "/resourcegroups/denied$", kind="policy_denied")
    with pytest.raises(HttpResponseError) as raised:
        make_client(ResourceManagementClient).resource_groups.create_or_update("denied", {"location": "eastus"})
    assert (raised.value.status_code, raised.value.error.code) == (403, "RequestDisallowedByPolicy")


def test_probability_with_a_seed_fires_on_the_same_requests_every_time(emulator, arm):
    def pattern(seed: int) -> list[int]:
        emulator.reset()
        emulator.inject_fault("GET", GROUPS, kind="internal_error", times=None, probability=0.5, seed=seed)
        return [
            arm.get(sub_url(emulator, "/resourcegroups"), params={"api-version": "2022-12-01"}).status_code
            for _ in range(12)
        ]

    first = pattern(7)
    assert first == pattern(7)
    assert set(first) == {200, 500}
    assert first != pattern(8)


def test_a_reset_connection_is_retried_by_azure_core(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    fault = emulator.inject_fault("GET", GROUPS, kind="connection_reset", times=1)
    assert list(resources.resource_groups.list()) == []
    assert emulator.fault_fired(fault) == 1
    emulator.inject_fault("GET", GROUPS, kind="connection_reset", times=1)
    with pytest.raises(ServiceResponseError):
        list(resources.resource_groups.list(retry_total=0))


def test_an_answer_slower_than_the_client_timeout_is_retried_and_the_write_done_once(emulator, make_client):
    resources = make_client(ResourceManagementClient)
    emulator.inject_fault("PUT", "/resourcegroups/late$", kind="slower_than_timeout", times=1)
    group = resources.resource_groups.create_or_update("late", {"location": "eastus"}, read_timeout=1)
    assert group.name == "late"
    assert _statuses(emulator, "/resourcegroups/late") == [201, 200]  # created once, then the retry updates


def test_an_expired_token_gets_a_401_until_a_new_one_is_fetched(emulator, arm):
    emulator.inject_fault("*", GROUPS, kind="token_expired", times=1)
    answer = arm.get(sub_url(emulator, "/resourcegroups"), params={"api-version": "2022-12-01"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "ExpiredAuthenticationToken")
    again = arm.get(sub_url(emulator, "/resourcegroups"), params={"api-version": "2022-12-01"})
    assert again.status_code == 401  # the token stays expired: only a new one helps


def test_the_subscription_write_throttle_counts_down_then_answers_429(emulator, arm):
    emulator.inject_fault("PUT", "/resourcegroups/", kind="subscription_write_throttle", allowance=2, times=1)
    answers = [
        arm.put(
            sub_url(emulator, f"/resourcegroups/rg{i}"),
            params={"api-version": "2022-12-01"},
            json={"location": "eastus"},
        )
        for i in range(4)
    ]
    remaining = [a.headers.get("x-ms-ratelimit-remaining-subscription-writes") for a in answers]
    assert [a.status_code for a in answers] == [201, 201, 429, 201]
    assert remaining[:3] == ["1", "0", "0"]
    assert answers[2].headers["Retry-After"] == "1"


def test_an_operation_that_never_ends_runs_until_the_fault_is_lifted(emulator, arm, make_client):
    resources = make_client(ResourceManagementClient)
    resources.resource_groups.create_or_update("rg", {"location": "westeurope"})
    register(arm, emulator, "Microsoft.Network")
    emulator.inject_fault("PUT", "/virtualNetworks/", kind="operation_never_ends")
    network = make_client(NetworkManagementClient)
    poller = network.virtual_networks.begin_create_or_update("rg", "vnet", VNET)
    poller.wait(1.0)
    assert not poller.done()
    assert network.virtual_networks.get("rg", "vnet").properties.provisioning_state != "Succeeded"
    emulator.clear_faults()
    assert poller.result().provisioning_state == "Succeeded"


def test_the_admin_route_takes_a_kind_and_lists_the_table(emulator):
    verify = str(emulator.ca_path)
    kinds = requests.get(f"{emulator.url}/_emulator/fault-kinds", verify=verify, timeout=5).json()["value"]
    assert [kind["name"] for kind in kinds] == list(KINDS)
    created = requests.post(
        f"{emulator.url}/_emulator/faults", json={"kind": "throttled", "path_pattern": "x"}, verify=verify, timeout=5
    )
    assert created.status_code == 201
    unknown = requests.post(f"{emulator.url}/_emulator/faults", json={"kind": "gremlins"}, verify=verify, timeout=5)
    assert unknown.status_code == 400
