"""SVG snapshots of the main screens at 80x24: no cursor blink, a stopped clock, fixed paths and ids.

Update with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from screens.app import WizardApp
from screens.done_screen import DoneInfo, DoneScreen
from screens.progress_screen import ProgressScreen
from screens.questions import NamesScreen, RecurrenceScreen, SchedulerScreen
from screens.review_screen import ReviewScreen
from screens.welcome_screen import WelcomeScreen
from tests.tui.conftest import ui_config
from wizard import events
from wizard import plan as planning
from wizard.answers import parse
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.session import Session
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup

SUBSCRIPTION = "5d2e8f40-1a3b-4c6d-8e9f-0a1b2c3d4e5f"
ANSWERS = {
    "cloud": "AzureEmulator",
    "subscription_id": SUBSCRIPTION,
    "region": "eastus",
    "resource_group": "rg-scoring-demo",
    "prefix": "demo",
}
DEMO_ENDPOINT = None
WHOLE_PLAN = planning.STEPS


@pytest.fixture(autouse=True)
def fixed_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths shown relative to a fixed folder, and the spine's plan so that engine growth does not churn."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))


def demo_app(tmp_path: Path, screen=None, **config) -> WizardApp:
    from wizard.connect import EmulatorEndpoint

    endpoint = EmulatorEndpoint(
        url="https://127.0.0.1:1", ca="ca.pem", tenant_id="t", client_id="c", client_secret="snapshot-emulator-secret"
    )
    return WizardApp(ui_config(tmp_path, endpoint, **config), first_screen=screen)


def open_checkpoint(tmp_path: Path) -> Checkpoint:
    return Checkpoint.open(tmp_path / "setups" / "rg-scoring-demo.json", parse(ANSWERS))


def test_welcome(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, WelcomeScreen), terminal_size=(80, 24))


def test_names_with_an_invalid_prefix(snap_compare, tmp_path: Path) -> None:
    async def type_bad_prefix(pilot) -> None:
        pilot.app.screen.query_one("#prefix").value = ""
        await pilot.press(*"Demo!")

    assert snap_compare(demo_app(tmp_path, NamesScreen), terminal_size=(80, 24), run_before=type_bad_prefix)


def test_scheduler_comparison(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, SchedulerScreen), press=["down"], terminal_size=(80, 24))


def test_weekly_schedule_with_its_next_runs(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", WHOLE_PLAN)  # the schedule is asked when the plan builds a scheduler
    app = demo_app(
        tmp_path, RecurrenceScreen, now=lambda: datetime(2026, 3, 2, 12, 0, tzinfo=UTC), time_zone=ZoneInfo("UTC")
    )
    app.draft.values.update(ANSWERS, scheduler="datafactory")
    app.draft.values["recurrence"] = {
        "frequency": "Week",
        "time_zone": "Europe/Paris",
        "week_days": ["Monday", "Friday"],
    }
    assert snap_compare(app, terminal_size=(80, 24))


def test_review(snap_compare, tmp_path: Path) -> None:
    app = demo_app(tmp_path, ReviewScreen)
    app.draft.values.update(ANSWERS)
    assert snap_compare(app, terminal_size=(80, 24))


def test_start_screen_lists_setups(snap_compare, tmp_path: Path) -> None:
    with open_checkpoint(tmp_path) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
        checkpoint.update(
            "register-providers", status=StepStatus.FAILED, error=ErrorInfo("AuthorizationFailed", "no permission")
        )
    assert snap_compare(demo_app(tmp_path), terminal_size=(80, 24))


def progress_app(tmp_path: Path, replay: list[events.Event], **config) -> tuple[WizardApp, Checkpoint]:
    checkpoint = open_checkpoint(tmp_path)
    session = Session(planning.build(checkpoint.answers), checkpoint, connection=None)

    def first_screen() -> ProgressScreen:
        return ProgressScreen(session, autostart=False)

    app = demo_app(tmp_path, first_screen, **config)
    app.replay = replay
    return app, checkpoint


async def replay_events(pilot) -> None:
    screen = pilot.app.screen
    screen.runner = object()
    for event in pilot.app.replay:
        screen.apply(event)
    await pilot.pause()


def test_progress_with_steps_in_parallel(snap_compare, tmp_path: Path) -> None:
    app, checkpoint = progress_app(
        tmp_path,
        [
            events.StepStarted("resource-group", "Resource group"),
            events.StepStarted("register-providers", "Resource providers"),
            events.StepProgress("resource-group", "PUT resourceGroups/rg-scoring-demo"),
            events.StepSucceeded("resource-group", {"name": "rg-scoring-demo"}),
            events.StepProgress("register-providers", "waiting for Microsoft.Compute to be Registered"),
            events.StepLog("register-providers", "POST providers/Microsoft.Compute/register"),
        ],
    )
    with checkpoint:
        assert snap_compare(app, terminal_size=(80, 24), run_before=replay_events)


def test_progress_in_the_light_theme(snap_compare, tmp_path: Path) -> None:
    app, checkpoint = progress_app(
        tmp_path,
        [
            events.StepStarted("resource-group", "Resource group"),
            events.StepSucceeded("resource-group", {"name": "rg-scoring-demo"}),
            events.StepStarted("register-providers", "Resource providers"),
            events.StepFailed("register-providers", ErrorInfo("AuthorizationFailed", "not allowed")),
        ],
        dark=False,
    )
    with checkpoint:
        assert snap_compare(app, terminal_size=(80, 24), run_before=replay_events)


def test_failure_modal(snap_compare, tmp_path: Path) -> None:
    error = ErrorInfo(
        "AuthorizationFailed",
        "The client 'demo' does not have authorization to perform action "
        "'Microsoft.Compute/register/action' over scope '/subscriptions/5d2e8f40'.",
        what="Your identity lacks the role this operation needs.",
        todo="Ask an Owner to grant you Contributor on the subscription, then retry.",
        link="https://learn.microsoft.com/azure/role-based-access-control/troubleshooting",
        status=403,
    )
    app, checkpoint = progress_app(
        tmp_path,
        [
            events.StepStarted("register-providers", "Resource providers"),
            events.StepFailed("register-providers", error),
            events.RunFinished("", ok=False),
        ],
    )
    with checkpoint:
        assert snap_compare(app, terminal_size=(80, 24), run_before=replay_events)


def test_done(snap_compare, tmp_path: Path) -> None:
    with open_checkpoint(tmp_path) as checkpoint:
        checkpoint.update(
            "resource-group",
            status=StepStatus.SUCCEEDED,
            outputs={"name": "rg-scoring-demo", "location": "eastus", "id": "/subscriptions/x"},
        )
        checkpoint.update(
            "register-providers",
            status=StepStatus.SUCCEEDED,
            outputs={
                "registered": ["Microsoft.Compute"],
                "instructions": [
                    "Tunnel: ssh -L 8000:localhost:8000 -i demo_id_ed25519 azureuser@demo-dsvm.example",
                    "Jupyter: https://localhost:8000 while the tunnel is open",
                ],
            },
        )
        info = DoneInfo(checkpoint.document, checkpoint.path, tmp_path / "rg-scoring-demo.answers.toml")
    assert snap_compare(demo_app(tmp_path, lambda: DoneScreen(info)), terminal_size=(80, 24))
