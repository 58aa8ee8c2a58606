"""Tokens carry the audience they were asked for: ARM refuses a token for another resource, as Azure does."""

import requests

from tests.emulator.helpers import sub_url
from wizard.emulator import DEMO, identity


def _token_for(emulator, scope: str) -> str:
    form = {
        "grant_type": "client_credentials",
        "client_id": DEMO.client_id,
        "client_secret": DEMO.client_secret,
        "scope": scope,
    }
    reply = requests.post(f"{emulator.url}/{DEMO.tenant_id}/oauth2/v2.0/token", data=form, verify=emulator.ca_path)
    return reply.json()["access_token"]


def _list_groups(emulator, token: str) -> requests.Response:
    return requests.get(
        sub_url(emulator, "/resourcegroups"),
        params={"api-version": "2024-11-01"},
        headers={"Authorization": f"Bearer {token}"},
        verify=emulator.ca_path,
    )


def test_arm_refuses_a_token_for_azure_ml(emulator):
    token = _token_for(emulator, "https://ml.azure.com/.default")
    reply = _list_groups(emulator, token)
    assert reply.status_code == 401
    assert reply.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"


def test_arm_accepts_its_own_audience_and_records_the_principal(emulator):
    token = _token_for(emulator, f"{emulator.url}/.default")
    reply = _list_groups(emulator, token)
    assert reply.status_code == 200
    record = emulator.store.token(token)
    assert record.principal_id == DEMO.object_id and record.audience == emulator.url
    assert identity.is_arm_audience(record.audience)
