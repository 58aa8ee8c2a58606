"""Tokens expire; a token ARM refuses as expired mid-run is replaced once, and the call goes through."""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.mgmt.resource.resources import ResourceManagementClient

from wizard.connect import EmulatorEndpoint, emulator_connection
from wizard.emulator import DEMO, Emulator


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
