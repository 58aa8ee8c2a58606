"""The TUI runs preflight when the run starts: a problem is shown with what to do, and nothing is created."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from screens.app import WizardApp
from screens.preflight_modal import PreflightModal
from screens.review_screen import ReviewScreen
from tests.tui.conftest import ui_config, wait_for_screen
from tests.tui.test_demo_run import answer_everything_with_enter
from wizard import plan as planning
from wizard.connect import emulator_connection
from wizard.emulator import DEMO
from wizard.names import names_for
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup
from wizard.steps.storage_account import StorageAccount

RESOURCES = "azure.mgmt.resource.resources:ResourceManagementClient"
STORAGE = "azure.mgmt.storage:StorageManagementClient"


@pytest.fixture
def storage_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders, StorageAccount))


def _take(emulator, name: str) -> None:
    """Someone else's storage account holds the setup's (global) name."""
    clients = emulator_connection(emulator, DEMO.subscription_id).clients
    resources = clients.get(RESOURCES)
    resources.providers.register("Microsoft.Storage")
    while resources.providers.get("Microsoft.Storage").registration_state != "Registered":
        time.sleep(0.02)
    resources.resource_groups.create_or_update("rg-someone", {"location": "eastus"})
    body = {"location": "eastus", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    clients.get(STORAGE).storage_accounts.begin_create("rg-someone", name, body).result()


def test_a_taken_storage_name_stops_the_start_with_what_to_do(tmp_path: Path, emulator, storage_plan) -> None:
    asyncio.run(_start_with_a_taken_name(tmp_path, emulator))


async def _start_with_a_taken_name(tmp_path: Path, emulator) -> None:
    app = WizardApp(ui_config(tmp_path, emulator))
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_everything_with_enter(pilot)
        answers = app.draft.to_answers()
        _take(emulator, names_for(answers).storage_account)
        await pilot.press("enter")
        await wait_for_screen(pilot, PreflightModal, timeout=30)
        text = "\n".join(pilot.app.screen.findings.lines())
        assert "StorageAccountAlreadyTaken" in text and "what to do" in text
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)
    app.close_session()
    groups = emulator_connection(emulator, DEMO.subscription_id).clients.get(RESOURCES).resource_groups
    assert not groups.check_existence(answers.resource_group), "nothing is created"
