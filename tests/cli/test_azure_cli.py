"""The Azure CLI as an outside client of the emulator: registered as a custom cloud with exactly the lines
`scoring-wizard emulator` prints, signed in as the demo service principal, it lists, shows and reads the
instance view of what a wizard run created. ./scripts/test installs the CLI into .azure-cli/ (its own venv)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import StandaloneEmulator, run_args, wizard
from wizard.cli import tool_environment

REPOSITORY = Path(__file__).resolve().parents[2]
AZ = str(REPOSITORY / ".azure-cli" / "bin" / "az") if (REPOSITORY / ".azure-cli/.installed").is_file() else None
AZ = AZ or shutil.which("az")

pytestmark = pytest.mark.skipif(
    AZ is None,
    reason="the Azure CLI is not installed: ./scripts/test installs it into .azure-cli/ with pip (azure-cli), "
    "which failed or was not run; or put az on PATH",
)


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


@pytest.fixture
def az(standalone_emulator: StandaloneEmulator, tmp_path: Path) -> AzureCli:
    """Follow the printed lines as a user would paste them: exports set the environment, az lines run."""
    endpoint = json.loads((standalone_emulator.state_dir / "endpoint.json").read_text())
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AZURE_", "REQUESTS_CA"))}
    env["AZURE_CORE_COLLECT_TELEMETRY"] = "false"
    cli = AzureCli(env)
    for line in tool_environment(endpoint):
        words = shlex.split(line, comments=True)
        if words and words[0] == "export":
            key, _, value = words[1].partition("=")
            env[key] = value
        elif words:
            assert words[0] == "az"
            result = cli(*words[1:])
            assert result.returncode == 0, f"{line}: {result.stderr}"
    assert Path(env["AZURE_CONFIG_DIR"]).is_relative_to(standalone_emulator.state_dir)
    return cli


def test_the_azure_cli_reads_what_a_wizard_run_created(standalone_emulator, az, tmp_path):
    run = wizard(*run_args(tmp_path / "setup.json", standalone_emulator))
    assert run.returncode == 0, run.stdout + run.stderr
    group = "rg-scoring-demo"

    account = az.json("account", "show")
    assert account["user"] == {
        "name": json.loads((standalone_emulator.state_dir / "endpoint.json").read_text())["client_id"],
        "type": "servicePrincipal",
    }
    assert group in [g["name"] for g in az.json("group", "list")]
    types = {r["type"] for r in az.json("resource", "list", "--resource-group", group)}
    assert {
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Storage/storageAccounts",
        "Microsoft.KeyVault/vaults",
        "Microsoft.MachineLearningServices/workspaces",
    } <= types
    vms = az.json("vm", "list", "--resource-group", group)
    assert len(vms) == 1
    name = vms[0]["name"]
    view = az.json("vm", "get-instance-view", "--resource-group", group, "--name", name)
    codes = [status["code"] for status in view["instanceView"]["statuses"]]
    assert "PowerState/running" in codes and "ProvisioningState/succeeded" in codes
    shown = az.json("vm", "show", "--show-details", "--resource-group", group, "--name", name)
    assert shown["powerState"] == "VM running" and shown["publicIps"] and shown["fqdns"]
    storage = az.json("storage", "account", "list", "--resource-group", group)[0]
    assert storage["enableHttpsTrafficOnly"] is True and storage["allowBlobPublicAccess"] is False
    workspace = az.json(
        "resource",
        "show",
        "--resource-group",
        group,
        "--resource-type",
        "Microsoft.MachineLearningServices/workspaces",
        "--name",
        "demo-mlw",
    )
    assert workspace["identity"]["principalId"]


def test_the_azure_cli_is_refused_what_arm_refuses(az):
    missing = az("group", "show", "--name", "rg-that-is-not-there")
    assert missing.returncode != 0 and "ResourceGroupNotFound" in missing.stderr
