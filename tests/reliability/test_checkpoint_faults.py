"""Checkpoint faults: the last good checkpoint survives, the user is told, nothing is overwritten silently."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from wizard.answers import parse
from wizard.checkpoint import SCHEMA_VERSION, Checkpoint, CheckpointError, StepStatus
from wizard.session import open_session

BASE = {
    "subscription_id": "00000000-0000-0000-0000-000000000001",
    "region": "eastus",
    "resource_group": "rg",
    "prefix": "abc",
}
ANSWERS = parse(BASE)


def _good(path: Path) -> bytes:
    with Checkpoint.open(path, ANSWERS) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED, outputs={"id": "/subscriptions/x"})
    return path.read_bytes()


def test_a_refused_resume_leaves_the_file_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    before = _good(path)
    with pytest.raises(CheckpointError, match="other resource_group"):
        open_session(parse({**BASE, "resource_group": "other"}), checkpoint_path=path)
    assert path.read_bytes() == before


def test_opening_to_read_does_not_touch_updated_at(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    before = _good(path)
    Checkpoint.open(path).close()
    assert path.read_bytes() == before


def test_a_symlinked_checkpoint_stays_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "setup.json"
    target.parent.mkdir()
    _good(target)
    link = tmp_path / "setup.json"
    link.symlink_to(target)
    with Checkpoint.open(link) as checkpoint:
        checkpoint.update("vm", status=StepStatus.RUNNING, continuation_token="tok")
    assert link.is_symlink()
    assert json.loads(target.read_text())["steps"]["vm"]["continuation_token"] == "tok"
    assert not list(tmp_path.rglob("*.tmp"))


def test_temp_files_left_by_a_kill_are_cleaned_up_on_the_next_open(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    _good(path)
    stale = tmp_path / ".setup.json.k3j4l5.tmp"
    stale.write_text("{half a checkp")
    unrelated = tmp_path / ".other.json.abc.tmp"
    unrelated.write_text("not ours")
    Checkpoint.open(path).close()
    assert not stale.exists()
    assert unrelated.exists()


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_disk_full_while_writing_keeps_the_last_good_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "setup.json"
    before = _good(path)

    def no_space(*_args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with Checkpoint.open(path) as checkpoint:
        monkeypatch.setattr(os, failing, no_space)
        with pytest.raises(CheckpointError, match=r"No space left on device.*last good one is kept"):
            checkpoint.update("vm", status=StepStatus.RUNNING, continuation_token="tok")
        monkeypatch.undo()
        assert checkpoint.step("vm").continuation_token is None  # memory agrees with the file
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"schema_version": 1, "answers": {"subsc', "not valid JSON"),
        (os.urandom(64), "not"),
        (json.dumps({"schema_version": SCHEMA_VERSION + 1, "answers": {}}).encode(), "newer scoring-wizard"),
    ],
    ids=["truncated", "garbage", "future-schema"],
)
def test_a_damaged_checkpoint_is_reported_and_left_alone(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "setup.json"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=message):
        Checkpoint.open(path, ANSWERS)
    assert path.read_bytes() == content


def test_a_directory_in_the_checkpoints_place(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    path.mkdir()
    with pytest.raises(CheckpointError, match="cannot read"):
        Checkpoint.open(path, ANSWERS)
    assert path.is_dir()


def test_a_folder_that_cannot_hold_a_checkpoint(tmp_path: Path) -> None:
    """A parent that is a regular file fails for root as well as for a user (a read-only bind would too)."""
    (tmp_path / "setups").write_text("a file, not a folder")
    with pytest.raises(CheckpointError, match="cannot use"):
        Checkpoint.open(tmp_path / "setups" / "setup.json", ANSWERS)
