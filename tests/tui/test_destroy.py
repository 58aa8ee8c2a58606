"""Destroy from the TUI: the done screen's x lists what goes, asks the setup's name typed back, deletes live, and
lands on the setups with this one shown as destroyed; what the wizard did not make stays."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from textual.widgets import DataTable, Input

from screens.app import WizardApp
from screens.destroy_screen import DestroyScreen
from screens.done_screen import DoneScreen
from screens.progress_screen import ProgressScreen
from screens.start_screen import StartScreen
from screens.type_name_modal import TypeNameModal
from screens.welcome_screen import WelcomeScreen
from tests.tui.conftest import ui_config, wait_for, wait_for_screen
from wizard import plan as planning
from wizard.answers import parse
from wizard.connect import emulator_connection
from wizard.emulator import DEMO
from wizard.session import open_session
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup
from wizard.steps.storage_account import StorageAccount

GROUP = "rg-destroy"
ANSWERS = {
    "cloud": "AzureEmulator",
    "subscription_id": DEMO.subscription_id,
    "region": "eastus",
    "resource_group": GROUP,
    "prefix": "gone",
}
RESOURCES = "azure.mgmt.resource.resources:ResourceManagementClient"
STORAGE = "azure.mgmt.storage:StorageManagementClient"
THEIRS = "theirsdata01"


@pytest.fixture(autouse=True)
def storage_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders, StorageAccount))


def _someone_elses_account_in_the_group(clients) -> None:
    """The group exists before the wizard, with an untagged storage account the teardown must leave alone."""
    resources = clients.get(RESOURCES)
    resources.providers.register("Microsoft.Storage")
    while resources.providers.get("Microsoft.Storage").registration_state != "Registered":
        time.sleep(0.02)
    resources.resource_groups.create_or_update(GROUP, {"location": "eastus", "tags": {"owner": "someone"}})
    body = {"location": "eastus", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    clients.get(STORAGE).storage_accounts.begin_create(GROUP, THEIRS, body).result()


def test_destroy_from_the_done_screen_removes_what_the_setup_made_and_nothing_else(tmp_path: Path, emulator) -> None:
    config = ui_config(tmp_path, emulator)
    clients = emulator_connection(emulator, DEMO.subscription_id).clients
    _someone_elses_account_in_the_group(clients)
    answers = parse(ANSWERS)
    ours = planning.build(answers).names.storage_account

    async def scenario() -> None:
        app = WizardApp(config, first_screen=WelcomeScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            session = open_session(answers, checkpoint_path=config.checkpoint_dir / f"{GROUP}.json", emulator=emulator)
            app.session = session
            app.call_later(app.push_screen, ProgressScreen(session))
            await wait_for_screen(pilot, DoneScreen, timeout=30)
            assert clients.get(STORAGE).storage_accounts.get_properties(GROUP, ours).name == ours

            await pilot.press("x")
            await wait_for_screen(pilot, DestroyScreen)
            screen = app.screen
            await wait_for(pilot, lambda: screen.state == "listed", what="the list of what goes")
            listed = str(screen.query_one("#destroy-list").render())
            assert f"Storage/storageAccounts {ours}" in listed and THEIRS not in listed
            await pilot.press("x")
            await wait_for_screen(pilot, TypeNameModal)
            await pilot.press(*"rg-other", "enter")
            assert isinstance(app.screen, TypeNameModal), "a wrong name must not delete"
            app.screen.query_one(Input).value = ""
            await pilot.press(*GROUP, "enter")
            await wait_for(pilot, lambda: screen.state in ("done", "failed"), timeout=30, what="the teardown")
            assert screen.state == "done", screen.rows
            status = str(screen.query_one("#destroy-status").render())
            assert f"{GROUP} is destroyed" in status

            with pytest.raises(ResourceNotFoundError):
                clients.get(STORAGE).storage_accounts.get_properties(GROUP, ours)
            assert clients.get(STORAGE).storage_accounts.get_properties(GROUP, THEIRS).name == THEIRS
            assert clients.get(RESOURCES).resource_groups.get(GROUP).tags == {"owner": "someone"}

            await pilot.press("enter")
            await wait_for_screen(pilot, StartScreen)
            row = app.screen.query_one(DataTable).get_row_at(0)
            assert row[0] == GROUP and row[2] == "destroyed", row
            assert app.session is None and app.progress_screen is None

            await pilot.press("x")  # the start screen offers it for the highlighted setup: nothing is left to delete
            await wait_for_screen(pilot, DestroyScreen)
            again = app.screen
            await wait_for(pilot, lambda: again.state == "listed", what="the second list")
            assert again.count == 0 and app.session is again.session
            await pilot.press("escape")
            await wait_for_screen(pilot, StartScreen)
            assert app.session is None, "the session opened for the teardown is closed with it"
        app.close_session()

    asyncio.run(scenario())
