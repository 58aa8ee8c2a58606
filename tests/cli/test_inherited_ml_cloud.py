"""A shell that has used azure-ai-ml for another cloud still gets a demo whose Azure ML steps succeed.

azure-ai-ml keeps its current cloud in AZUREML_CURRENT_CLOUD and reads it while being imported; a value inherited
from an earlier session (here: the emulator of another run, on another port) once made every ML step fail with
"Unknown cloud environment".
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WIZARD = Path(sys.executable).parent / "scoring-wizard"


@pytest.mark.timeout(300)
def test_a_current_cloud_left_by_another_session_does_not_break_the_ml_steps(tmp_path: Path) -> None:
    env = {**os.environ, "AZUREML_CURRENT_CLOUD": "AzureEmulator-1"}
    command = [str(WIZARD), "demo", "--headless", "--state-dir", str(tmp_path), "--latency-scale", "0.01"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
    assert "Unknown cloud environment" not in done.stdout + done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✓ smoke-call" in done.stdout
