"""One setup, one run: a second checkpoint for the same resources is refused, naming the one that has them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.conftest import WIZARD, run_args, wizard


def test_two_runs_of_one_setup_started_together_one_runs_the_other_is_refused(standalone_emulator, tmp_path):
    paths = [tmp_path / "setups" / "first.json", tmp_path / "setups" / "second.json"]
    env = {**os.environ, "SCORING_WIZARD_EMULATOR": ""}
    runs = [
        subprocess.Popen(
            [WIZARD, *run_args(path, standalone_emulator)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for path in paths
    ]
    results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 1], [0, 2]), results  # refused by the setup lock (2), or by the group's tag (1)
    winner = next(i for i, (code, _, _) in enumerate(results) if code == 0)
    _, out, err = results[1 - winner]
    assert str(paths[winner]) in out + err
    puts = [r for r in standalone_emulator.arm_requests() if r["method"] == "PUT"]
    assert len([r for r in puts if r["path"].lower().endswith("/resourcegroups/rg-scoring-demo")]) == 1


def test_a_group_tagged_by_another_setup_is_refused_before_any_write(standalone_emulator, tmp_path: Path):
    first = tmp_path / "setups" / "laptop.json"
    assert wizard(*run_args(first, standalone_emulator)).returncode == 0
    client = standalone_emulator.sdk_client(ResourceManagementClient)
    owner = client.resource_groups.get("rg-scoring-demo").tags["scoring-wizard-setup"]
    before = len(standalone_emulator.requests_log())

    second = tmp_path / "setups" / "desktop.json"
    result = wizard(*run_args(second, standalone_emulator))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"scoring-wizard-setup={owner}, checkpoint {first}" in result.stdout
    later = standalone_emulator.requests_log()[before:]
    assert later, "the group was read"
    assert [r for r in later if r["method"] != "GET" and "/oauth2/" not in r["path"]] == []
