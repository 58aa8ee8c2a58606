"""Which setups exist: a refused run leaves none behind, and `status` looks where it is told."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import DEMO_ANSWERS, wizard
from wizard import answers as answer_files
from wizard.checkpoint import Checkpoint


def test_a_run_that_cannot_connect_writes_no_checkpoint(tmp_path: Path):
    checkpoint = tmp_path / "setups" / "demo.json"
    result = wizard("run", "--answers", str(DEMO_ANSWERS), "--checkpoint", str(checkpoint))
    assert result.returncode == 2
    assert "these answers target the emulator" in result.stderr
    assert not checkpoint.exists()
    assert "No setups yet" in wizard("status", "--checkpoint-dir", str(checkpoint.parent)).stdout


def test_status_lists_the_setups_of_the_checkpoint_dir_it_is_given(tmp_path: Path):
    folder = tmp_path / "setups"
    Checkpoint.open(folder / "demo.json", answer_files.load(DEMO_ANSWERS)).close()
    for args in (("status", "--checkpoint-dir", str(folder)), ("--checkpoint-dir", str(folder), "status")):
        result = wizard(*args)
        assert result.returncode == 0, result.stderr
        assert "rg-scoring-demo (eastus) · 0 of" in result.stdout


def test_each_subcommand_help_says_what_it_does_and_its_defaults():
    assert "Run or resume a setup from flags, environment and answers file" in wizard("run", "--help").stdout
    assert "multiply emulated latencies (default: 0.1)" in " ".join(wizard("demo", "--help").stdout.split())
