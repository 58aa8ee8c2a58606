"""Azurite, Microsoft's storage emulator, started once for these tests: HTTPS on loopback, OAuth checked.

The real azure-storage-blob client talks to it with a bearer token. Azurite's `--oauth basic` checks a token's
shape, issuer, audience and lifetime but not its signature (it has no Entra ID to ask for keys), so the
credential here mints a well-formed, unsigned-in-effect JWT for the storage audience. Everything else (leases,
conditional writes, snapshots) is Azurite's own implementation of the Blob service.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from azure.core.credentials import AccessToken

from wizard.emulator.tls import ensure_tls_files

ROOT = Path(__file__).resolve().parents[2]
AZURITE = ROOT / ".azurite" / "node_modules" / ".bin" / "azurite-blob"
ACCOUNT = "devstoreaccount1"  # Azurite's built-in account, addressed path-style


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


class StorageToken:
    """A TokenCredential whose JWT has what Azurite checks: Entra issuer, storage audience, nbf/iat/exp."""

    def get_token(self, *scopes: str, **_: object) -> AccessToken:
        now = int(time.time())
        claims = {
            "aud": "https://storage.azure.com",
            "iss": f"https://sts.windows.net/{uuid.UUID(int=1)}/",
            "iat": now - 60,
            "nbf": now - 60,
            "exp": now + 3600,
            "oid": str(uuid.UUID(int=2)),
        }
        token = f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{_b64(claims)}.{_b64({'sig': 'not checked'})}"
        return AccessToken(token, now + 3600)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The blob endpoint template (…/{account}) of an Azurite run for this session, and its CA file."""
    if shutil.which("node") is None or not AZURITE.exists():
        pytest.skip("Azurite is not installed (needs Node.js; ./scripts/test installs it into .azurite/)")
    state = tmp_path_factory.mktemp("azurite")
    tls = ensure_tls_files(state)
    log = state / "azurite.log"
    command = [str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", "0", "--disableTelemetry", "--silent"]
    command += ["--inMemoryPersistence", "--oauth", "basic", "--skipApiVersionCheck"]
    command += ["--cert", str(tls.server_cert), "--key", str(tls.server_key)]
    with log.open("w") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=state)
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(r"listens on (https://127\.0\.0\.1:\d+)", log.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Azurite did not start: {log.read_text()}")
            time.sleep(0.1)
        yield f"{found.group(1)}/{{account}}", str(tls.ca_cert)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def shared(azurite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A fresh container in Azurite, reached the way a run reaches Azure Storage (the environment names it)."""
    from wizard import blob_state

    endpoint, ca = azurite
    monkeypatch.setenv(blob_state.ENDPOINT_ENV, endpoint)
    monkeypatch.setenv(blob_state.CA_ENV, ca)
    monkeypatch.setattr(blob_state, "default_credential", StorageToken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # local copies stay out of the tester's home
    location = blob_state.Location(ACCOUNT, f"state-{uuid.uuid4().hex[:12]}", "demo")
    container = blob_state.container_client(location, StorageToken())
    container.create_container()
    return location
