"""Outside clients of the emulator, signed in with exactly the lines `scoring-wizard emulator` prints: a plain
Python SDK client (azure-identity's EnvironmentCredential) and the Azure CLI, registered as a custom cloud. Each
lists, shows and reads the instance view of what one wizard run created. ./scripts/test installs the CLI into
.azure-cli/ (its own venv)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.identity import EnvironmentCredential
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.resource.subscriptions import SubscriptionClient
from azure.mgmt.storage import StorageManagementClient

from tests.cli.conftest import StandaloneEmulator, run_args, start_emulator, wizard
from wizard.cli import tool_environment

REPOSITORY = Path(__file__).resolve().parents[2]
AZ = str(REPOSITORY / ".azure-cli" / "bin" / "az") if (REPOSITORY / ".azure-cli/.installed").is_file() else None
AZ = AZ or shutil.which("az")
GROUP = "rg-scoring-demo"
TOOL_VARIABLES = ("AZURE_", "REQUESTS_CA")  # what the printed lines export, and nothing of the test's own may leak

needs_az = pytest.mark.skipif(
    AZ is None,
    reason="the Azure CLI is not installed: ./scripts/test installs it into .azure-cli/ with pip (azure-cli), "
    "which failed or was not run; or put az on PATH",
)


@pytest.fixture(scope="module")
def created(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneEmulator]:
    """A standalone emulator after one wizard run: what the outside clients read."""
    folder = tmp_path_factory.mktemp("outside")
    emulator = start_emulator(folder / "emulator", latency_scale=0.05)
    try:
        run = wizard(*run_args(folder / "setup.json", emulator))
        assert run.returncode == 0, run.stdout + run.stderr
        yield emulator
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def _printed(emulator: StandaloneEmulator) -> tuple[dict[str, str], list[list[str]]]:
    """The printed lines as a user pastes them: the environment their exports make, and the commands to run."""
    endpoint = json.loads((emulator.state_dir / "endpoint.json").read_text())
    env = {key: value for key, value in os.environ.items() if not key.startswith(TOOL_VARIABLES)}
    commands = []
    for line in tool_environment(endpoint):
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            key, _, value = words[1].partition("=")
            env[key] = value
        elif words:
            commands.append(words)
    return env, commands


def test_a_plain_sdk_client_signed_in_from_the_printed_lines_reads_what_a_wizard_run_created(created, monkeypatch):
    env, _ = _printed(created)
    for key in [key for key in os.environ if key.startswith(TOOL_VARIABLES)]:
        monkeypatch.delenv(key)
    for key in [key for key in env if key.startswith(TOOL_VARIABLES)]:
        monkeypatch.setenv(key, env[key])
    url = created.url  # printed first: "ARM emulator on https://127.0.0.1:<port>"
    options = {"base_url": url, "credential_scopes": [f"{url}/.default"]}
    credential = EnvironmentCredential(disable_instance_discovery=True)
    (subscription,) = SubscriptionClient(credential, **options).subscriptions.list()
    subscription_id = subscription.subscription_id

    resources = ResourceManagementClient(credential, subscription_id, **options)
    assert GROUP in [group.name for group in resources.resource_groups.list()]
    types = {resource.type for resource in resources.resources.list_by_resource_group(GROUP)}
    assert {"Microsoft.Compute/virtualMachines", "Microsoft.MachineLearningServices/workspaces"} <= types

    compute = ComputeManagementClient(credential, subscription_id, **options)
    (vm,) = compute.virtual_machines.list(GROUP)
    shown = compute.virtual_machines.get(GROUP, vm.name)
    assert shown.storage_profile.image_reference.publisher == "microsoft-dsvm"
    codes = [status.code for status in compute.virtual_machines.instance_view(GROUP, vm.name).statuses]
    assert "PowerState/running" in codes and "ProvisioningState/succeeded" in codes

    storage = StorageManagementClient(credential, subscription_id, **options)
    (account,) = storage.storage_accounts.list_by_resource_group(GROUP)
    assert account.enable_https_traffic_only is True and account.allow_blob_public_access is False


class AzureCli:
    """`az` with the environment the emulator's printed lines set up, in a profile folder of the test's own."""

    def __init__(self, env: dict[str, str]):
        self.env = env

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        command = [AZ, *args, "--only-show-errors"]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, env=self.env, check=False)

    def json(self, *args: str):
        result = self(*args, "-o", "json")
        assert result.returncode == 0, f"az {' '.join(args)}: {result.stderr}"
        return json.loads(result.stdout)


@pytest.fixture(scope="module")
def az(created: StandaloneEmulator) -> AzureCli:
    """Follow the printed lines as a user would paste them, once: exports set the environment, az lines run."""
    env, commands = _printed(created)
    env["AZURE_CORE_COLLECT_TELEMETRY"] = "false"
    cli = AzureCli(env)
    for words in commands:
        assert words[0] == "az"
        result = cli(*words[1:])
        assert result.returncode == 0, f"{shlex.join(words)}: {result.stderr}"
    assert Path(env["AZURE_CONFIG_DIR"]).is_relative_to(created.state_dir)
    return cli


@needs_az
def test_the_azure_cli_reads_what_a_wizard_run_created(created, az):
    account = az.json("account", "show")
    assert account["user"] == {
        "name": json.loads((created.state_dir / "endpoint.json").read_text())["client_id"],
        "type": "servicePrincipal",
    }
    assert GROUP in [g["name"] for g in az.json("group", "list")]
    types = {r["type"] for r in az.json("resource", "list", "--resource-group", GROUP)}
    assert {
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.KeyVault/vaults",
        "Microsoft.MachineLearningServices/workspaces",
    } <= types
    vms = az.json("vm", "list", "--resource-group", GROUP)
    assert len(vms) == 1
    name = vms[0]["name"]
    view = az.json("vm", "get-instance-view", "--resource-group", GROUP, "--name", name)
    codes = [status["code"] for status in view["instanceView"]["statuses"]]
    assert "PowerState/running" in codes and "ProvisioningState/succeeded" in codes
    shown = az.json("vm", "show", "--show-details", "--resource-group", GROUP, "--name", name)
    assert shown["powerState"] == "VM running" and shown["publicIps"] and shown["fqdns"]
    storage = az.json("storage", "account", "list", "--resource-group", GROUP)[0]
    assert storage["enableHttpsTrafficOnly"] is True and storage["allowBlobPublicAccess"] is False
    workspace = az.json(
        "resource",
        "show",
        "--resource-group",
        GROUP,
        "--resource-type",
        "Microsoft.MachineLearningServices/workspaces",
        "--name",
        "demo-mlw",
    )
    assert workspace["identity"]["principalId"]


@needs_az
def test_the_azure_cli_is_refused_what_arm_refuses(az):
    missing = az("group", "show", "--name", "rg-that-is-not-there")
    assert missing.returncode != 0 and "ResourceGroupNotFound" in missing.stderr
