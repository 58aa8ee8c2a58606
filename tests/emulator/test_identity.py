"""Sign-in: azure-identity's ClientSecretCredential runs MSAL's real client-credentials flow against the
emulator, and ARM accepts exactly the tokens it issued."""

import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError

from tests.emulator.helpers import make_credential, sub_url
from wizard.emulator import DEMO


def test_client_secret_credential_gets_a_token_arm_accepts(emulator, arm_credential):
    token = arm_credential.get_token(emulator.url + "/.default")
    assert token.token and token.expires_on > 0
    answer = requests.get(
        sub_url(emulator),
        params={"api-version": "2022-12-01"},
        headers={"Authorization": f"Bearer {token.token}"},
        verify=str(emulator.ca_path),
    )
    assert answer.status_code == 200
    assert answer.json()["subscriptionId"] == DEMO.subscription_id


def test_wrong_secret_is_refused_like_entra(emulator):
    with pytest.raises(ClientAuthenticationError) as raised:
        make_credential(emulator, secret="not-the-secret").get_token(emulator.url + "/.default")
    assert "AADSTS7000215" in str(raised.value)


def test_openid_configuration_points_at_the_emulator(emulator):
    answer = requests.get(
        f"{emulator.url}/{DEMO.tenant_id}/v2.0/.well-known/openid-configuration", verify=str(emulator.ca_path)
    ).json()
    for key in ("token_endpoint", "authorization_endpoint", "device_authorization_endpoint", "issuer"):
        assert answer[key].startswith(emulator.url)
    assert answer["issuer"] == f"{emulator.url}/{DEMO.tenant_id}/v2.0"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "AuthenticationFailed"),
        ({"Authorization": "Bearer made-up"}, "InvalidAuthenticationToken"),
        ({"Authorization": "Basic abc"}, "AuthenticationFailed"),
    ],
)
def test_arm_refuses_missing_or_unknown_tokens(emulator, headers, code):
    answer = requests.get(
        f"{emulator.url}/subscriptions",
        params={"api-version": "2022-12-01"},
        headers=headers,
        verify=str(emulator.ca_path),
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == code
    assert emulator.request_log()[-1]["status"] == 401
    assert answer.headers["WWW-Authenticate"].startswith("Bearer authorization_uri=")
