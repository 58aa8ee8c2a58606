"""The realistic latency profile: Azure's typical minutes per resource type, times the latency scale, for every
type that runs long; the quick profile (tests, demo) keeps each behaviour's own seconds."""

import time

from tests.emulator.helpers import bearer_session, make_credential, sub_url
from wizard.emulator import Emulator, behaviour, latency

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
