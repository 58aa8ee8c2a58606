"""An in-process emulator with a workspace made the way the "workspace" step makes it (a direct ARM PUT), and
azure-ai-ml's MLClient pointed at it as the ML steps point it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.emulator.helpers import bearer_session, make_credential, register, sub_url, wait_until
from wizard.answers import Answers, parse
from wizard.connect import Connection, EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator, latency
from wizard.names import names_for
from wizard.steps.base import Outputs, Step, StepContext

GROUP = "rg-ml"
ACCOUNT = "mlstore0001"
WORKSPACE = "tst-mlw"
REGION = "eastus"


@pytest.fixture
def emulator(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """At 1% latency with the quick profile, or (profile, scale) given as an indirect parameter."""
    profile, scale = getattr(request, "param", (latency.QUICK, 0.01))
    with Emulator(tmp_path / "emulator", latency_scale=scale, latency_profile=profile) as emu:
        monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)  # restored after the test; the ML client sets it
        yield emu


@pytest.fixture
def arm(emulator: Emulator) -> requests.Session:
    return bearer_session(emulator, make_credential(emulator))


def _put(session: requests.Session, url: str, body: dict[str, Any], api: str) -> None:
    session.put(url, json=body, params={"api-version": api}).raise_for_status()


def wait_succeeded(session: requests.Session, url: str, api: str) -> dict[str, Any]:
    found: dict[str, Any] = {}

    def ready() -> bool:
        found.update(session.get(url, params={"api-version": api}).json())
        return found.get("properties", {}).get("provisioningState") == "Succeeded"

    wait_until(ready)
    return found


@pytest.fixture
def workspace(emulator: Emulator, arm: requests.Session) -> dict[str, Any]:
    """The "workspace" step's outputs for a workspace linked to its storage account."""
    for namespace in ("Microsoft.Storage", "Microsoft.MachineLearningServices"):
        register(arm, emulator, namespace)
    group = sub_url(emulator, f"/resourceGroups/{GROUP}")
    _put(arm, group, {"location": REGION}, "2024-11-01")
    account = f"{group}/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
    _put(arm, account, {"location": REGION, "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}, "2025-06-01")
    wait_succeeded(arm, account, "2025-06-01")
    url = f"{group}/providers/Microsoft.MachineLearningServices/workspaces/{WORKSPACE}"
    body = {
        "location": REGION,
        "identity": {"type": "SystemAssigned"},
        "properties": {"storageAccount": account.removeprefix(emulator.url)},
    }
    _put(arm, url, body, "2024-10-01")
    found = wait_succeeded(arm, url, "2024-10-01")
    return {
        "id": found["id"],
        "name": found["name"],
        "location": found["location"],
        "discovery_url": found["properties"]["discoveryUrl"],
        "principal_id": found["identity"]["principalId"],
        "storage_account_id": found["properties"]["storageAccount"],
        "portal": "",
        "summary": "",
    }


@pytest.fixture
def connection(emulator: Emulator) -> Connection:
    endpoint = EmulatorEndpoint(**emulator.endpoint())
    return emulator_connection(endpoint, DEMO.subscription_id, polling_interval=0.01)


@pytest.fixture
def ml(connection: Connection, workspace: dict[str, Any]) -> Any:
    from wizard.ml.client import ml_client

    return ml_client(connection.cloud, connection.credential, DEMO.subscription_id, GROUP, WORKSPACE)


def ml_answers(**changes: Any) -> Answers:
    base = {
        "cloud": "AzureEmulator",
        "subscription_id": DEMO.subscription_id,
        "region": REGION,
        "resource_group": GROUP,
        "prefix": "tst",
    }
    return parse(base | changes)


@pytest.fixture
def step_context(connection: Connection, workspace: dict[str, Any], tmp_path: Path) -> Callable[..., StepContext]:
    """step_context(outputs, **answers): a StepContext with the workspace's outputs and the others given."""

    def make(outputs: dict[str, Outputs] | None = None, **changes: Any) -> StepContext:
        answers = ml_answers(**changes)
        return StepContext(
            answers=answers,
            names=names_for(answers),
            cloud=connection.cloud,
            clients=connection.clients,
            files_dir=tmp_path / "files",
            outputs={"workspace": workspace, **(outputs or {})},
            poll_interval=0.02,
        )

    return make


def run_step(step: Step, ctx: StepContext) -> Outputs:
    """What the runner does for one step: keep what is there as wanted, else create it and wait."""
    found = step.find(ctx)
    if found is not None:
        return found
    operation = step.start(ctx)
    return step.outputs(ctx, operation.result(timeout=60))
