"""Shared helpers for the emulator tests: client configuration as the wizard does it, and small waits."""

import time
from collections.abc import Callable
from typing import Any

import requests
from azure.identity import ClientSecretCredential

from wizard.emulator import DEMO, Emulator

SCALE = 0.01  # latencies at 1%: a 4 s storage account takes 40 ms


def make_credential(emu: Emulator, secret: str = DEMO.client_secret) -> ClientSecretCredential:
    return ClientSecretCredential(
        DEMO.tenant_id,
        DEMO.client_id,
        secret,
        authority=emu.url,
        disable_instance_discovery=True,
        connection_verify=str(emu.ca_path),
    )


def client_options(emu: Emulator) -> dict[str, Any]:
    """What every management client gets in emulator mode: only the endpoints differ from Azure."""
    return {
        "base_url": emu.url,
        "credential_scopes": [emu.url + "/.default"],
        "connection_verify": str(emu.ca_path),
        "polling_interval": 0.01,
    }


def bearer_session(emu: Emulator, credential: ClientSecretCredential) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE from the environment overrides session.verify
    session.verify = str(emu.ca_path)
    session.headers["Authorization"] = f"Bearer {credential.get_token(emu.url + '/.default').token}"
    return session


def sub_url(emu: Emulator, path: str = "") -> str:
    return f"{emu.url}/subscriptions/{DEMO.subscription_id}{path}"


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


def register(session: requests.Session, emu: Emulator, namespace: str) -> None:
    """Register a provider namespace and wait until it is Registered."""
    url = sub_url(emu, f"/providers/{namespace}")
    session.post(f"{url}/register", params={"api-version": "2022-12-01"}).raise_for_status()
    wait_until(
        lambda: session.get(url, params={"api-version": "2022-12-01"}).json()["registrationState"] == "Registered"
    )
