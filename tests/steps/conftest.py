"""An in-process emulator and the wizard's own connection to it, for the DSVM steps and their helpers.

Everything goes through the real SDK clients over HTTPS, exactly as a run does; only the latency is scaled down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.providers import register
from wizard import events
from wizard.answers import Answers, parse
from wizard.connect import Connection, EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator
from wizard.redact import SECRETS
from wizard.session import open_session

NAMESPACES = ("Microsoft.Compute", "Microsoft.Network", "Microsoft.DevTestLab")


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[Emulator]:
    with Emulator(tmp_path / "emulator", latency_scale=0.01) as emu:
        yield emu


@pytest.fixture
def endpoint(emulator: Emulator) -> EmulatorEndpoint:
    return EmulatorEndpoint(**emulator.endpoint())


@pytest.fixture
def connection(endpoint: EmulatorEndpoint) -> Connection:
    """Signed in, with the DSVM's namespaces registered (list calls need it, as in Azure)."""
    conn = emulator_connection(endpoint, DEMO.subscription_id, polling_interval=0.01)
    register(conn.clients.get(ResourceManagementClient), *NAMESPACES)
    return conn


@pytest.fixture
def compute(connection: Connection) -> ComputeManagementClient:
    return connection.clients.get(ComputeManagementClient)


@pytest.fixture(autouse=True)
def _empty_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ~/.ssh key of the person running the tests is used (or changed)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    """Secrets live for a process; each test starts without any."""
    SECRETS.clear()
    yield
    SECRETS.clear()


def dsvm_answers(**changes: Any) -> Answers:
    return parse(
        {
            "cloud": "AzureEmulator",
            "subscription_id": DEMO.subscription_id,
            "region": "eastus",
            "resource_group": "rg-dsvm-test",
            "prefix": "tst",
            **changes,
        }
    )


RunSetup = Callable[..., tuple[bool, list[events.Event]]]


@pytest.fixture
def run_setup(endpoint: EmulatorEndpoint, tmp_path: Path) -> RunSetup:
    """run_setup(answers) → (all steps succeeded, the events), with the checkpoint in tmp_path."""

    def run(answers: Answers, checkpoint: Path | None = None) -> tuple[bool, list[events.Event]]:
        seen: list[events.Event] = []
        path = checkpoint or tmp_path / "setup.json"
        with open_session(answers, checkpoint_path=path, emulator=endpoint) as session:
            ok = session.runner(seen.append, poll_interval=0.02).run()
        return ok, seen

    return run


def failure(seen: list[events.Event], key: str) -> events.StepFailed:
    return next(e for e in seen if isinstance(e, events.StepFailed) and e.key == key)
