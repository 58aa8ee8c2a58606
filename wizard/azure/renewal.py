"""Answering a 401 for an expired or revoked token by getting a new token once, not by failing the step.

azure-core's bearer policy renews a token shortly before the expiry the credential reported, and on a 401 it
drops its own copy; but the credential (MSAL's cache in azure-identity) would hand back the same token, which ARM
has just refused (revoked, or the two clocks disagree). A claims challenge asking for a token issued from now on
(`nbf`, as Continuous Access Evaluation sends) makes the credential skip its cache, so the request is re-sent
once with a really new token. Any other 401 surfaces unchanged.
"""

from __future__ import annotations

import json
import time
from typing import Any

from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy

from wizard.azure import retries

RENEWABLE_CODES = frozenset({"ExpiredAuthenticationToken", "InvalidAuthenticationToken"})
RENEWED = "Azure refused the access token as expired; signed in again, retrying"


def _code_in(body: str) -> str | None:
    """The ARM error code an answer's body names, if it is an ARM error."""
    try:
        return json.loads(body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def _error_code(response: Any) -> str | None:
    """The ARM error code of a 401; its body is read first (the first call of a long-running operation streams)."""
    try:
        answer = response.http_response
        if callable(getattr(answer, "read", None)):  # azure.core.rest responses; older transport ones are read
            answer.read()
        return _code_in(answer.text())
    except (ValueError, TypeError):
        return None


def fresh_token_claims(now: float) -> str:
    """The claims challenge for a token not before `now`."""
    return json.dumps({"access_token": {"nbf": {"essential": True, "value": str(int(now))}}})


class RenewingAuthenticationPolicy(ARMChallengeAuthenticationPolicy):
    """ARM's bearer policy; a token ARM calls expired or invalid is replaced once and the request re-sent."""

    def on_challenge(self, request: Any, response: Any) -> bool:
        if super().on_challenge(request, response):
            return True
        if _error_code(response) not in RENEWABLE_CODES:
            return False
        try:
            self.authorize_request(request, *self._scopes, claims=fresh_token_claims(time.time()))
        except Exception:  # a credential that cannot take claims (the CLI): the 401 itself is the clearer error
            return False
        retries.tell(RENEWED)
        return True


def renewed_token(credential: Any, scope: str, answer: Any) -> str | None:
    """For a call made with `requests` (the scoring URI): a really new token if Azure refused the last one as
    expired or invalid (told to the step), else None and the 401, or whatever `answer` is, stands."""
    if answer.status_code != 401 or _code_in(answer.text) not in RENEWABLE_CODES:
        return None
    try:
        token = credential.get_token(scope, claims=fresh_token_claims(time.time())).token
    except Exception:  # a credential that cannot take claims (the CLI): the 401 itself is the clearer error
        return None
    retries.tell(RENEWED)
    return str(token)
