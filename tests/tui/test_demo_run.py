"""A whole demo through the Textual wizard against the in-process emulator: Enter through every question to
the done screen, then a second start that offers resume and redoes nothing.

The plan is narrowed to the spine's two steps: what is under test here is the wizard's flow (the steps have
their own tests, and tests/tui/test_tmux_e2e.py runs the full plan through the real command).
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path

import pytest

from screens import full_collections
from screens.app import WizardApp
from screens.done_screen import DoneScreen
from screens.progress_screen import ProgressScreen
from screens.questions import RegionScreen, SubscriptionScreen, asked
from screens.review_screen import ReviewScreen
from screens.start_screen import StartScreen
from screens.welcome_screen import WelcomeScreen
from tests.tui.conftest import ui_config, wait_for, wait_for_screen
from wizard import checkpoint as checkpoints
from wizard import plan as planning
from wizard import setup_folder
from wizard.checkpoint import StepStatus
from wizard.emulator import DEMO
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup


async def answer_everything_with_enter(pilot) -> None:
    await wait_for_screen(pilot, WelcomeScreen)
    await pilot.press("enter")
    for screen_class in asked(pilot.app.draft):
        await wait_for_screen(pilot, screen_class)
        if screen_class in (SubscriptionScreen, RegionScreen):
            await wait_for(pilot, lambda: pilot.app.screen.choices, what="the live list")
        await pilot.press("enter")
    await wait_for_screen(pilot, ReviewScreen)


@pytest.fixture
def spine_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))


def test_enter_through_the_demo_reaches_done_and_a_restart_offers_resume(tmp_path: Path, emulator, spine_plan) -> None:
    asyncio.run(demo_then_resume(tmp_path, emulator))


async def demo_then_resume(tmp_path: Path, emulator) -> None:
    config = ui_config(tmp_path, emulator)
    app = WizardApp(config)
    normal = gc.get_threshold()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_everything_with_enter(pilot)
        assert app.draft.get("subscription_id") == DEMO.subscription_id
        await pilot.press("enter")
        await wait_for_screen(pilot, DoneScreen, timeout=30)
        assert isinstance(app.screen_stack[-2], ProgressScreen)
        # A full collection walks every SDK object and freezes the screen for up to a second: none while up.
        assert gc.get_threshold()[2] == full_collections.HELD
        assert gc.get_freeze_count() > 0, "what the warm-up and the run loaded is still walked by the collector"
        await pilot.press("q")
    app.close_session()
    assert app.return_code == 0
    assert gc.get_threshold() == normal and gc.get_freeze_count() == 0
    [path] = setup_folder.discover(config.checkpoint_dir)
    document = checkpoints.read(path)
    assert {record.status for record in document.steps.values()} == {StepStatus.SUCCEEDED}

    again = WizardApp(config)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, DoneScreen, timeout=30)
        progress = again.progress_screen
        assert {pane.status for pane in progress.panes.values()} <= {"succeeded", "reused"}
    again.close_session()
