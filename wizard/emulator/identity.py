"""Who is calling: access tokens with an audience and a principal, and the managed identities resources get.

Entra issues a token for one resource (its audience) to one principal: the demo service principal, or a
resource's system-assigned managed identity. ARM accepts only tokens for ARM; a data plane (the scoring route)
only tokens for itself. So a client that asks for the wrong audience fails as it would in Azure, and a data
plane can check role assignments against the token's principal.
"""

import base64
import json
import secrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from wizard.emulator.context import TOKEN_SECONDS, Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.store import Store, TokenRecord
from wizard.emulator.wire import ArmError, iso

ML_AUDIENCE = "https://ml.azure.com"
STORAGE_AUDIENCE = "https://storage.azure.com"
# Hosts whose tokens ARM accepts: the emulator itself (any port: a restarted emulator may move) and ARM's own.
_ARM_HOSTS = ("127.0.0.1", "localhost", "management.azure.com", "management.core.windows.net")


def audience_of(scope: str) -> str:
    """The resource a scope names: "https://ml.azure.com/.default" → "https://ml.azure.com"."""
    return scope.strip().removesuffix("/.default").rstrip("/")


def is_arm_audience(audience: str) -> bool:
    return (urlsplit(audience).hostname or "").lower() in _ARM_HOSTS


def mint(
    store: Store, now: float, *, principal_id: str, client_id: str, audience: str, lifetime: float = TOKEN_SECONDS
) -> str:
    """Issue an access token for one principal and audience, remembered until it expires.

    Shaped as Entra's are (a JWT whose claims tools read: oid, tid, appid, aud, exp) so that a client can learn
    who it signed in as; its third part is random, not a signature, and only the emulator's memory makes it valid.
    """
    claims = {
        "aud": audience_of(audience),
        "iss": f"https://sts.windows.net/{DEMO.tenant_id}/",
        "iat": int(now),
        "nbf": int(now),
        "exp": int(now + lifetime),
        "oid": principal_id,
        "sub": principal_id,
        "tid": DEMO.tenant_id,
        "appid": client_id,
        "idtyp": "app",
    }
    token = ".".join((_segment({"typ": "JWT", "alg": "RS256"}), _segment(claims), secrets.token_urlsafe(48)))
    store.add_token(token, client_id, now + lifetime, principal_id=principal_id, audience=audience_of(audience))
    return token


def _segment(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _refuse(ctx: Ctx, code: str, message: str) -> None:
    challenge = (
        f'Bearer authorization_uri="{ctx.base_url}/{DEMO.tenant_id}", error="invalid_token", '
        f'error_description="{message}"'
    )
    raise ArmError(401, code, message, {"WWW-Authenticate": challenge})


def authenticate(ctx: Ctx, *, audience: str | None = None) -> TokenRecord:
    """The caller behind the request's bearer token, refused as ARM refuses it.

    ``audience`` None means an ARM route; otherwise the token must have been issued for exactly that audience.
    """
    header = ctx.request.headers.get("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if not header:
        _refuse(ctx, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
    if scheme.lower() != "bearer" or not token.strip():
        _refuse(
            ctx,
            "AuthenticationFailed",
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
        )
    record = ctx.store.token(token.strip())
    if record is None:
        _refuse(ctx, "InvalidAuthenticationToken", "The access token is invalid.")
        raise AssertionError("unreachable")
    if record.expires_at <= ctx.now:
        _refuse(
            ctx,
            "ExpiredAuthenticationToken",
            f"The access token expiry UTC time '{iso(record.expires_at)}' is earlier than current UTC time "
            f"'{iso(ctx.now)}'.",
        )
    wanted_ok = is_arm_audience(record.audience) if audience is None else record.audience == audience_of(audience)
    if not wanted_ok:
        expected = "the resource manager" if audience is None else f"'{audience_of(audience)}'"
        _refuse(
            ctx,
            "InvalidAuthenticationTokenAudience",
            f"The access token has been obtained for wrong audience or resource '{record.audience}'. It should "
            f"exactly match with one of the allowed audiences: {expected}.",
        )
    return record


def assign_system_identity(resource: dict[str, Any], private: dict[str, Any]) -> None:
    """Give a resource that asks for a system-assigned identity its principal (stable across updates)."""
    identity: dict[str, Any] = resource.get("identity") or {}
    kind = str(identity.get("type") or "None").lower().replace(" ", "")
    if kind == "none":
        resource.pop("identity", None)
        return
    if "systemassigned" in kind:
        private.setdefault("principalId", str(uuid.uuid4()))
        identity["principalId"] = private["principalId"]
        identity["tenantId"] = DEMO.tenant_id
    resource["identity"] = identity


def principal_of(resource: dict[str, Any]) -> str | None:
    """The system-assigned identity's principal id of a stored resource, if it has one."""
    return (resource.get("identity") or {}).get("principalId")
