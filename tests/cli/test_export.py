"""export → run elsewhere: the same resources (types and names) in a fresh subscription, and no secret."""

from __future__ import annotations

from pathlib import Path

from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.conftest import EXAMPLES, StandaloneEmulator, run_args, start_emulator, wizard
from wizard import answers as answer_files


def _resources(emulator: StandaloneEmulator, group: str) -> set[tuple[str, str]]:
    client = emulator.sdk_client(ResourceManagementClient)
    return {(r.type.lower(), r.name) for r in client.resources.list_by_resource_group(group)}


def test_an_exported_setup_replays_the_same_resources_in_a_fresh_emulator(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "customer" / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    exported = tmp_path / "replay" / "answers.toml"
    exported.parent.mkdir()
    result = wizard("export", "--checkpoint", str(checkpoint), "--out", str(exported))
    assert result.returncode == 0, result.stderr
    text = exported.read_text()
    assert "# change for a replay: your subscription" in text and "No secrets" in text
    group = answer_files.load(exported).resource_group

    fresh = start_emulator(tmp_path / "fresh", latency_scale=0.05)
    try:
        replay = wizard(*run_args(tmp_path / "replay" / "setup.json", fresh, exported))
        assert replay.returncode == 0, replay.stdout + replay.stderr
        assert _resources(fresh, group) == _resources(standalone_emulator, group)
    finally:
        fresh.process.terminate()
        fresh.process.wait(10)


def test_export_overrides_are_checked_and_no_password_is_written(tmp_path: Path, monkeypatch):
    from wizard.checkpoint import Checkpoint

    checkpoint = tmp_path / "w.json"
    with Checkpoint.open(checkpoint, answer_files.load(EXAMPLES / "windows.toml")):
        pass
    secret = "Export-Me-Not-1234"
    monkeypatch.setenv("SCORING_WIZARD_VM_PASSWORD", secret)
    overrides = ("--set", "region=westeurope", "--set", "cluster_max_nodes=4")
    moved = wizard("export", "--checkpoint", str(checkpoint), *overrides)
    assert moved.returncode == 0, moved.stderr
    assert 'region = "westeurope"' in moved.stdout and "cluster_max_nodes = 4" in moved.stdout
    assert secret not in moved.stdout
    refused = wizard("export", "--checkpoint", str(checkpoint), "--set", "cluster_max_nodes=zero")
    assert refused.returncode == 2 and "cluster_max_nodes" in refused.stderr
