"""kill -9 at seeded moments over the whole plan: the checkpoint stays valid and a resume ends as an undisturbed
run does, with nothing created twice. CI runs a few kills; bench/kills.py runs the full sweep."""

from __future__ import annotations

import os

from tests.reliability.kills import sweep

SEED = int(os.environ.get("KILL_SEED", "13"))


def test_seeded_kills_then_resume_end_as_an_undisturbed_run() -> None:
    for result in sweep(SEED, count=int(os.environ.get("KILL_COUNT", "4"))):
        assert result.checkpoint_valid, f"kill at {result.at:.2f}s left an unreadable checkpoint"
        assert result.resumed, f"resume after the kill at {result.at:.2f}s failed:\n{result.output}"
        assert not result.duplicates, f"created twice after the kill at {result.at:.2f}s: {result.duplicates}"
        assert result.end_state_equal, f"the kill at {result.at:.2f}s changed the end state"
