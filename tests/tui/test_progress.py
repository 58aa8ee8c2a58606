"""The progress screen at 80x24 with the whole plan: every step on one line, panes only for running and failed
steps, and the log of a step that polls without change shown once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from screens.app import WizardApp
from screens.progress_screen import ProgressScreen
from tests.tui.conftest import ui_config
from wizard import events
from wizard import plan as planning
from wizard.answers import parse
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import Checkpoint
from wizard.session import Session

ANSWERS = {
    "cloud": "AzureEmulator",
    "subscription_id": "5d2e8f40-1a3b-4c6d-8e9f-0a1b2c3d4e5f",
    "region": "eastus",
    "resource_group": "rg-scoring-demo",
    "prefix": "demo",
    "scheduler": "datafactory",
}


def test_every_step_of_the_whole_plan_fits_at_80x24_with_running_ones_in_full(tmp_path: Path) -> None:
    async def scenario() -> None:
        with Checkpoint.open(tmp_path / "setups" / "rg.json", parse(ANSWERS)) as checkpoint:
            session = Session(planning.build(checkpoint.answers), checkpoint, connection=None)
            assert len(session.plan.steps) >= 20
            app = WizardApp(ui_config(tmp_path), first_screen=lambda: ProgressScreen(session, autostart=False))
            async with app.run_test(size=(80, 24)) as pilot:
                screen = app.screen
                for event in (
                    events.StepStarted("resource-group", "Resource group"),
                    events.StepSucceeded("resource-group", {}),
                    events.StepStarted("register-providers", "Resource providers"),
                    events.StepProgress("register-providers", "PUT providers/Microsoft.Compute/register"),
                    events.StepStarted("storage-account", "Storage account"),
                    events.StepFailed("storage-account", ErrorInfo("Conflict", "taken")),
                    events.StepBlocked("workspace", ("storage-account",)),
                ):
                    screen.apply(event)
                await pilot.pause()
                shown = {key for key, pane in screen.panes.items() if pane.display}
                assert shown == {"register-providers", "storage-account"}
                lines = list(screen.query(".step-line"))
                assert len(lines) == len(session.plan.steps)
                assert all(line.region.bottom <= 23 for line in lines), "a step line is off screen"
                text = {pane.key: str(pane.line.render()) for pane in screen.panes.values()}
                assert text["resource-group"].startswith("✓ Resource group")
                assert "waits for Storage account" in text["workspace"]
                assert "1 of" in str(screen.query_one("#overall-text").render())
                assert "1 running" in str(screen.query_one("#overall-text").render())

    asyncio.run(scenario())
