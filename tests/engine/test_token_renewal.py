"""Tokens expire; a token Azure refuses as expired mid-run is replaced once, and the call goes through: on the
management clients, on azure-ai-ml's, and on the calls made with requests (the scoring URI)."""

from __future__ import annotations

import time

import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError, ResourceNotFoundError
from azure.mgmt.resource.resources import ResourceManagementClient

from wizard.azure import renewal
from wizard.connect import EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator
from wizard.ml.client import ml_client


def _arm_statuses(emu: Emulator) -> list[int]:
    return [entry["status"] for entry in emu.request_log() if entry["path"].startswith("/subscriptions")]


def test_an_expired_token_is_renewed_once_instead_of_failing(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01) as emu:
        clients = emulator_connection(EmulatorEndpoint(**emu.endpoint()), DEMO.subscription_id).clients
        groups = clients.get(ResourceManagementClient).resource_groups
        groups.create_or_update("rg-renewal", {"location": "eastus"})
        emu.store.expire_tokens(time.time())  # ARM now refuses the token the client still holds
        assert groups.get("rg-renewal").location == "eastus"
        assert _arm_statuses(emu)[-2:] == [401, 200]


def test_a_token_refused_twice_fails_after_one_renewal(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01, token_lifetime=-1) as emu:  # every token is born expired
        clients = emulator_connection(EmulatorEndpoint(**emu.endpoint()), DEMO.subscription_id).clients
        with pytest.raises(ClientAuthenticationError, match="ExpiredAuthenticationToken"):
            clients.get(ResourceManagementClient).resource_groups.get("rg-any")
        assert _arm_statuses(emu) == [401, 401]


def test_the_emulator_issues_tokens_for_the_lifetime_it_is_told(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01, token_lifetime=1) as emu:
        clients = emulator_connection(EmulatorEndpoint(**emu.endpoint()), DEMO.subscription_id).clients
        first = clients.credential.get_token(clients.cloud.arm_scope)
        assert first.expires_on - time.time() <= 2
        time.sleep(1.1)
        groups = clients.get(ResourceManagementClient).resource_groups
        groups.create_or_update("rg-short-lived", {"location": "eastus"})
        assert 401 not in _arm_statuses(emu)


def test_azure_ml_clients_renew_an_expired_token_too(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01) as emu:
        connection = emulator_connection(EmulatorEndpoint(**emu.endpoint()), DEMO.subscription_id)
        ml = ml_client(connection.cloud, connection.credential, DEMO.subscription_id, "rg-ml", "absent")
        with pytest.raises(ResourceNotFoundError):
            ml.workspaces.get("absent")
        emu.store.expire_tokens(time.time())
        with pytest.raises(ResourceNotFoundError):  # not ClientAuthenticationError: the 401 was answered
            ml.workspaces.get("absent")
        assert _arm_statuses(emu)[-2:] == [401, 404]


def test_a_call_made_with_requests_gets_a_really_new_token_once(tmp_path):
    with Emulator(tmp_path, latency_scale=0.01) as emu:
        connection = emulator_connection(EmulatorEndpoint(**emu.endpoint()), DEMO.subscription_id)
        scope, url = connection.cloud.arm_scope, f"{emu.url}/subscriptions/{DEMO.subscription_id}/resourcegroups"
        old = connection.credential.get_token(scope).token
        emu.store.expire_tokens(time.time())

        def read(token: str) -> requests.Response:
            headers = {"Authorization": f"Bearer {token}"}
            return requests.get(url, params={"api-version": "2022-12-01"}, headers=headers, verify=emu.ca_path)

        refused = read(old)
        assert refused.status_code == 401 and connection.credential.get_token(scope).token == old  # MSAL's cache
        fresh = renewal.renewed_token(connection.credential, scope, refused)
        assert fresh and fresh != old and read(fresh).status_code == 200
        assert renewal.renewed_token(connection.credential, scope, read(fresh)) is None  # a 200 renews nothing
