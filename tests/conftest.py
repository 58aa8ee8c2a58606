"""Suite-wide: tests never reach the internet, not even to learn the caller's public IP address.

The DSVM firewall step detects the caller's address from an echo service when the answers do not give one.
Every test (and every `scoring-wizard` subprocess, which inherits the environment) asks a local echo server
instead, which answers a documentation address.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from wizard.dsvm.caller_ip import ECHO_URL_ENV

CALLER_IP = "198.51.100.23"


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        payload = CALLER_IP.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="session")
def ip_echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _no_internet_ip_detection(monkeypatch: pytest.MonkeyPatch, ip_echo_url: str) -> None:
    monkeypatch.setenv(ECHO_URL_ENV, ip_echo_url)


@pytest.fixture(autouse=True)
def _own_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test (and its subprocesses) gets its own per-user state folder: setup locks and default checkpoints
    live there, and other test runs on the same machine use the same answers."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
