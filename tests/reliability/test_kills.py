"""kill -9 at seeded moments over the whole plan: the checkpoint stays valid and a resume ends as an undisturbed
run does, with nothing created twice; and kills while the smoke call's job or the scheduler's verified run goes
on, which a resume follows instead of starting again. CI runs a few kills; bench/kills.py runs the full sweep."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.cli.conftest import DEMO_ANSWERS
from tests.reliability.kills import kill_during, sweep

SEED = int(os.environ.get("KILL_SEED", "13"))


def test_seeded_kills_then_resume_end_as_an_undisturbed_run() -> None:
    for result in sweep(SEED, count=int(os.environ.get("KILL_COUNT", "4"))):
        assert result.checkpoint_valid, f"kill at {result.at:.2f}s left an unreadable checkpoint"
        assert result.resumed, f"resume after the kill at {result.at:.2f}s failed:\n{result.output}"
        assert not result.duplicates, f"created twice after the kill at {result.at:.2f}s: {result.duplicates}"
        assert result.end_state_equal, f"the kill at {result.at:.2f}s changed the end state"


def _answers_with_scheduler(folder: Path, scheduler: str) -> Path:
    path = folder / f"demo-{scheduler}.toml"
    text = DEMO_ANSWERS.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^scheduler = ".*"$', f'scheduler = "{scheduler}"', text), encoding="utf-8")
    return path


@pytest.mark.timeout(400)
@pytest.mark.parametrize(("key", "scheduler"), [("smoke-call", "amlschedule"), ("datafactory-verify", "datafactory")])
def test_a_kill_while_a_job_or_a_verified_run_goes_on_resumes_without_starting_another(tmp_path, key, scheduler):
    result = kill_during(tmp_path, key, _answers_with_scheduler(tmp_path, scheduler))
    assert result.killed_in_flight, f"the run ended before {key}'s job or run was under way"
    assert result.checkpoint_valid
    assert result.resumed, result.output
    assert not result.duplicates, result.duplicates
    assert result.end_state_equal
    assert result.started == result.started_undisturbed, "the resume started a second job or run"
