"""State on disk: a restarted emulator (even on another port) has every resource, registration and token, and
reuses its CA; secrets on disk are readable by their owner only."""

import json
import stat

import pytest
import requests
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import client_options, make_credential
from wizard.emulator import DEMO, Emulator


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_restart_keeps_state_and_ca(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01) as first:
        credential = make_credential(first)
        client = ResourceManagementClient(credential, DEMO.subscription_id, **client_options(first))
        client.resource_groups.create_or_update("kept", {"location": "eastus"})
        client.providers.register("Microsoft.Web")
        token = credential.get_token(first.url + "/.default").token
        ca = first.ca_path.read_bytes()

    with Emulator(tmp_path, latency_scale=0.01) as second:  # any free port this time
        assert second.ca_path.read_bytes() == ca
        client = ResourceManagementClient(make_credential(second), DEMO.subscription_id, **client_options(second))
        assert client.resource_groups.get("kept").location == "eastus"
        assert client.providers.get("Microsoft.Web").registration_state == "Registered"
        answer = requests.get(
            f"{second.url}/subscriptions",
            params={"api-version": "2022-12-01"},
            headers={"Authorization": f"Bearer {token}"},
            verify=str(second.ca_path),
        )
        assert answer.status_code == 200  # a token issued before the restart is still good
        assert [entry["method"] for entry in second.request_log()][:3] == ["GET", "POST", "PUT"]  # log kept too


def test_files_on_disk(tmp_path):
    state = tmp_path / "state"
    with Emulator(state) as emu:
        endpoint = emu.write_endpoint_file()
        assert json.loads(endpoint.read_text()) == {
            "url": emu.url,
            "ca": str(state.resolve() / "ca.pem"),
            "tenant_id": DEMO.tenant_id,
            "client_id": DEMO.client_id,
            "client_secret": DEMO.client_secret,
        }
        assert emu.url.startswith("https://127.0.0.1:") and not emu.url.endswith("/")
        make_credential(emu).get_token(emu.url + "/.default")  # a write, so the -wal and -shm files exist
        assert mode(state) == 0o700
        files = sorted(path.name for path in state.iterdir())
        assert {"emulator.sqlite3", "emulator.sqlite3-wal", "emulator.sqlite3-shm", "ca.pem"} <= set(files)
        assert {name: mode(state / name) for name in files} == {name: 0o600 for name in files}


def test_the_state_file_keeps_no_token_anyone_could_replay(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01) as emu:
        token = make_credential(emu).get_token(emu.url + "/.default").token
        assert not [path.name for path in tmp_path.iterdir() if token.encode() in path.read_bytes()]


def test_stop_is_clean_and_idempotent(tmp_path, capfd):
    emu = Emulator(tmp_path).start()
    requests.get(f"{emu.url}/_emulator/health", verify=str(emu.ca_path))
    emu.stop()
    emu.stop()
    assert capfd.readouterr().err == ""


def test_a_taken_port_fails_cleanly_and_another_emulator_can_start(tmp_path):
    with Emulator(tmp_path / "a") as first:
        blocked = Emulator(tmp_path / "b", port=first.port)
        with pytest.raises(OSError):
            blocked.start()
        with Emulator(tmp_path / "b") as second:
            assert second.port != first.port
