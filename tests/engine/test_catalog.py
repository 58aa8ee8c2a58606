"""The live lists against the emulator through the real SDK clients, and the Azure CLI login probe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.providers import register
from wizard import catalog
from wizard.answers import SignIn
from wizard.connect import Connection, EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator


@pytest.fixture(scope="module")
def connection(tmp_path_factory: pytest.TempPathFactory) -> Connection:
    running = Emulator(tmp_path_factory.mktemp("emulator"), latency_scale=0.01).start()
    yield emulator_connection(EmulatorEndpoint(**running.endpoint()), DEMO.subscription_id)
    running.stop()


def test_subscriptions_are_listed_with_their_tenant(connection: Connection) -> None:
    [found] = catalog.subscriptions(connection)
    assert (found.id, found.tenant_id, found.state) == (DEMO.subscription_id, DEMO.tenant_id, "Enabled")
    assert found.name


def test_regions_are_sorted_by_display_name_and_offer_what_the_plan_needs(connection: Connection) -> None:
    found = catalog.regions_for(connection, DEMO.subscription_id)
    names = [r.name for r in found]
    assert "eastus" in names
    assert [r.display_name.lower() for r in found] == sorted(r.display_name.lower() for r in found)
    assert "brazilsouth" in names, "before Microsoft.Compute is registered, images cannot be listed"

    compute = catalog.for_subscription(connection, DEMO.subscription_id).get(ResourceManagementClient)
    register(compute, "Microsoft.Compute")
    names = [r.name for r in catalog.regions_for(connection, DEMO.subscription_id)]
    assert "eastus" in names
    assert "brazilsouth" not in names, "the emulator's Brazil South has no Data Science VM image"


def test_regions_fall_back_to_the_plain_list_when_providers_say_nothing(
    connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    filtered = catalog.regions_for(connection, DEMO.subscription_id)

    def broken(clients):
        raise RuntimeError("providers unavailable")

    monkeypatch.setattr(catalog, "_offered_locations", broken)
    plain = catalog.regions_for(connection, DEMO.subscription_id)
    assert {r.name for r in filtered} <= {r.name for r in plain}


def fake_az(folder: Path, body: str) -> None:
    script = folder / "az"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_cli_login_is_read_from_az_account_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_az(tmp_path, """echo '{"id": "sub-1", "tenantId": "tenant-1", "user": {"name": "ada@example.com"}}'""")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    login = catalog.detect_cli_login()
    assert login == catalog.CliLogin(user="ada@example.com", subscription_id="sub-1", tenant_id="tenant-1")
    assert catalog.suggested_sign_in(login) is SignIn.CLI


@pytest.mark.parametrize(
    "body",
    ["echo 'Please run az login' >&2; exit 1", "echo not-json", "sleep 5"],
    ids=["logged-out", "garbage", "hangs"],
)
def test_no_cli_login_never_crashes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    fake_az(tmp_path, body)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert catalog.detect_cli_login(timeout=0.5) is None


def test_without_az_a_headless_terminal_gets_device_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog.shutil, "which", lambda name: None)
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.7 22 10.0.0.4 22")
    assert catalog.detect_cli_login() is None
    assert catalog.suggested_sign_in(None) is SignIn.DEVICE_CODE
