"""`status` over all setups shows every good one and names a bad one instead of failing entirely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wizard import cli
from wizard.answers import load
from wizard.checkpoint import Checkpoint
from wizard.resources import asset
from wizard.setup_folder import default_dir


def test_one_bad_checkpoint_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = default_dir()
    Checkpoint.open(folder / "good.json", load(asset("demo.toml"))).close()
    (folder / "bad.json").write_bytes(b"\xff\xfe garbage")

    assert cli.main(["status"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "good.json" in out
    assert f"unreadable · {folder / 'bad.json'}" in out

    assert cli.main(["status", "--json"]) == cli.EXIT_OK
    listed = {Path(item["path"]).name: item for item in json.loads(capsys.readouterr().out)}
    assert "error" in listed["bad.json"] and "error" not in listed["good.json"]
