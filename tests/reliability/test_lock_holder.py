"""A refused second wizard names the holder; a killed holder's lock is taken over with a note."""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.answers import load
from wizard.checkpoint import Checkpoint, CheckpointError
from wizard.resources import asset

ANSWERS = load(asset("demo.toml"))


def test_a_live_holder_is_named(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    with Checkpoint.open(path, ANSWERS), pytest.raises(CheckpointError) as refused:
        Checkpoint.open(path, ANSWERS)
    message = str(refused.value)
    assert f"{getpass.getuser()} on {socket.gethostname()}, pid {os.getpid()}, since 20" in message
    assert "already using" in message


def test_a_killed_holder_is_taken_over_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; from wizard.answers import load; from wizard.checkpoint import Checkpoint;"
            "from wizard.resources import asset;"
            f"Checkpoint.open(__import__('pathlib').Path({str(path)!r}), load(asset('demo.toml')));"
            "print(os.getpid(), flush=True); os.kill(os.getpid(), 9)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr
    with Checkpoint.open(path) as checkpoint:
        assert checkpoint.taken_over and f"pid {killed.stdout.strip()}" in checkpoint.taken_over
    with Checkpoint.open(path) as checkpoint:
        assert checkpoint.taken_over is None  # a clean close leaves no record behind
