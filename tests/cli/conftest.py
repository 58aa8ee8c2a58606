"""A standalone emulator in its own process, as a user or a support engineer would start it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from azure.identity import ClientSecretCredential

from wizard.emulator import DEMO
from wizard.resources import asset

BIN = Path(sys.executable).parent
WIZARD = str(BIN / "scoring-wizard")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO_ANSWERS = asset("demo.toml")


class StandaloneEmulator:
    def __init__(self, state_dir: Path, process: subprocess.Popen):
        self.state_dir = state_dir
        self.process = process
        endpoint = json.loads((state_dir / "endpoint.json").read_text())
        self.url, self.ca = endpoint["url"], endpoint["ca"]

    def requests_log(self) -> list[dict]:
        return requests.get(f"{self.url}/_emulator/requests", verify=self.ca, timeout=5).json()["value"]

    def sdk_client(self, client_class: type):
        """A plain SDK client as any outside tool would build it for this emulator."""
        credential = ClientSecretCredential(
            DEMO.tenant_id,
            DEMO.client_id,
            DEMO.client_secret,
            authority=self.url,
            disable_instance_discovery=True,
            connection_verify=self.ca,
        )
        return client_class(
            credential,
            DEMO.subscription_id,
            base_url=self.url,
            credential_scopes=[self.url + "/.default"],
            connection_verify=self.ca,
        )

    def admin(self, path: str, body: dict) -> None:
        """POST to one of the emulator's /_emulator/ admin routes (faults, restrictions, quotas)."""
        requests.post(f"{self.url}/_emulator/{path}", json=body, verify=self.ca, timeout=5).raise_for_status()

    def arm_requests(self) -> list[dict]:
        return [r for r in self.requests_log() if r["path"].lower().startswith("/subscriptions")]


def start_emulator(state_dir: Path, latency_scale: float) -> StandaloneEmulator:
    (state_dir / "endpoint.json").unlink(missing_ok=True)
    process = subprocess.Popen(
        [WIZARD, "emulator", "--state-dir", str(state_dir), "--latency-scale", str(latency_scale)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while not (state_dir / "endpoint.json").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"emulator did not start: {process.stderr.read().decode()}")
        time.sleep(0.05)
    try:
        return StandaloneEmulator(state_dir, process)
    except Exception:
        process.kill()  # an endpoint file it cannot read must not leave a server running past the test
        raise


@pytest.fixture
def standalone_emulator(tmp_path: Path) -> Iterator[StandaloneEmulator]:
    emulator = start_emulator(tmp_path / "emulator", latency_scale=0.05)
    yield emulator
    emulator.process.terminate()
    emulator.process.wait(timeout=10)


def run_args(checkpoint: Path, emulator: StandaloneEmulator, answers: Path = DEMO_ANSWERS) -> list[str]:
    return ["run", "--answers", str(answers), "--checkpoint", str(checkpoint), "--emulator", str(emulator.state_dir)]


def wizard(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "SCORING_WIZARD_EMULATOR": ""}
    return subprocess.run([WIZARD, *args], capture_output=True, text=True, timeout=120, env=env, **kwargs)
