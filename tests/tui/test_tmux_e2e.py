"""The real `scoring-wizard demo` in an 80x24 tmux, driven by keys alone and read back with capture-pane.

This is the issue's "done when": from the welcome screen to the done screen by Enter alone, and a run quit with
q mid-way that, started again, offers resume and finishes without redoing finished steps.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIZARD = Path(sys.executable).parent / "scoring-wizard"
QUESTIONS = (
    "Cloud and sign-in",
    "Subscription",
    "Region",
    "Names",
    "Dev VM operating system",
    "Scheduler",
    "Schedule",
    "Options",
)
READY = {"Subscription": "subscription(s) visible", "Region": "region(s) offer", "Schedule": "Next runs"}


class Terminal:
    """One detached tmux session running one command; the pane stays after the command ends.

    Each terminal has its own tmux server (socket): a shared server would hand the wizard the environment of
    whichever process started it first (another test's state folder and setup locks, an SDK's leftovers)."""

    def __init__(self, command: list[str]):
        self.name = f"wizard-{uuid.uuid4().hex[:8]}"
        script = " ".join(command) + "; echo EXIT=$?; sleep 60"
        self._tmux("new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", script)

    def _tmux(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *arguments], capture_output=True, text=True, check=True
        )

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if "EXIT=" in shown and not text.startswith("EXIT="):
                raise AssertionError(f"the wizard exited while waiting for {text!r}:\n{shown}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear within {timeout:.0f}s; the screen shows:\n{shown}")
            time.sleep(0.1)

    def settled(self, quiet: float = 0.5, timeout: float = 10.0) -> str:
        """The screen once it has not changed for `quiet` seconds: what a user reads, not a frame mid-layout."""
        deadline = time.monotonic() + timeout
        shown = self.screen()
        while time.monotonic() < deadline:
            time.sleep(quiet)
            if (now := self.screen()) == shown:
                return shown
            shown = now
        raise AssertionError(f"the screen kept changing for {timeout:.0f}s; last:\n{shown}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def demo(terminals: list[Terminal], state_dir: Path, latency: float) -> Terminal:
    terminal = Terminal([str(WIZARD), "demo", "--state-dir", str(state_dir), "--latency-scale", str(latency)])
    terminals.append(terminal)
    return terminal


def answer_with_enter(terminal: Terminal) -> None:
    terminal.wait_for("Press Enter to begin")
    terminal.keys("Enter")
    for title in QUESTIONS:
        terminal.wait_for(READY.get(title, title))
        terminal.keys("Enter")
    terminal.wait_for("nothing has been created yet")
    terminal.keys("Enter")


def finished_steps(state_dir: Path) -> dict[str, str]:
    [path] = (state_dir / "setups").glob("*.json")
    steps = json.loads(path.read_text())["steps"]
    return {key: record["ended_at"] for key, record in steps.items() if record["status"] == "succeeded"}


def test_the_demo_is_driven_to_done_by_keys_alone(tmp_path: Path, terminals: list[Terminal]) -> None:
    terminal = demo(terminals, tmp_path, 0.02)
    answer_with_enter(terminal)
    terminal.wait_for("Setup complete", timeout=60)
    shown = terminal.settled()
    assert "scoring-wizard destroy --checkpoint" in shown
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_q_mid_run_then_restart_offers_resume_and_redoes_nothing(tmp_path: Path, terminals: list[Terminal]) -> None:
    first = demo(terminals, tmp_path, 0.5)
    answer_with_enter(first)
    first.wait_for("running")
    first.keys("q")
    first.wait_for("Leave running and quit")
    first.keys("Enter")
    first.wait_for("EXIT=130")
    before = finished_steps(tmp_path)

    second = demo(terminals, tmp_path, 0.02)
    second.wait_for("setups started before")
    second.keys("Enter")
    second.wait_for("Setup complete", timeout=60)
    after = finished_steps(tmp_path)
    assert before and all(after[key] == ended for key, ended in before.items())
    second.keys("q")
    second.wait_for("EXIT=0")


def test_plain_mode_asks_the_same_questions_and_runs_headless(tmp_path: Path, terminals: list[Terminal]) -> None:
    terminal = Terminal([str(WIZARD), "demo", "--plain", "--state-dir", str(tmp_path), "--latency-scale", "0.02"])
    terminals.append(terminal)
    terminal.wait_for("Subscription (Use arrow keys, type to filter)")
    deadline = time.monotonic() + 60
    while "EXIT=" not in terminal.screen():
        assert time.monotonic() < deadline, terminal.screen()
        terminal.keys("Enter")
        time.sleep(0.3)
    assert "EXIT=0" in terminal.screen()
    assert finished_steps(tmp_path)
