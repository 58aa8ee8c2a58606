"""Setups started before: the start screen lists them, q mid-run leaves a consistent checkpoint, resume
finishes, delete removes only the checkpoint, and a failure offers its remedy."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import DataTable, Log

from screens.app import EXIT_FAILED, EXIT_INTERRUPTED, WizardApp
from screens.done_screen import DoneScreen
from screens.failure_modal import FailureModal
from screens.log_screen import LogScreen
from screens.progress_screen import ProgressScreen
from screens.questions import OsScreen
from screens.quit_modal import QuitModal
from screens.start_screen import StartScreen
from screens.welcome_screen import WelcomeScreen
from tests.tui.conftest import ui_config, wait_for, wait_for_screen
from wizard import checkpoint as checkpoints
from wizard import events, setup_folder
from wizard import plan as planning
from wizard.answers import parse
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.connect import EmulatorEndpoint
from wizard.emulator import DEMO, Emulator
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup

ANSWERS = {
    "cloud": "AzureEmulator",
    "subscription_id": DEMO.subscription_id,
    "region": "eastus",
    "resource_group": "rg-resume",
    "prefix": "resume",
}


@pytest.fixture(autouse=True)
def spine_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))


def make_checkpoint(directory: Path, group: str, *, failed: bool) -> Path:
    path = directory / f"{group}.json"
    with Checkpoint.open(path, parse({**ANSWERS, "resource_group": group})) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
        if failed:
            info = ErrorInfo("AuthorizationFailed", "no permission to register providers")
            checkpoint.update("register-providers", status=StepStatus.FAILED, error=info)
    return path


def test_the_start_screen_lists_setups_and_deletes_only_the_checkpoint(tmp_path: Path) -> None:
    config = ui_config(tmp_path)
    make_checkpoint(config.checkpoint_dir, "rg-one", failed=True)

    async def scenario() -> None:
        app = WizardApp(config)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, StartScreen)
            table = app.screen.query_one(DataTable)
            row = [str(cell) for cell in table.get_row_at(0)]
            assert row[:3] == ["rg-one", f"{DEMO.subscription_id[:8]}…", "1 of 2 steps"]
            assert row[3].startswith("AuthorizationFailed")
            detail = str(app.screen.query_one("#setup-detail").render())
            assert DEMO.subscription_id in detail and "no permission to register providers" in detail
            await pilot.press("d")
            await pilot.press("y")
            await wait_for_screen(pilot, WelcomeScreen)
        assert setup_folder.discover(config.checkpoint_dir) == []

    asyncio.run(scenario())


def test_q_mid_run_leaves_a_consistent_checkpoint_and_resume_finishes(tmp_path: Path) -> None:
    slow = Emulator(tmp_path / "slow-emulator", latency_scale=3.0).start()
    endpoint = EmulatorEndpoint(**slow.endpoint())
    config = ui_config(tmp_path, endpoint)
    path = make_checkpoint(config.checkpoint_dir, "rg-quit", failed=False)
    Path(path).unlink()

    async def quit_mid_run() -> int | None:
        app = WizardApp(config)
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(app.push_screen, ProgressScreen(app_open(app, config)))
            await wait_for(pilot, lambda: app.progress_screen is not None and app.progress_screen.running)
            await pilot.press("q")
            await wait_for_screen(pilot, QuitModal)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
        app.close_session()
        return app.return_code

    async def resume() -> None:
        app = WizardApp(config)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, StartScreen)
            await pilot.press("enter")
            await wait_for_screen(pilot, DoneScreen, timeout=30)
        app.close_session()

    try:
        assert asyncio.run(quit_mid_run()) == EXIT_INTERRUPTED
        document = checkpoints.read(path)
        assert document.steps["register-providers"].status is not StepStatus.SUCCEEDED
        asyncio.run(resume())
    finally:
        slow.stop()
    document = checkpoints.read(path)
    assert all(record.status is StepStatus.SUCCEEDED for record in document.steps.values())


def app_open(app: WizardApp, config) -> object:
    """Open the setup the way the review screen does, without walking through the questions."""
    from wizard.session import open_session

    session = open_session(
        parse({**ANSWERS, "resource_group": "rg-quit"}),
        checkpoint_path=config.checkpoint_dir / "rg-quit.json",
        emulator=config.emulator,
    )
    app.session = session
    return session


def test_a_failed_step_shows_code_remedy_and_quit_resume_later(tmp_path: Path, emulator) -> None:
    config = ui_config(tmp_path, emulator)
    error = ErrorInfo(
        "AuthorizationFailed",
        "The client does not have authorization to perform action register",
        what="Your identity lacks the role this needs.",
        todo="Ask an Owner to grant you Contributor on the subscription.",
        link="https://learn.microsoft.com/azure/role-based-access-control/troubleshooting",
        status=403,
    )

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            session = app_open(app, config)
            screen = ProgressScreen(session, autostart=False)
            await app.push_screen(screen)
            screen.runner = session.runner(lambda event: None)
            screen.apply(events.StepStarted("register-providers", "Resource providers"))
            screen.apply(events.StepFailed("register-providers", error))
            screen.apply(events.RunFinished("", ok=False))
            await wait_for_screen(pilot, FailureModal)
            await pilot.pause()
            text = " ".join(str(w.render()) for w in app.screen.query("Static"))
            for part in ("AuthorizationFailed", "HTTP 403", error.todo, error.link):
                assert part in text
            assert not app.screen.query("#skip")
            await pilot.press("q")
            await wait_for(pilot, lambda: app.return_code is not None)
        app.close_session()
        assert app.return_code == EXIT_FAILED

    asyncio.run(scenario())


def test_a_listed_setup_that_cannot_be_opened_says_why(tmp_path: Path) -> None:
    config = ui_config(tmp_path)
    make_checkpoint(config.checkpoint_dir, "rg-emulated", failed=False)

    async def scenario() -> None:
        app = WizardApp(config)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, StartScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: any("Cannot open" in (n.title or "") for n in app._notifications))
            message = next(n.message for n in app._notifications if n.title == "Cannot open the setup")
            assert "these answers target the emulator" in message
            assert isinstance(app.screen, StartScreen)

    asyncio.run(scenario())


def test_ctrl_c_asks_like_q_mid_run_and_quits_from_the_failure_dialog(tmp_path: Path) -> None:
    slow = Emulator(tmp_path / "slow-emulator", latency_scale=3.0).start()
    config = ui_config(tmp_path, EmulatorEndpoint(**slow.endpoint()))

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(app.push_screen, ProgressScreen(app_open(app, config)))
            await wait_for(pilot, lambda: app.progress_screen is not None and app.progress_screen.running)
            await pilot.press("ctrl+c")
            await wait_for_screen(pilot, QuitModal)
            await pilot.press("ctrl+c")
            assert len([s for s in app.screen_stack if isinstance(s, QuitModal)]) == 1
            await pilot.press("escape")
            app.progress_screen.stop(quit_after=False)
            await wait_for(pilot, lambda: not app.progress_screen.running, what="the run to stop")
            app.progress_screen.failures["register-providers"] = ErrorInfo("AuthorizationFailed", "no")
            app.progress_screen.apply(events.RunFinished("", ok=False))
            await wait_for_screen(pilot, FailureModal)
            await pilot.press("ctrl+c")
            await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
        app.close_session()
        assert app.return_code == EXIT_FAILED

    try:
        asyncio.run(scenario())
    finally:
        slow.stop()


def test_every_key_the_footer_shows_does_something(tmp_path: Path) -> None:
    slow = Emulator(tmp_path / "slow-emulator", latency_scale=3.0).start()
    config = ui_config(tmp_path, EmulatorEndpoint(**slow.endpoint()))
    path = config.checkpoint_dir / "rg-quit.json"
    path.parent.mkdir(parents=True)
    path.with_suffix(".log").write_text(
        "".join(f"2026-12-01 10:00:{n:02d},000 INFO scoring_wizard.runner step_0: dsvm: line {n}\n" for n in range(20))
    )

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(app.push_screen, ProgressScreen(app_open(app, config)))
            await wait_for(pilot, lambda: app.progress_screen is not None and app.progress_screen.running)
            assert "r" not in app.active_bindings
            await pilot.press("l")
            await wait_for_screen(pilot, LogScreen)
            await wait_for(pilot, lambda: app.screen.query_one(Log).line_count >= 20, what="the earlier runs' log")
            assert "[10:00:19] dsvm: line 19" in app.screen.query_one(Log).lines
            await pilot.press("escape")
            app.progress_screen.stop(quit_after=False)
            await wait_for(pilot, lambda: not app.progress_screen.running, what="the run to stop")
            screen = ProgressScreen(app.session, autostart=False)
            await app.push_screen(screen)
            screen.runner = app.session.runner(lambda event: None)
            screen.refresh_bindings()
            await pilot.pause()
            assert "r" in app.active_bindings
            screen.failures["register-providers"] = ErrorInfo("AuthorizationFailed", "no")
            screen.apply(events.RunFinished("", ok=False))
            await wait_for_screen(pilot, FailureModal)
            await pilot.press("l")
            await wait_for_screen(pilot, LogScreen)
            await pilot.press("escape")
            await wait_for_screen(pilot, FailureModal)
            await pilot.press("escape")
            await wait_for_screen(pilot, ProgressScreen)
        app.close_session()

    try:
        asyncio.run(scenario())
    finally:
        slow.stop()


def test_a_failure_whose_remedy_is_an_answer_opens_that_question_and_resumes(tmp_path: Path, emulator) -> None:
    config = ui_config(tmp_path, emulator)

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            session = app_open(app, config)
            screen = ProgressScreen(session, autostart=False)
            await app.push_screen(screen)
            screen.runner = session.runner(lambda event: None)
            screen.apply(events.StepFailed("register-providers", ErrorInfo("CallerIpUnknown", "cannot tell")))
            screen.apply(events.RunFinished("", ok=False))
            await wait_for_screen(pilot, FailureModal)
            await pilot.pause()
            assert app.screen.query_one("#change-allowed_source_ip").has_focus
            await pilot.press("c")
            await wait_for_screen(pilot, OsScreen)
            await pilot.pause()
            assert app.screen.focused is app.screen.query_one("#allowed-source-ip")
            await pilot.press(*"198.51.100.4", "enter")
            await wait_for_screen(pilot, DoneScreen)
        app.close_session()
        assert checkpoints.read(config.checkpoint_dir / "rg-quit.json").answers.allowed_source_ip == "198.51.100.4"

    asyncio.run(scenario())


def test_a_pane_keeps_the_operation_when_its_state_changes(tmp_path: Path, emulator) -> None:
    config = ui_config(tmp_path, emulator)

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = ProgressScreen(app_open(app, config), autostart=False)
            await app.push_screen(screen)
            screen.apply(events.StepStarted("resource-group", "Resource group"))
            screen.apply(events.StepProgress("resource-group", "PUT resourceGroups/rg-quit"))
            screen.apply(events.StepProgress("resource-group", "operation InProgress"))
            await pilot.pause()
            assert screen.panes["resource-group"].operation == "PUT resourceGroups/rg-quit · InProgress"
            assert "0 of 2 done, 1 running" in str(screen.query_one("#overall-text").render())
        app.close_session()

    asyncio.run(scenario())
