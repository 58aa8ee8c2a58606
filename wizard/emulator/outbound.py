"""Calls a scheduler makes on a user's behalf: an HTTPS POST with a token minted for the resource's identity.

A Data Factory Web activity or a Logic Apps HTTP action with managed-identity authentication asks Entra for a
token for its system-assigned identity and the configured audience, then calls the URL. Here the token is minted
by the emulator for that principal, and the URL (the batch endpoint's scoring route, on this emulator) is called
for real, trusting the emulator's CA as Azure trusts public CAs. The answer decides the run's outcome.
"""

from dataclasses import dataclass
from typing import Any

import requests

from wizard.emulator import identity
from wizard.emulator.store import Store

TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Answer:
    """What the called endpoint answered: its status and JSON body (or text under ``"message"``)."""

    status: int
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def post_as(store: Store, now: float, *, principal_id: str, audience: str, url: str, body: Any) -> Answer:
    """POST ``body`` as JSON to ``url`` with a bearer token issued to ``principal_id`` for ``audience``."""
    token = identity.mint(store, now, principal_id=principal_id, client_id=principal_id, audience=audience)
    session = requests.Session()
    session.trust_env = False  # a proxy or CA bundle from the environment must not decide where the call goes
    try:
        reply = session.post(
            url,
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            verify=str(store.path.parent / "ca.pem"),
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        return Answer(0, {"message": f"The request to '{url}' failed: {error}"})
    finally:
        session.close()
    try:
        parsed = reply.json()
    except ValueError:
        parsed = {"message": reply.text}
    return Answer(reply.status_code, parsed if isinstance(parsed, dict) else {"value": parsed})
