"""Sign-in: one azure-identity credential per way a person (or a support engineer) can sign in.

The Azure CLI login is reused when present, device code suits terminals without a browser, a service
principal comes from the environment (AZURE_CLIENT_ID/SECRET/TENANT_ID), and the emulator has its own demo
service principal that goes through azure-identity's real client-credentials flow.
"""

from __future__ import annotations

from collections.abc import Callable

from azure.core.credentials import TokenCredential
from azure.identity import (
    AzureCliCredential,
    ClientSecretCredential,
    DeviceCodeCredential,
    EnvironmentCredential,
    InteractiveBrowserCredential,
)

from wizard.answers import SignIn
from wizard.azure.clouds import Cloud


def for_sign_in(
    method: SignIn,
    cloud: Cloud,
    tenant_id: str | None = None,
    *,
    show_device_code: Callable[[str], None] | None = None,
) -> TokenCredential:
    """A credential for the chosen sign-in method in the given cloud."""
    authority = cloud.authority_host
    match method:
        case SignIn.CLI:
            return AzureCliCredential(tenant_id=tenant_id or "")
        case SignIn.DEVICE_CODE:
            prompt = None
            if show_device_code is not None:
                tell = show_device_code

                def prompt(uri: str, code: str, _expires: object) -> None:
                    tell(f"Open {uri} and enter the code {code}")

            return DeviceCodeCredential(
                tenant_id=tenant_id or "organizations", prompt_callback=prompt, authority=authority
            )
        case SignIn.BROWSER:
            return InteractiveBrowserCredential(tenant_id=tenant_id or "organizations", authority=authority)
        case SignIn.SERVICE_PRINCIPAL:
            return EnvironmentCredential(authority=authority)
    raise ValueError(f"unknown sign-in method {method}")


def emulator_credential(cloud: Cloud, tenant_id: str, client_id: str, client_secret: str) -> TokenCredential:
    """The emulator's demo service principal, signed in through the emulator's own token endpoint."""
    return ClientSecretCredential(
        tenant_id,
        client_id,
        client_secret,
        authority=cloud.authority_host,
        disable_instance_discovery=True,
        connection_verify=cloud.connection_verify,
    )
