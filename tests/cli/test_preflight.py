"""Preflight: every problem a run would stop on, found with reads before anything is created."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient

from tests.cli.conftest import DEMO_ANSWERS, StandaloneEmulator, run_args, wizard
from wizard import answers as answer_files
from wizard.names import names_for

ML = "Microsoft.MachineLearningServices"


def _registered(emulator: StandaloneEmulator, *namespaces: str) -> None:
    """A customer's subscription that has used compute and storage before."""
    providers = emulator.sdk_client(ResourceManagementClient).providers
    for namespace in namespaces:
        providers.register(namespace)
    while any(providers.get(ns).registration_state != "Registered" for ns in namespaces):
        time.sleep(0.05)


def _take_storage_name(emulator: StandaloneEmulator) -> None:
    """Someone else's account already holds the name the setup would use (names are global)."""
    name = names_for(answer_files.load(DEMO_ANSWERS)).storage_account
    emulator.sdk_client(ResourceManagementClient).resource_groups.create_or_update("rg-someone", {"location": "eastus"})
    accounts = emulator.sdk_client(StorageManagementClient).storage_accounts
    accounts.begin_create(
        "rg-someone", name, {"location": "eastus", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    ).result()


def _writes(emulator: StandaloneEmulator) -> list[dict]:
    """Requests that change something: ARM's name checks are POSTs that only read."""
    return [
        entry
        for entry in emulator.arm_requests()
        if entry["method"] not in ("GET", "HEAD") and not entry["path"].endswith("/checkNameAvailability")
    ]


def test_three_problems_are_reported_at_once_before_any_write(standalone_emulator, tmp_path: Path):
    emulator = standalone_emulator
    _registered(emulator, "Microsoft.Compute", "Microsoft.Storage")
    _take_storage_name(emulator)
    emulator.admin("compute/restrictions", {"region": "eastus", "size": "Standard_D4s_v5"})
    emulator.admin("authorization/caller", {"role": "Owner", "not_actions": [f"{ML}/register/action"]})
    writes = _writes(emulator)

    planned = wizard("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(emulator.state_dir), "--json")
    assert planned.returncode == 1
    problems = {problem["step"]: problem for problem in json.loads(planned.stdout)["problems"]}
    assert {key: problem["code"] for key, problem in problems.items()} == {
        "register-providers": "ProviderCannotBeRegistered",
        "dsvm": "SkuNotAvailable",
        "storage-account": "StorageAccountAlreadyTaken",
    }
    assert ML in problems["register-providers"]["message"] and problems["register-providers"]["todo"]
    assert "Standard_D4as_v5" in problems["dsvm"]["message"]

    run = wizard(*run_args(tmp_path / "setup.json", emulator))
    assert run.returncode == 1
    for code in ("ProviderCannotBeRegistered", "SkuNotAvailable", "StorageAccountAlreadyTaken"):
        assert code in run.stdout
    assert "Nothing was created" in run.stdout and "▶" not in run.stdout
    assert _writes(emulator) == writes, "preflight must not write"


def test_a_caller_who_may_not_grant_roles_is_told_before_the_run(standalone_emulator, tmp_path: Path):
    standalone_emulator.admin("authorization/caller", {"role": "Contributor"})
    result = wizard("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(standalone_emulator.state_dir))
    assert result.returncode == 1
    [denied] = [line for line in result.stdout.splitlines() if "PreflightPermissionMissing" in line]
    assert "endpoint-access" in denied and "roleAssignments/write" in denied
    assert "User Access Administrator" in result.stdout
    assert "Checked once their provider is registered" in result.stdout


def test_a_dns_label_taken_elsewhere_is_found_before_the_run(standalone_emulator):
    from azure.mgmt.network import NetworkManagementClient

    _registered(standalone_emulator, "Microsoft.Network")
    label = names_for(answer_files.load(DEMO_ANSWERS)).dns_label
    standalone_emulator.sdk_client(ResourceManagementClient).resource_groups.create_or_update(
        "rg-someone", {"location": "eastus"}
    )
    address = {
        "location": "eastus",
        "sku": {"name": "Standard"},
        "properties": {"publicIPAllocationMethod": "Static", "dnsSettings": {"domainNameLabel": label}},
    }
    addresses = standalone_emulator.sdk_client(NetworkManagementClient).public_ip_addresses
    addresses.begin_create_or_update("rg-someone", "theirs", address).result()
    result = wizard("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(standalone_emulator.state_dir), "--json")
    [problem] = json.loads(result.stdout)["problems"]
    assert (problem["step"], problem["code"]) == ("dsvm-public-ip", "DnsRecordInUse")
    assert label in problem["message"] and "prefix" in problem["todo"]


def test_an_allowed_locations_policy_that_leaves_the_region_out_is_named(standalone_emulator):
    from azure.core.exceptions import HttpResponseError

    standalone_emulator.admin("authorization/policies", {"name": "eu-only", "allowed_locations": ["westeurope"]})
    result = wizard("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(standalone_emulator.state_dir), "--json")
    [problem] = json.loads(result.stdout)["problems"]
    assert problem["code"] == "RequestDisallowedByPolicy" and "eu-only" in problem["message"]
    assert "westeurope" in problem["message"] and "region" in problem["todo"]
    groups = standalone_emulator.sdk_client(ResourceManagementClient).resource_groups
    with pytest.raises(HttpResponseError, match="RequestDisallowedByPolicy"):
        groups.create_or_update("rg-east", {"location": "eastus"})
