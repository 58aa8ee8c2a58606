"""The checkpoint: atomic, owner-only, locked, secret-free, and never overwritten when unreadable."""

import json
import stat
from pathlib import Path

import pytest

from wizard.answers import parse
from wizard.checkpoint import Checkpoint, CheckpointError, StepStatus, delete, read
from wizard.redact import SECRETS

ANSWERS = parse(
    {
        "subscription_id": "00000000-0000-0000-0000-000000000001",
        "region": "eastus",
        "resource_group": "rg",
        "prefix": "abc",
    }
)


def test_created_with_mode_0600_and_valid_json(tmp_path: Path):
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED, outputs={"id": "/subscriptions/x"})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(path.read_text())
    assert data["schema_version"] == 1
    assert data["steps"]["resource-group"]["status"] == "succeeded"
    assert read(path).answers == ANSWERS


def test_every_update_is_on_disk_before_it_returns(tmp_path: Path):
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        checkpoint.update("vm", status=StepStatus.RUNNING, continuation_token="tok")
        on_disk = json.loads(path.read_text())
        assert on_disk["steps"]["vm"] == {
            **on_disk["steps"]["vm"],
            "status": "running",
            "continuation_token": "tok",
        }
    assert not list(tmp_path.glob("*.tmp"))


def test_second_opener_is_refused_with_a_clear_message(tmp_path: Path):
    path = tmp_path / "setup.json"
    with (
        Checkpoint.open(path, ANSWERS),
        pytest.raises(CheckpointError, match="another scoring-wizard is already using"),
    ):
        Checkpoint.open(path, ANSWERS)
    Checkpoint.open(path).close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"schema_version": 99, "answers": {}}), "newer scoring-wizard"),
        (json.dumps({"schema_version": 1, "answers": {"region": "x"}}), "not a scoring-wizard checkpoint"),
    ],
)
def test_unreadable_files_are_reported_and_kept(tmp_path: Path, content: str, message: str):
    path = tmp_path / "setup.json"
    path.write_text(content)
    with pytest.raises(CheckpointError, match=message):
        Checkpoint.open(path, ANSWERS)
    assert path.read_text() == content


def test_refuses_to_write_a_secret(tmp_path: Path):
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        with pytest.raises(CheckpointError, match="refusing to write a secret"):
            checkpoint.update("vm", outputs={"adminPassword": "Sup3r-secret-value"})
        SECRETS.put("test-password", "Typed-Pa55word-123")
        with pytest.raises(CheckpointError, match="refusing to write a secret"):
            checkpoint.update("vm", outputs={"note": "Typed-Pa55word-123"})
    assert "Typed-Pa55word-123" not in path.read_text()
    assert "Sup3r-secret-value" not in path.read_text()


def test_a_refused_update_leaves_the_checkpoint_usable(tmp_path: Path):
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        with pytest.raises(CheckpointError):
            checkpoint.update("vm", outputs={"password": "Leaky-Value-123"})
        checkpoint.update("vm", status=StepStatus.SUCCEEDED)
    assert read(path).steps["vm"].status is StepStatus.SUCCEEDED


def test_delete_is_refused_while_in_use_and_keeps_the_files_folder(tmp_path: Path):
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        checkpoint.files_dir.mkdir()
        (checkpoint.files_dir / "vm_id_ed25519").write_text("key")
        path.with_suffix(".log").write_text("log")
        with pytest.raises(CheckpointError, match="another scoring-wizard is using"):
            delete(path)
    delete(path)
    assert not path.exists() and not path.with_suffix(".log").exists()
    assert (tmp_path / "setup.files" / "vm_id_ed25519").exists()


def test_a_checkpoint_opened_in_one_thread_can_be_closed_in_another(tmp_path: Path):
    import threading

    path = tmp_path / "setup.json"
    opened: list[Checkpoint] = []
    worker = threading.Thread(target=lambda: opened.append(Checkpoint.open(path, ANSWERS)))
    worker.start()
    worker.join()
    opened[0].close()
    Checkpoint.open(path).close()


def test_the_setup_is_locked_whichever_checkpoint_file_holds_it(tmp_path: Path):
    first = tmp_path / "one" / "setup.json"
    with Checkpoint.open(first, ANSWERS):
        with pytest.raises(CheckpointError, match="already running this setup") as refused:
            Checkpoint.open(tmp_path / "two" / "setup.json", ANSWERS)
        assert str(first) in str(refused.value)
        assert not (tmp_path / "two" / "setup.json").exists()
    Checkpoint.open(tmp_path / "two" / "setup.json", ANSWERS).close()
