"""An emulator that is gone, broken or untrusted is one line and exit 2, never a traceback."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import certifi
import pytest

from wizard import cli
from wizard.emulator import DEMO, Emulator
from wizard.resources import asset


class _Broken(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(500)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def broken_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _endpoint_file(tmp_path: Path, url: str, ca: str) -> Path:
    path = tmp_path / "endpoint.json"
    identity = {"tenant_id": DEMO.tenant_id, "client_id": DEMO.client_id, "client_secret": DEMO.client_secret}
    path.write_text(json.dumps({"url": url, "ca": ca, **identity}))
    return path


@pytest.mark.parametrize("command", ["run", "plan", "status"])
@pytest.mark.parametrize("fault", ["refused", "http-500", "wrong-ca"])
def test_an_unusable_emulator_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken_url: str, command: str, fault: str
) -> None:
    if fault == "wrong-ca":
        emulator = Emulator(tmp_path / "emu", latency_scale=0.01).start()
        url, ca = emulator.url, certifi.where()
    else:
        emulator = None
        url, ca = (
            (f"https://127.0.0.1:{_closed_port()}", certifi.where())
            if fault == "refused"
            else (broken_url, certifi.where())
        )
    endpoint = _endpoint_file(tmp_path, url, ca)
    checkpoint = tmp_path / "setups" / "demo.json"
    args = {
        "run": ["run", "--answers", str(asset("demo.toml")), "--checkpoint", str(checkpoint)],
        "plan": ["plan", "--answers", str(asset("demo.toml"))],
        "status": ["status", "--checkpoint", str(checkpoint)],
    }[command]
    if command == "status":
        from wizard import answers
        from wizard.checkpoint import Checkpoint

        Checkpoint.open(checkpoint, answers.load(asset("demo.toml"))).close()
    try:
        code = cli.main([*args, "--emulator", str(endpoint)])
    finally:
        if emulator is not None:
            emulator.stop()
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "cannot reach the emulator" in err
