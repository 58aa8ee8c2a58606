"""The wizard as `pipx install` gives it: a wheel in a fresh virtual environment, run from outside the checkout.

An editable install finds files in the source tree that a wheel may not ship (styles, demo answers, pipeline
and function code): only a real wheel, installed where the checkout is out of reach, shows what users get.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_the_built_wheel_runs_the_headless_demo(tmp_path: Path):
    dist, env_dir, state = tmp_path / "dist", tmp_path / "venv", tmp_path / "state"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("scoring_wizard-*.whl")
    venv.create(env_dir, with_pip=True)
    install = subprocess.run(
        [str(env_dir / "bin" / "pip"), "install", "--quiet", str(wheel)], capture_output=True, text=True
    )
    assert install.returncode == 0, install.stderr
    # What a user's shell has, and nothing an earlier test (or this checkout) put into the environment.
    clean_env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8"}
    command = ["demo", "--headless", "--state-dir", str(state), "--latency-scale", "0.01"]
    demo = subprocess.run(
        [str(env_dir / "bin" / "scoring-wizard"), *command],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert "All steps succeeded." in demo.stdout
    where = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import wizard.resources as r; print(r.asset('app.tcss'))"],
        cwd=tmp_path,
        env=clean_env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(env_dir) in where.stdout, "the installed wizard must read its own copy of the assets"
