"""Failures read as one sentence a user can act on: no SDK tuples, no Python dicts, no 2 MB echoes."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import tomli_w
from azure.core import PipelineClient
from azure.core.pipeline.policies import RetryPolicy
from azure.core.rest import HttpRequest

from wizard import cli
from wizard.azure.errors import explain, hint_for
from wizard.connect import EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator


@pytest.fixture
def resetting_server() -> Iterator[str]:
    """Accepts every connection, reads the request, then resets it (RST), as a flaky middlebox does."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    server.close()


def test_a_persistent_connection_reset_is_a_readable_line(resetting_server: str) -> None:
    client = PipelineClient(resetting_server, policies=[RetryPolicy(retry_total=2, retry_backoff_factor=0.01)])
    with pytest.raises(Exception) as caught:
        client.send_request(HttpRequest("GET", f"{resetting_server}/subscriptions"))
    info = explain(caught.value)
    assert info.message == "the connection was reset each time, even after retries"
    assert info.todo


def test_a_token_endpoint_400_shows_the_entra_description(tmp_path: Path) -> None:
    emulator = Emulator(tmp_path, latency_scale=0.01).start()
    try:
        fault = {
            "method": "POST",
            "path_pattern": "oauth2",
            "status": 400,
            "code": "invalid_client",
            "message": "AADSTS7000215: Invalid client secret provided.",
            "times": None,
        }
        requests.post(f"{emulator.url}/_emulator/faults", json=fault, verify=emulator.ca_path, timeout=5)
        connection = emulator_connection(EmulatorEndpoint(**emulator.endpoint()), DEMO.subscription_id)
        with pytest.raises(Exception) as caught:
            connection.credential.get_token(connection.cloud.arm_scope)
    finally:
        emulator.stop()
    info = explain(caught.value)
    assert info.message == "Authentication failed: AADSTS7000215: Invalid client secret provided."
    assert "{" not in info.message and info.todo


@pytest.mark.parametrize(
    ("code", "status", "words"),
    [
        ("ExpiredAuthenticationToken", 401, "expired"),
        ("InternalExecutionError", 500, "internal error"),
        ("InvalidAuthenticationTokenTenant", 401, "token"),
    ],
)
def test_auth_and_internal_errors_say_what_to_do(code: str, status: int, words: str) -> None:
    hint = hint_for(code, status)
    assert words in hint["what"] and hint["todo"] and hint["link"].startswith("https://")


def test_a_huge_value_is_cut_in_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = "x" * 2_000_000
    answers = tmp_path / "answers.toml"
    answers.write_text(
        tomli_w.dumps({"subscription_id": huge, "region": "eastus", "resource_group": "rg", "prefix": "abc"})
    )
    assert cli.main(["plan", "--answers", str(answers)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "subscription_id" in err and "2,000,002 characters" in err and len(err) < 1_000
    assert len(explain(ValueError(huge)).message) < 1_000
