"""Fixtures: a fresh emulator per test (state in tmp_path, latencies at 1%), signed into with the real
azure-identity credential, and SDK/requests clients configured exactly as for a custom cloud."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from azure.identity import ClientSecretCredential

from tests.emulator.helpers import SCALE, bearer_session, client_options, make_credential
from wizard.emulator import DEMO, Emulator


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "latency_scale(x): run this test's emulator at another latency scale")


@pytest.fixture
def emulator(request: pytest.FixtureRequest, tmp_path) -> Iterator[Emulator]:
    """An emulator at 1% latency, or at the scale a ``latency_scale`` marker asks (to observe InProgress)."""
    marker = request.node.get_closest_marker("latency_scale")
    emu = Emulator(tmp_path, latency_scale=marker.args[0] if marker else SCALE).start()
    yield emu
    emu.stop()


@pytest.fixture
def arm_credential(emulator: Emulator) -> ClientSecretCredential:
    return make_credential(emulator)


@pytest.fixture
def make_client(emulator: Emulator, arm_credential: ClientSecretCredential) -> Callable[..., Any]:
    """make_client(ResourceManagementClient) → a client bound to the emulator and the demo subscription."""

    def build(client_class: type) -> Any:
        return client_class(arm_credential, DEMO.subscription_id, **client_options(emulator))

    return build


@pytest.fixture
def arm(emulator: Emulator, arm_credential: ClientSecretCredential) -> requests.Session:
    """A requests session with a bearer token: for storage (no SDK installed) and raw status codes."""
    return bearer_session(emulator, arm_credential)
