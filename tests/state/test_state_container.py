"""`state create` against the ARM emulator: the account, container and role a shared setup needs, and no more."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from azure.mgmt.authorization import AuthorizationManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient

from tests.cli.conftest import DEMO_ANSWERS, StandaloneEmulator, start_emulator, wizard
from wizard.emulator import DEMO

LOCATION = "blob://sharedstate01/setups/demo"
GROUP = "scoring-wizard-state"


@pytest.fixture
def standalone(tmp_path: Path):
    emulator = start_emulator(tmp_path / "emulator", latency_scale=0.01)
    yield emulator
    emulator.process.terminate()
    emulator.process.wait(timeout=10)


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    """The demo answers, handed over with the address of their shared state in them."""
    path = tmp_path / "handed-over.toml"
    path.write_text(DEMO_ANSWERS.read_text().replace("[recurrence]", f'state = "{LOCATION}"\n\n[recurrence]'))
    return path


def _create(emulator: StandaloneEmulator, answers: Path, *extra: str):
    return wizard("state", "create", "--answers", str(answers), "--emulator", str(emulator.state_dir), *extra)


def test_state_create_makes_a_private_keyless_account_with_soft_delete(standalone, answers):
    result = _create(standalone, answers)
    assert result.returncode == 0, result.stderr
    assert f"Ready: scoring-wizard run --answers {answers}\n" in result.stdout  # the answers name the state already
    storage = standalone.sdk_client(StorageManagementClient)
    account = storage.storage_accounts.get_properties(GROUP, "sharedstate01")
    assert account.enable_https_traffic_only and account.minimum_tls_version == "TLS1_2"
    assert account.allow_blob_public_access is False and account.allow_shared_key_access is False
    service = storage.blob_services.get_service_properties(GROUP, "sharedstate01")
    assert service.delete_retention_policy.enabled and service.delete_retention_policy.days >= 7
    assert service.container_delete_retention_policy.enabled
    assert storage.blob_containers.get(GROUP, "sharedstate01", "setups").public_access in (None, "None")


def test_the_role_is_blob_data_contributor_on_the_container_only(standalone, answers):
    assert _create(standalone, answers).returncode == 0
    authorization = standalone.sdk_client(AuthorizationManagementClient)
    account = standalone.sdk_client(StorageManagementClient).storage_accounts.get_properties(GROUP, "sharedstate01")
    container = f"{account.id}/blobServices/default/containers/setups"
    mine = [a for a in authorization.role_assignments.list_for_scope(container) if a.principal_id == DEMO.object_id]
    assert [(a.scope.lower(), a.role_definition_id.rsplit("/", 1)[-1]) for a in mine] == [
        (container.lower(), "ba92f5b4-2d11-453d-a403-e96b0029c9fe")
    ]
    assert list(authorization.role_assignments.list_for_scope(account.id, filter="atScope()")) == []


def test_state_create_again_keeps_what_is_there_and_grants_once(standalone, answers):
    assert _create(standalone, answers).returncode == 0
    again = _create(standalone, answers)
    assert again.returncode == 0, again.stderr
    assert "storage account sharedstate01: kept" in again.stdout and "container setups: kept" in again.stdout
    authorization = standalone.sdk_client(AuthorizationManagementClient)
    granted = [a for a in authorization.role_assignments.list_for_scope(f"/subscriptions/{DEMO.subscription_id}")]
    assert sum(a.principal_id == DEMO.object_id for a in granted) == 1


def test_a_name_someone_else_holds_is_refused_before_anything_is_made(standalone, answers):
    resources = standalone.sdk_client(ResourceManagementClient)
    resources.resource_groups.create_or_update("theirs", {"location": "eastus"})
    resources.providers.register("Microsoft.Storage")
    while resources.providers.get("Microsoft.Storage").registration_state != "Registered":
        time.sleep(0.05)
    storage = standalone.sdk_client(StorageManagementClient)
    their_account = {"location": "eastus", "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
    storage.storage_accounts.begin_create("theirs", "takenstate01", their_account).result()
    result = _create(standalone, answers, "blob://takenstate01/setups/demo")
    assert result.returncode == 2
    assert "storage account name 'takenstate01' is not available" in result.stderr
    assert [c.name for c in storage.blob_containers.list("theirs", "takenstate01")] == []


def test_without_an_address_state_create_says_what_it_needs(standalone, tmp_path):
    result = _create(standalone, DEMO_ANSWERS)
    assert result.returncode == 2 and "name the container (blob://account/container/setup)" in result.stderr
