"""`scoring-wizard plan`: what a run would do, learned from Azure with reads only."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import DEMO_ANSWERS, run_args, wizard


def _plan(emulator, *options: str) -> list[dict]:
    result = wizard("plan", "--answers", str(DEMO_ANSWERS), "--emulator", str(emulator.state_dir), "--json", *options)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == []
    return report["steps"]


def test_plan_on_a_fresh_subscription_lists_every_step_and_writes_nothing(
    standalone_emulator, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    planned = _plan(standalone_emulator)
    assert [item["key"] for item in planned][:2] == ["resource-group", "register-providers"]
    assert {item["action"] for item in planned} == {"create"}
    assert all(item["description"] for item in planned)
    methods = {entry["method"] for entry in standalone_emulator.arm_requests()}
    assert methods == {"GET"}, "a plan must not write"
    assert not (tmp_path / "state").exists(), "a plan writes no checkpoint or log"


def test_plan_after_a_run_finds_everything_in_place(standalone_emulator, tmp_path: Path):
    checkpoint = tmp_path / "setup.json"
    assert wizard(*run_args(checkpoint, standalone_emulator)).returncode == 0
    writes_before = [e for e in standalone_emulator.arm_requests() if e["method"] != "GET"]
    planned = _plan(standalone_emulator, "--checkpoint", str(checkpoint))
    assert {item["action"] for item in planned} == {"exists"}, planned
    # Without the checkpoint the cluster's warm-up run, the smoke call and the schedule's run now are checks, not
    # resources: nothing in Azure says a job proved them, so the plan says it would run them once more.
    without = _plan(standalone_emulator)
    checks = {"cluster-warmup", "smoke-call", "amlschedule-verify"}
    assert {item["key"] for item in without if item["action"] != "exists"} == checks, without
    writes_after = [e for e in standalone_emulator.arm_requests() if e["method"] != "GET"]
    assert writes_after == writes_before
    text = wizard(
        "plan",
        "--answers",
        str(DEMO_ANSWERS),
        "--emulator",
        str(standalone_emulator.state_dir),
        "--checkpoint",
        str(checkpoint),
    )
    assert f"0 of {len(planned)} steps would create or update something" in text.stdout
