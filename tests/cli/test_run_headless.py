"""`scoring-wizard run` against a standalone emulator: what a user of the headless face would check."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.conftest import DEMO_ANSWERS, WIZARD, run_args, wizard


def test_run_creates_the_group_and_registers_providers(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    result = wizard(*run_args(checkpoint, standalone_emulator))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All steps succeeded." in result.stdout

    client = standalone_emulator.sdk_client(ResourceManagementClient)
    group = client.resource_groups.get("rg-scoring-demo")
    assert group.location == "eastus"
    assert client.providers.get("Microsoft.ContainerInstance").registration_state == "Registered"

    status = json.loads(wizard("status", "--checkpoint", str(checkpoint), "--json").stdout)
    states = {step["key"]: step["status"] for step in status["steps"]}
    assert states["resource-group"] == "succeeded"
    assert states["register-providers"] == "succeeded"
    assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600


def test_a_second_run_redoes_nothing(standalone_emulator, tmp_path: Path):
    args = run_args(tmp_path / "setup.json", standalone_emulator)
    assert wizard(*args).returncode == 0
    writes_before = [r for r in standalone_emulator.arm_requests() if r["method"] in ("PUT", "POST", "PATCH")]
    second = wizard(*args)
    assert second.returncode == 0
    writes_after = [r for r in standalone_emulator.arm_requests() if r["method"] in ("PUT", "POST", "PATCH")]
    assert writes_after == writes_before
    assert "already there" in second.stdout


def test_bad_resource_group_name_fails_before_any_request(standalone_emulator, tmp_path: Path):
    answers = tmp_path / "bad.toml"
    answers.write_text(DEMO_ANSWERS.read_text().replace('"rg-scoring-demo"', '"bad name!"'))
    before = len(standalone_emulator.requests_log())
    result = wizard("run", "--answers", str(answers), "--emulator", str(standalone_emulator.state_dir))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "resource_group" in lines[0] and "bad name!" in lines[0] and "1-90 characters" in lines[0]
    assert len(standalone_emulator.requests_log()) == before


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _step_status(checkpoint: Path, key: str) -> str | None:
    try:
        return json.loads(checkpoint.read_text())["steps"].get(key, {}).get("status")
    except (OSError, ValueError):
        return None


def test_sigkill_mid_operation_then_resume_creates_nothing_twice(tmp_path: Path):
    from tests.cli.conftest import start_emulator

    emulator = start_emulator(tmp_path / "emulator", latency_scale=0.25)
    try:
        checkpoint = tmp_path / "setup.json"
        args = [WIZARD, *run_args(checkpoint, emulator)]
        first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
        _wait_for(lambda: _step_status(checkpoint, "register-providers") == "running")
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait()
        json.loads(checkpoint.read_text())
        assert stat.S_IMODE(checkpoint.stat().st_mode) == 0o600

        second = wizard(*args[1:])
        assert second.returncode == 0, second.stdout + second.stderr
        # Updates are fine (the batch endpoint is PUT again to name its default deployment); a second 201 is not.
        created = [(r["method"], r["path"].lower()) for r in emulator.arm_requests() if r["status"] == 201]
        assert len(created) == len(set(created)), f"something was created twice: {created}"
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def test_a_second_concurrent_run_is_refused(tmp_path: Path):
    from tests.cli.conftest import start_emulator

    emulator = start_emulator(tmp_path / "emulator", latency_scale=0.25)
    try:
        checkpoint = tmp_path / "setup.json"
        args = run_args(checkpoint, emulator)
        first = subprocess.Popen([WIZARD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for(lambda: _step_status(checkpoint, "register-providers") == "running")
        second = wizard(*args)
        assert second.returncode == 2
        assert "another scoring-wizard is already using" in second.stderr
        first.send_signal(signal.SIGINT)
        assert first.wait(timeout=30) == 130
        assert _step_status(checkpoint, "register-providers") in ("running", "succeeded")
    finally:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


def test_status_live_tells_which_finished_resources_are_gone(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    client = standalone_emulator.sdk_client(ResourceManagementClient)
    client.resource_groups.begin_delete("rg-scoring-demo").result()

    shown = wizard("status", "--checkpoint", str(checkpoint), "--emulator", str(standalone_emulator.state_dir))
    assert shown.returncode == 0
    assert "[missing in Azure]" in shown.stdout
    status = json.loads(
        wizard(
            "status", "--checkpoint", str(checkpoint), "--json", "--emulator", str(standalone_emulator.state_dir)
        ).stdout
    )
    live = {step["key"]: step.get("in_azure") for step in status["steps"]}
    assert live["resource-group"] == "missing"
    assert live["register-providers"] == "present"
    assert "in_azure" not in json.loads(wizard("status", "--checkpoint", str(checkpoint), "--json").stdout)["steps"][0]


def test_a_changed_size_is_adopted_but_a_changed_region_is_refused(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    standalone_emulator.admin("compute/restrictions", {"region": "eastus", "size": "Standard_D4s_v5"})
    failed = wizard(*run_args(checkpoint, standalone_emulator))
    assert failed.returncode == 1
    assert "SkuNotAvailable" in failed.stdout and "Set vm_size" in failed.stdout

    resized = tmp_path / "resized.toml"
    resized.write_text(
        DEMO_ANSWERS.read_text().replace('vm_os = "linux"', 'vm_os = "linux"\nvm_size = "Standard_D2s_v5"')
    )
    second = wizard(*run_args(checkpoint, standalone_emulator, resized))
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Answers changed since the last run (vm_size)" in second.stdout
    assert "already there" in second.stdout

    moved = tmp_path / "moved.toml"
    moved.write_text(resized.read_text().replace('region = "eastus"', 'region = "westeurope"'))
    refused = wizard(*run_args(checkpoint, standalone_emulator, moved))
    assert refused.returncode == 2
    assert "other region" in refused.stderr and "--checkpoint NEW_PATH" in refused.stderr
