"""Microsoft Entra ID, as much of it as MSAL's client-credentials flow uses.

azure-identity's ``ClientSecretCredential(..., authority=emulator_url, disable_instance_discovery=True)`` runs MSAL
unchanged: it reads the tenant's OpenID configuration, then posts to the token endpoint. Instance discovery must
be off: for a host it does not know, MSAL asks login.microsoftonline.com, never the authority itself. Tokens are
opaque random strings remembered with their principal, audience (from the scope asked for) and expiry; see
``identity``.
"""

import secrets
import uuid
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from wizard.emulator import identity
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.routing import route
from wizard.emulator.wire import Reply, iso

_PSEUDO_TENANTS = ("common", "organizations")


def _tenant_known(tenant: str) -> bool:
    return tenant.lower() in (DEMO.tenant_id, DEMO.tenant_domain, *_PSEUDO_TENANTS)


def _aad_error(ctx: Ctx, status: int, error: str, code: int, description: str) -> Reply:
    """The body shape Entra uses for OAuth errors (not ARM's)."""
    trace, correlation = str(uuid.uuid4()), str(uuid.uuid4())
    return Reply(
        status,
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description}\r\nTrace ID: {trace}\r\n"
            f"Correlation ID: {correlation}\r\nTimestamp: {iso(ctx.now)[:19]}Z",
            "error_codes": [code],
            "timestamp": f"{iso(ctx.now)[:19]}Z",
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"{ctx.base_url}/error?code={code}",
        },
    )


def _unknown_tenant(ctx: Ctx, tenant: str) -> Reply:
    return _aad_error(
        ctx,
        400,
        "invalid_tenant",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the "
        "correct cloud.",
    )


@route("GET", "/{tenant}/v2.0/.well-known/openid-configuration", arm=False)
def openid_configuration(ctx: Ctx, tenant: str) -> Reply:
    if not _tenant_known(tenant):
        return _unknown_tenant(ctx, tenant)
    base = f"{ctx.base_url}/{tenant}"
    issuer_tenant = "{tenantid}" if tenant.lower() in _PSEUDO_TENANTS else DEMO.tenant_id
    body: dict[str, Any] = {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": f"{base}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{ctx.base_url}/{issuer_tenant}/v2.0",
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{ctx.base_url}/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "tid", "oid", "name"],
        "kerberos_endpoint": f"{base}/kerberos",
        "tenant_region_scope": "NA",
        "cloud_instance_name": urlsplit(ctx.base_url).netloc,
        "cloud_graph_host_name": urlsplit(ctx.base_url).netloc,
        "msgraph_host": urlsplit(ctx.base_url).netloc,
        "rbac_url": ctx.base_url,
    }
    return Reply(200, body)


@route("POST", "/{tenant}/oauth2/v2.0/token", arm=False)
def token(ctx: Ctx, tenant: str) -> Reply:
    """Client-credentials grant for the demo service principal; the errors are Entra's own."""
    form = dict(parse_qsl(ctx.request.body.decode("utf-8", "replace")))
    if tenant.lower() not in (DEMO.tenant_id, DEMO.tenant_domain):
        return _unknown_tenant(ctx, tenant)
    if form.get("grant_type") != "client_credentials":
        return _aad_error(
            ctx,
            400,
            "unsupported_grant_type",
            70003,
            f"The app requested an unsupported grant type '{form.get('grant_type', '')}'.",
        )
    if form.get("client_id") != DEMO.client_id:
        return _aad_error(
            ctx,
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{form.get('client_id', '')}' was not found in the directory "
            f"'{DEMO.tenant_domain}'. This can happen if the application has not been installed by the administrator "
            "of the tenant or consented to by any user in the tenant.",
        )
    if not secrets.compare_digest(form.get("client_secret", ""), DEMO.client_secret):
        return _aad_error(
            ctx,
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
            f"not the client secret ID, for a secret added to app '{DEMO.client_id}'.",
        )
    if not form.get("scope"):
        return _aad_error(
            ctx, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'."
        )
    access_token = identity.mint(
        ctx.store,
        ctx.now,
        principal_id=DEMO.object_id,
        client_id=DEMO.client_id,
        audience=form["scope"],
        lifetime=ctx.token_lifetime,
    )
    return Reply(
        200,
        {
            "token_type": "Bearer",
            "expires_in": int(ctx.token_lifetime),
            "ext_expires_in": int(ctx.token_lifetime),
            "access_token": access_token,
        },
    )
