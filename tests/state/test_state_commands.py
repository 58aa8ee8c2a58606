"""`scoring-wizard state …` against Azurite: what a user types to share, fetch, list and free setups."""

from __future__ import annotations

import json

import pytest

from tests.state.conftest import StorageToken
from tests.state.test_blob_state import _store
from wizard import blob_state
from wizard import checkpoint as checkpoints
from wizard.answers import parse
from wizard.checkpoint import Checkpoint, CheckpointError, StepStatus
from wizard.cli import main
from wizard.emulator import DEMO
from wizard.redact import SECRETS

ANSWERS = parse(
    {
        "cloud": "AzureEmulator",
        "subscription_id": DEMO.subscription_id,
        "region": "eastus",
        "resource_group": "rg-s",
        "prefix": "shr",
    }
)


def test_push_then_pull_moves_a_setup_between_machines(shared, tmp_path, capsys):
    local = tmp_path / "laptop" / "cp.json"
    with Checkpoint.open(local, ANSWERS) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
    assert main(["state", "push", str(local), str(shared)]) == 0
    assert main(["state", "push", str(local), str(shared)]) == 2
    assert "already holds a setup" in capsys.readouterr().err

    target = tmp_path / "desktop" / "cp.json"
    assert main(["state", "pull", str(shared), "--checkpoint", str(target)]) == 0
    assert checkpoints.read(target).steps["resource-group"].status is StepStatus.SUCCEEDED
    assert target.stat().st_mode & 0o777 == 0o600


def test_list_shows_progress_and_holder_and_unlock_frees_a_stuck_setup(shared, tmp_path, capsys):
    store = _store(shared, tmp_path / "cp.json")
    checkpoint = Checkpoint.open(store.path, ANSWERS, store)
    checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
    container = f"blob://{shared.account}/{shared.container}"
    assert main(["state", "list", container, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["setup"] == "demo" and listed["progress"] == "1/1 steps done" and "pid" in listed["held_by"]

    assert main(["state", "unlock", str(shared)]) == 0
    captured = capsys.readouterr()
    assert "warning: broke the lock of" in captured.out and "is free" in captured.out
    assert main(["state", "list", container, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["held_by"] == ""
    checkpoint.close()


def test_a_secret_is_never_written_to_the_shared_blob(shared, tmp_path):
    store = _store(shared, tmp_path / "cp.json")
    SECRETS.put("admin password", "Correct-Horse-9-Battery")
    try:
        with (
            Checkpoint.open(store.path, ANSWERS, store) as checkpoint,
            pytest.raises(CheckpointError, match="refusing to write a secret"),
        ):
            checkpoint.update("dsvm", outputs={"note": "password Correct-Horse-9-Battery"})
    finally:
        SECRETS.clear()
    container = blob_state.container_client(shared, StorageToken())
    for version in blob_state.history(container, shared):
        blob = container.get_blob_client(shared.blob_name, snapshot=version.snapshot)
        assert "Correct-Horse" not in blob.download_blob().readall().decode()
