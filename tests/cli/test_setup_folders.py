"""Which setups exist: a refused run leaves none behind, and `status` looks where it is told."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import EXAMPLES, wizard


def test_a_run_that_cannot_connect_writes_no_checkpoint(tmp_path: Path):
    checkpoint = tmp_path / "setups" / "demo.json"
    result = wizard("run", "--answers", str(EXAMPLES / "demo.toml"), "--checkpoint", str(checkpoint))
    assert result.returncode == 2
    assert "these answers target the emulator" in result.stderr
    assert not checkpoint.exists()

