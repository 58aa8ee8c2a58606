"""`scoring-wizard destroy` removes what the setup made, and nothing it did not make."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.keyvault import KeyVaultManagementClient
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.conftest import DEMO_ANSWERS, run_args, wizard
from wizard import plan as planning
from wizard.answers import load
from wizard.teardown import Removal, waves

GROUP = "rg-scoring-demo"


def _destroy(checkpoint: Path, emulator, *extra: str):
    return wizard("destroy", "--checkpoint", str(checkpoint), "--emulator", str(emulator.state_dir), *extra)


def test_destroy_removes_every_tagged_resource_and_the_group_it_made(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    refused = _destroy(checkpoint, standalone_emulator)
    assert refused.returncode == 2 and "--yes" in refused.stderr, "without a terminal it must not delete"
    result = _destroy(checkpoint, standalone_emulator, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    groups = standalone_emulator.sdk_client(ResourceManagementClient).resource_groups
    try:
        groups.get(GROUP)
        raise AssertionError("the group the wizard made should be gone")
    except ResourceNotFoundError:
        pass
    steps = json.loads(checkpoint.read_text())["steps"]
    kept = {key for key, step in steps.items() if step["status"] != "pending"}
    assert kept == {"register-providers"}, "the teardown is recorded (registrations are the subscription's)"
    assert "stays soft-deleted" in result.stdout, "--yes alone must not purge, and must say what is left"
    [deleted] = standalone_emulator.sdk_client(KeyVaultManagementClient).vaults.list_deleted()
    assert deleted.name in result.stdout
    status = wizard("status", "--checkpoint", str(checkpoint))
    assert "destroyed" in status.stdout, status.stdout
    again = _destroy(checkpoint, standalone_emulator, "--yes")
    assert again.returncode == 0 and "deleting" not in again.stdout, "a second destroy has nothing left to do"


def test_destroy_with_purge_frees_the_vault_name_so_the_same_setup_runs_again(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    result = _destroy(checkpoint, standalone_emulator, "--yes", "--purge-key-vaults")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "purging" in result.stdout
    assert list(standalone_emulator.sdk_client(KeyVaultManagementClient).vaults.list_deleted()) == []
    again = wizard(*run_args(checkpoint, standalone_emulator))
    assert again.returncode == 0, again.stdout + again.stderr


def test_destroy_deletes_dependants_first_and_independent_resources_together() -> None:
    plan = planning.build(load(DEMO_ANSWERS))
    removals = [Removal(step.key, f"/x/{step.key}") for step in plan.steps if step.key != "register-providers"]
    rounds = [{removal.step for removal in round_} for round_ in waves(plan, removals)]
    when = {key: index for index, keys in enumerate(rounds) for key in keys}
    assert when["dsvm"] < when["dsvm-nic"] < when["dsvm-network"], rounds
    assert when["workspace"] < when["key-vault"] and when["workspace"] < when["storage-account"], rounds
    assert when["cpu-cluster"] < when["workspace"], "the chain holds through steps with nothing to remove"
    assert max(len(keys) for keys in rounds) >= 3, f"independent deletes should run together: {rounds}"


def test_destroy_keeps_a_group_it_did_not_make_and_what_it_did_not_tag(standalone_emulator, tmp_path: Path):
    resources = standalone_emulator.sdk_client(ResourceManagementClient)
    resources.resource_groups.create_or_update(GROUP, {"location": "eastus", "tags": {"owner": "someone"}})
    checkpoint = tmp_path / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    network = standalone_emulator.sdk_client(NetworkManagementClient)
    network.network_security_groups.begin_create_or_update(GROUP, "theirs-nsg", {"location": "eastus"}).result()

    result = _destroy(checkpoint, standalone_emulator, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "did not create it" in result.stdout
    assert resources.resource_groups.get(GROUP).tags == {"owner": "someone"}
    assert network.network_security_groups.get(GROUP, "theirs-nsg").name == "theirs-nsg"
    left = {r.name for r in resources.resources.list_by_resource_group(GROUP)}
    assert left == {"theirs-nsg"}, left


@pytest.mark.parametrize("scheduler", ["datafactory", "functions"])
def test_destroy_removes_the_scheduler_and_every_grant_the_setup_made(standalone_emulator, tmp_path: Path, scheduler):
    checkpoint = tmp_path / "setup.json"
    made = wizard(*run_args(checkpoint, standalone_emulator), "--scheduler", scheduler)
    assert made.returncode == 0, made.stdout + made.stderr
    grants = standalone_emulator.sdk_client(AuthorizationManagementClient).role_assignments
    before = {grant.id for grant in grants.list_for_subscription()}
    result = _destroy(checkpoint, standalone_emulator, "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "not tagged" not in result.stdout, "everything the setup made carries the tool's tags"
    try:
        standalone_emulator.sdk_client(ResourceManagementClient).resource_groups.get(GROUP)
        raise AssertionError(f"the group should be gone with everything in it:\n{result.stdout}")
    except ResourceNotFoundError:
        pass
    left = {grant.id for grant in grants.list_for_subscription()}
    assert before and not left & before, f"grants left behind: {left & before}"
