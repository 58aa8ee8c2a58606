"""The realistic latency profile: Azure's typical minutes per resource type, times the latency scale, for every
type that runs long; the quick profile (tests, demo) keeps each behaviour's own seconds."""

import time
import uuid

import requests

from tests.emulator.helpers import bearer_session, make_credential, register, sub_url, wait_until
from wizard.emulator import DEMO, Emulator, behaviour, identity, latency
from wizard.emulator.identity import STORAGE_AUDIENCE as AUDIENCE

PROVIDERS = {"api-version": "2022-12-01"}


def test_every_long_running_type_has_a_realistic_duration():
    long_running = [b for b in behaviour._REGISTRY.values() if b.latency or b.delete_latency]
    assert long_running
    missing = [b.type for b in long_running if b.type.lower() not in latency.REALISTIC_SECONDS]
    assert missing == []


def _registering_for(tmp_path, profile: str) -> float:
    """Seconds a provider registration stays Registering on an emulator at 1/200 of real time."""
    with Emulator(tmp_path, latency_scale=0.005, latency_profile=profile) as emu:
        arm = bearer_session(emu, make_credential(emu))
        url = sub_url(emu, "/providers/Microsoft.MachineLearningServices")
        started = time.monotonic()
        arm.post(f"{url}/register", params=PROVIDERS).raise_for_status()
        while arm.get(url, params=PROVIDERS).json()["registrationState"] != "Registered":
            time.sleep(0.005)
        return time.monotonic() - started


def test_a_provider_registers_in_about_a_scaled_minute_only_with_the_realistic_profile(tmp_path):
    scaled_minute = latency.REALISTIC_REGISTRATION_SECONDS * 0.005
    assert _registering_for(tmp_path / "realistic", latency.REALISTIC) >= scaled_minute
    assert _registering_for(tmp_path / "quick", latency.QUICK) < scaled_minute


STORAGE = {"api-version": "2025-06-01"}
BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ROLES = "/providers/Microsoft.Authorization/roleDefinitions"


def _blob_list_statuses(tmp_path, profile: str) -> tuple[int, float]:
    """(status of a bearer blob listing made right after its role was granted, seconds until one is let in) on
    an emulator at 1/200 of real time."""
    with Emulator(tmp_path, latency_scale=0.005, latency_profile=profile) as emu:
        arm = bearer_session(emu, make_credential(emu))
        register(arm, emu, "Microsoft.Storage")
        arm.put(sub_url(emu, "/resourcegroups/rg"), params=PROVIDERS, json={"location": "westeurope"})
        account = sub_url(emu, "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/rolesa")
        arm.put(account, params=STORAGE, json={"location": "westeurope", "sku": {"name": "Standard_LRS"}})
        wait_until(lambda: arm.get(account, params=STORAGE).json()["properties"]["provisioningState"] == "Succeeded")
        role = f"/subscriptions/{DEMO.subscription_id}{ROLES}/{BLOB_CONTRIBUTOR}"
        principal = str(uuid.uuid4())  # an identity holding no role but this one (the caller is Owner)
        grant = {"properties": {"roleDefinitionId": role, "principalId": principal}}
        assignment = f"{account}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}"
        arm.put(assignment, params={"api-version": "2022-04-01"}, json=grant).raise_for_status()
        granted = time.monotonic()
        blobs = requests.Session()
        blobs.trust_env, blobs.verify = False, str(emu.ca_path)
        token = identity.mint(emu.store, time.time(), principal_id=principal, client_id=principal, audience=AUDIENCE)
        blobs.headers["Authorization"] = f"Bearer {token}"
        listing = f"{emu.url}/_blob/rolesa/data"

        def status() -> int:
            return blobs.get(listing, params={"restype": "container", "comp": "list"}).status_code

        first = status()
        wait_until(lambda: status() != 403)
        return first, time.monotonic() - granted


def test_a_new_role_grants_data_access_only_once_propagated_under_the_realistic_profile(tmp_path):
    scaled_propagation = latency.REALISTIC_PROPAGATION_SECONDS * 0.005
    first, let_in_after = _blob_list_statuses(tmp_path / "realistic", latency.REALISTIC)
    assert first == 403 and let_in_after >= scaled_propagation
    first, let_in_after = _blob_list_statuses(tmp_path / "quick", latency.QUICK)
    assert first != 403 and let_in_after < scaled_propagation
