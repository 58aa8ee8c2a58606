"""From answers (and, for the emulator, its endpoint file) to a live connection: cloud, credential, clients.

Reading an endpoint file is all the full-screen UI needs before its first paint, so azure-core, pydantic and the
client factory are imported only by the functions that connect.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.redact import SECRETS

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

    from wizard.answers import Answers
    from wizard.azure import clouds
    from wizard.azure.clients import ClientFactory

EMULATOR_ENV = "SCORING_WIZARD_EMULATOR"


class ConnectError(Exception):
    """The target cloud cannot be reached as configured; the message says what to do."""


@dataclass(frozen=True)
class EmulatorEndpoint:
    """Where a running emulator listens, the CA that signs its certificate, and who to sign in as.

    The emulator tells clients its tenant and service principal in the same file, as any outside tool reads them:
    the client side never imports the emulator.
    """

    url: str
    ca: str
    tenant_id: str
    client_id: str
    client_secret: str = field(repr=False)

    @classmethod
    def from_file(cls, path: Path) -> EmulatorEndpoint:
        """Read DIR/endpoint.json (or DIR itself) as written by `scoring-wizard emulator`.

        `ca` must name a readable PEM certificate: TLS verification is never switched off, since the token request
        carries the client secret.
        """
        file = path / "endpoint.json" if path.is_dir() else path
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            url, ca = data["url"], data["ca"]
            identity = {key: str(data[key]) for key in ("tenant_id", "client_id", "client_secret")}
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConnectError(f"cannot read the emulator endpoint {file}: {error!r}") from None
        return cls(url=url, ca=require_ca_file(ca, file), **identity)


def require_ca_file(ca: object, source: Path) -> str:
    """The path of a readable PEM certificate, or a ConnectError naming the rule."""
    rule = f"the emulator endpoint {source} must name its CA certificate as a readable PEM file in 'ca'"
    if not isinstance(ca, str) or not ca:
        raise ConnectError(f"{rule} (got {ca!r}); TLS verification cannot be switched off")
    try:
        pem = Path(ca).read_bytes()
    except OSError as error:
        raise ConnectError(f"{rule}: {error.strerror or error}") from None
    if b"-----BEGIN CERTIFICATE-----" not in pem:
        raise ConnectError(f"{rule}: {ca} is not a PEM certificate")
    return ca


def emulator_endpoint(option: Path | None) -> EmulatorEndpoint | None:
    """The emulator named by --emulator, else by $SCORING_WIZARD_EMULATOR, else None (real Azure)."""
    if option is not None:
        return EmulatorEndpoint.from_file(option)
    if os.environ.get(EMULATOR_ENV):
        return EmulatorEndpoint.from_file(Path(os.environ[EMULATOR_ENV]))
    return None


@dataclass
class Connection:
    cloud: clouds.Cloud
    credential: TokenCredential
    clients: ClientFactory


def _emulator_cloud(endpoint: EmulatorEndpoint) -> clouds.Cloud:
    """The emulator's endpoints from its metadata; a refused, failing or untrusted emulator is one clear line."""
    import requests

    from wizard.azure import clouds

    try:
        return clouds.from_metadata(endpoint.url, ca_bundle=endpoint.ca)
    except requests.exceptions.SSLError:
        problem = f"its certificate is not signed by the CA {endpoint.ca}"
    except requests.exceptions.ConnectionError:
        problem = "nothing answers there"
    except requests.exceptions.HTTPError as error:
        problem = f"its metadata answered HTTP {error.response.status_code}"
    except (OSError, ValueError, KeyError, TypeError, requests.RequestException) as error:
        problem = f"its metadata is unusable ({type(error).__name__})"
    raise ConnectError(
        f"cannot reach the emulator at {endpoint.url}: {problem}. Is `scoring-wizard emulator` running with "
        "this endpoint file? Start it again, or try `scoring-wizard demo`."
    )


def emulator_connection(
    endpoint: EmulatorEndpoint,
    subscription_id: str,
    *,
    polling_interval: float = 0.5,
    read_timeout: float | None = None,
) -> Connection:
    """Sign in to the emulator as the service principal its endpoint file names, through azure-identity's real flow."""
    SECRETS.put("emulator client secret", endpoint.client_secret)
    cloud = _emulator_cloud(endpoint)
    from wizard.azure import credentials  # azure.identity: imported when signing in, not to draw a screen
    from wizard.azure.clients import ClientFactory

    credential = credentials.emulator_credential(cloud, endpoint.tenant_id, endpoint.client_id, endpoint.client_secret)
    return Connection(
        cloud,
        credential,
        ClientFactory(cloud, credential, subscription_id, polling_interval=polling_interval, read_timeout=read_timeout),
    )


def connect(answers: Answers, emulator: EmulatorEndpoint | None = None, **sign_in_options) -> Connection:
    """Connect to the cloud the answers name, or to the emulator when one is given."""
    from wizard.answers import CloudName
    from wizard.azure import clouds, credentials
    from wizard.azure.clients import ClientFactory

    if emulator is not None:
        return emulator_connection(emulator, answers.subscription_id)
    if answers.cloud is CloudName.EMULATOR:
        raise ConnectError(
            "these answers target the emulator: run `scoring-wizard emulator --state-dir DIR` and pass "
            "--emulator DIR (or set SCORING_WIZARD_EMULATOR), or try `scoring-wizard demo`"
        )
    cloud = clouds.KNOWN[answers.cloud.value]
    credential = credentials.for_sign_in(answers.sign_in, cloud, answers.tenant_id, **sign_in_options)
    return Connection(cloud, credential, ClientFactory(cloud, credential, answers.subscription_id))
