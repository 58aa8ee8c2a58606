"""Saves the README's screenshots (SVG, 80x24) from a real demo run: `python -m screens.screenshots [DIR]`.

Paths appear relative to the demo's folder, which is also home (~) while they are taken. They come from driving
the app with keys against an in-process emulator, so they always show what the current code draws rather than a
mock-up.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from screens.app import WizardApp
from screens.config import UiConfig
from screens.done_screen import DoneScreen
from screens.questions import NamesScreen, RecurrenceScreen, RegionScreen, SchedulerScreen, SubscriptionScreen
from screens.review_screen import ReviewScreen
from wizard.connect import EmulatorEndpoint

SCREENSHOTS = Path(__file__).resolve().parents[1] / "assets" / "screenshots"  # the README's images
CAPTURED = {
    SubscriptionScreen: "subscription",
    NamesScreen: "names",
    SchedulerScreen: "scheduler",
    RecurrenceScreen: "schedule",
}


async def _until(pilot, condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"screenshots: stuck on {type(pilot.app.screen).__name__}")
        await pilot.pause(0.05)


async def drive_demo(app: WizardApp, folder: Path, *, save: bool = True) -> list[Path]:
    """Drive the app through a whole demo by keys, saving a screenshot of each main screen into `folder` (unless
    `save` is false: exporting an SVG blocks the event loop, which a user never sees but a lag probe would)."""
    saved: list[Path] = []

    def shot(name: str) -> None:
        if save:
            saved.append(Path(app.save_screenshot(f"{name}.svg", path=str(folder))))

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        shot("welcome")
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            question = app.screen
            if isinstance(question, SubscriptionScreen | RegionScreen):
                await _until(pilot, lambda: app.screen.choices)
            if isinstance(question, SchedulerScreen):
                await pilot.press("down")  # Data Factory: a scheduler the plan builds, so the schedule is asked
            await pilot.pause(0.1)
            if type(question) in CAPTURED:
                shot(CAPTURED[type(question)])
            await pilot.press("enter")
            await _until(pilot, lambda shown=question: app.screen is not shown)
        await _until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await pilot.pause(0.1)
        shot("review")
        await pilot.press("enter")
        await _until(pilot, lambda: app.progress_screen is not None)
        progress = app.progress_screen
        await _until(
            pilot,
            lambda: (
                isinstance(app.screen, DoneScreen) or sum(p.status == "succeeded" for p in progress.panes.values()) >= 3
            ),
        )
        shot("progress")
        await _until(pilot, lambda: isinstance(app.screen, DoneScreen), timeout=120)
        await pilot.pause(0.1)
        shot("done")
        await pilot.press("x")
        await _until(pilot, lambda: getattr(app.screen, "state", "") == "listed")
        await pilot.pause(0.1)
        shot("destroy")  # the list before anything is deleted; the demo setup is left as it is
    app.close_session()
    return saved


def save_screenshots(folder: Path = SCREENSHOTS, latency_scale: float = 0.3) -> list[Path]:
    """Run the demo once and save welcome, question, review, progress, done and destroy screens into `folder`."""
    from wizard.emulator import Emulator

    folder = folder.absolute()
    folder.mkdir(parents=True, exist_ok=True)
    home, user_home = Path.cwd(), os.environ.get("HOME")
    with tempfile.TemporaryDirectory() as state:
        os.chdir(state)
        os.environ["HOME"] = state  # the setup's files show under ~, as a user's do, not under a temporary path
        emulator = Emulator(Path(state) / "emulator", latency_scale=latency_scale).start()
        try:
            endpoint = EmulatorEndpoint(**emulator.endpoint())
            config = UiConfig(
                checkpoint_dir=Path(state) / "setups",
                emulator=endpoint,
                poll_interval=0.1,
                cursor_blink=False,
                detect_cli_login=False,
            )
            return asyncio.run(drive_demo(WizardApp(config), folder))
        finally:
            emulator.stop()
            os.chdir(home)
            if user_home is None:
                os.environ.pop("HOME", None)
            else:
                os.environ["HOME"] = user_home


if __name__ == "__main__":
    for path in save_screenshots(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOTS):
        print(path)
