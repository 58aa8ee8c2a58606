"""A recording scoring URL for the schedulers' own emulator tests: loopback HTTPS with the emulator's own
certificate, checking each caller's token as the real route does (audience, then the allowed principals), and
keeping every call's body and principal so a test can say exactly who called with what. A firing scheduler is
tested here without a workspace and a deployed endpoint; tests/steps/test_scheduler_steps.py runs each scheduler
against the emulator's real batch endpoint, end to end."""

import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.emulator.conftest import arm_credential, emulator, make_client
from wizard.emulator import Emulator
from wizard.emulator.tls import ensure_tls_files

__all__ = ["arm_credential", "emulator", "make_client"]  # the emulator fixtures, shared with tests/emulator


@dataclass
class ScoringStandIn:
    """Answers 200 with a job for allowed principals, 403 for others, 401 for a token of another audience."""

    url: str
    allowed: set[str] = field(default_factory=set)
    calls: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def scoring(emulator: Emulator) -> Iterator[ScoringStandIn]:
    files = ensure_tls_files(emulator.state_dir)
    stand_in: ScoringStandIn

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"null")
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
            record = emulator.store.token(token)
            stand_in.calls.append({"body": body, "principal": record.principal_id if record else None})
            if record is None or record.audience != "https://ml.azure.com":
                self._answer(401, {"error": {"code": "InvalidToken", "message": "audience"}})
            elif record.principal_id not in stand_in.allowed:
                self._answer(403, {"error": {"code": "AuthorizationFailed", "message": "no role"}})
            else:
                self._answer(200, {"id": "/jobs/batchjob-1", "name": f"batchjob-{len(stand_in.calls)}"})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.server_cert, files.server_key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    stand_in = ScoringStandIn(f"https://127.0.0.1:{server.server_address[1]}/score")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stand_in
    server.shutdown()
    server.server_close()
