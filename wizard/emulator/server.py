"""The ``Emulator``: an HTTPS server on loopback in front of ``App``, plus the in-process admin helpers.

http.server's ThreadingHTTPServer with TLS from the stdlib: one thread per connection, keep-alive, handshakes done
in the connection's thread so a stalled client cannot block accepting others. Stopping closes every open
connection too, so clients holding pooled keep-alive connections reconnect to whatever serves the port next
(a restarted emulator) instead of talking to a stopped one.
"""

import contextlib
import json
import logging
import os
import socket
import ssl
import struct
import sys
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from wizard.emulator import latency
from wizard.emulator.admin import new_fault
from wizard.emulator.app import App
from wizard.emulator.context import TOKEN_SECONDS
from wizard.emulator.demo import DEMO
from wizard.emulator.providers import job_runner
from wizard.emulator.schedules import Ticker
from wizard.emulator.store import Row, Store
from wizard.emulator.tls import ensure_tls_files
from wizard.emulator.wire import JSON_TYPE, ArmError, Disconnect, Reply, Request

_log = logging.getLogger(__name__)
_IDLE_SECONDS = 120
_DRAIN_SECONDS = 5.0
_STOP_POLL_SECONDS = 0.05  # how often serve_forever checks for stop(): stopping takes at most this long


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections are closed by stop(), not waited for

    def __init__(self, address: tuple[str, int], app: App) -> None:
        super().__init__(address, _Handler)
        self.app = app
        self.connections: set[socket.socket] = set()
        self.busy = 0  # requests being handled, so the store is closed only once they are done
        self.state = threading.Condition()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Dropped and half-open connections are normal for a local server; anything else is a bug to report."""
        if not isinstance(sys.exc_info()[1], OSError):
            _log.exception("emulator connection from %s failed", client_address)

    def close_connections(self) -> None:
        """Cut every open connection, then wait (briefly) for requests in progress to finish."""
        with self.state:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        with self.state:
            self.state.wait_for(lambda: self.busy == 0, timeout=_DRAIN_SECONDS)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "ARM-emulator"
    sys_version = ""
    timeout = _IDLE_SECONDS
    server: _Server

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
        with self.server.state:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.state:
            self.server.connections.discard(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the per-request stderr line; the request log is in the store."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(self.command, path, query, self.headers, body, f"https://{host}")
        with self.server.state:
            self.server.busy += 1
        try:
            reply = self.server.app.handle(request)
        except Disconnect:  # no answer: the connection goes down hard (RST), as a reset on the way does
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        except Exception:
            _log.exception("emulator failed on %s %s", self.command, path)
            reply = ArmError(500, "InternalServerError", "The emulator failed; see its log.").reply()
        finally:
            with self.server.state:
                self.server.busy -= 1
                self.server.state.notify_all()
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        payload = reply.encode()
        self.send_response(reply.status)
        if payload and "Content-Type" not in reply.headers:
            self.send_header("Content-Type", JSON_TYPE)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = do_HEAD = _serve


class Emulator:
    """An ARM + Entra emulator keeping its state in ``state_dir``. See the package docstring for use."""

    def __init__(
        self,
        state_dir: Path,
        *,
        port: int = 0,
        latency_scale: float = 1.0,
        token_lifetime: float = TOKEN_SECONDS,
        latency_profile: str = latency.QUICK,
    ) -> None:
        self.state_dir = Path(state_dir).resolve()
        self._port = port
        self.latency_scale = latency_scale
        self.latency_profile = latency_profile
        self.token_lifetime = token_lifetime
        self._store: Store | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ticker: Ticker | None = None

    # lifecycle

    def _open(self) -> _Server:
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        self.state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.state_dir, 0o700)  # it holds a CA key and the demo secret: owner only, whatever the umask
        tls = ensure_tls_files(self.state_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(tls.server_cert, tls.server_key)
        store = Store(self.state_dir / "emulator.sqlite3")
        try:
            server = _Server(
                ("127.0.0.1", self._port), App(store, self.latency_scale, self.token_lifetime, self.latency_profile)
            )
        except OSError:  # port taken: leave nothing open, so the caller can try another port
            store.close()
            raise
        self._store = store
        profile, scale = self.latency_profile, self.latency_scale
        timing = job_runner.NodeTiming(
            latency.first_node_seconds(profile) * scale, latency.image_pull_seconds(profile) * scale, scale
        )
        job_runner.configure(store, timing)
        self._ticker = Ticker(store, self.latency_scale).start()
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self._port = server.server_address[1]
        self._server = server
        return server

    def start(self) -> "Emulator":
        """Serve in a background daemon thread."""
        server = self._open()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": _STOP_POLL_SECONDS}, name="arm-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (Ctrl-C), then shut down cleanly. If ``start()`` already
        serves in the background (so the caller could write the endpoint file first), wait for the interrupt."""
        if self._thread is not None:
            try:
                while self._thread.is_alive():
                    self._thread.join(timeout=0.5)
            except KeyboardInterrupt:
                pass
            self.stop()
            return
        server = self._open()
        try:
            server.serve_forever(poll_interval=_STOP_POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            self._close(server)

    def stop(self) -> None:
        server = self._server
        if server is None:
            return
        server.shutdown()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._close(server)

    def _close(self, server: _Server) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        server.server_close()
        server.close_connections()
        if self._store is not None:
            self._store.close()
        self._store = None
        self._server = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # where clients find it

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self._port}"

    @property
    def ca_path(self) -> Path:
        return self.state_dir / "ca.pem"

    def endpoint(self) -> dict[str, str]:
        """What a client needs: where to connect, the CA to trust, and the service principal to sign in as."""
        return {
            "url": self.url,
            "ca": str(self.ca_path),
            "tenant_id": DEMO.tenant_id,
            "client_id": DEMO.client_id,
            "client_secret": DEMO.client_secret,
        }

    def write_endpoint_file(self) -> Path:
        """state_dir/endpoint.json (see ``endpoint``), readable by the owner only: it holds the demo secret.

        Written beside and renamed into place, so that a client polling for the file never reads it half-written.
        """
        path = self.state_dir / "endpoint.json"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(self.endpoint(), handle)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
        return path

    # admin helpers

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the emulator is not running")
        return self._store

    def request_log(self) -> list[dict[str, Any]]:
        return self.store.requests()

    def inject_fault(
        self,
        method: str | None = "PUT",
        path_pattern: str = ".*",
        status: int | None = None,
        code: str | None = None,
        message: str | None = None,
        times: int | None = 1,
        headers: Mapping[str, str] | None = None,
        *,
        async_failure: bool = False,
        kind: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        allowance: int = 0,
    ) -> int:
        """Answer the next ``times`` requests matching method and path regex with this ARM error (None: for ever),
        or misbehave as the fault ``kind`` says (see faults.py). With ``async_failure`` the write is accepted and
        its long-running operation ends Failed instead."""
        fault = new_fault(
            method,
            path_pattern,
            status,
            code,
            message,
            times,
            headers,
            async_failure,
            kind=kind,
            probability=probability,
            seed=seed,
            allowance=allowance,
        )
        return self.store.add_fault(fault)

    def fault_fired(self, fault_id: int) -> int:
        """How many requests a fault has answered (or operations it has spoiled) so far."""
        return self.store.fired(fault_id)

    def clear_faults(self) -> None:
        self.store.clear_faults()

    def created(self) -> list[Row]:
        """Every resource created since start, reset or restore (see Store.created)."""
        return self.store.created()

    def snapshot(self, path: Path) -> None:
        self.store.snapshot(path)

    def restore(self, path: Path) -> None:
        """Back to a snapshot's state, faults lifted."""
        self.store.restore(path)

    def reset(self) -> None:
        """Forget resources, operations, registrations, faults and the log; keep the CA and issued tokens."""
        self.store.reset()
