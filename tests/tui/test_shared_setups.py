"""The start screen lists shared setups (blob://…) below the local ones, a colleague's too, and resumes one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from textual.widgets import DataTable

from screens.app import WizardApp
from screens.done_screen import DoneScreen
from screens.start_screen import StartScreen
from tests.state.conftest import StorageToken
from tests.tui.conftest import ui_config, wait_for, wait_for_screen
from tests.tui.test_resume import ANSWERS, make_checkpoint
from wizard import blob_state
from wizard import plan as planning
from wizard.answers import parse
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.cli import main
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup


@pytest.fixture(autouse=True)
def spine_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))


def _push(tmp_path: Path, group: str, location: blob_state.Location) -> None:
    local = tmp_path / f"{group}.json"
    with Checkpoint.open(local, parse({**ANSWERS, "resource_group": group})) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
    assert main(["state", "push", str(local), str(location)]) == 0
    local.unlink()


def test_the_start_screen_lists_shared_setups_and_resumes_one(tmp_path: Path, shared, emulator) -> None:
    config = ui_config(tmp_path, emulator)
    make_checkpoint(config.checkpoint_dir, "rg-local", failed=False)
    _push(tmp_path, "rg-shared", shared)
    colleague = blob_state.Location(shared.account, shared.container, "colleague")
    _push(tmp_path, "rg-colleague", colleague)
    colleague.cache_path().unlink()  # pushed from another machine: nothing of it here

    async def scenario() -> None:
        app = WizardApp(config)
        async with app.run_test(size=(100, 24)) as pilot:
            await wait_for_screen(pilot, StartScreen)
            table = app.screen.query_one(DataTable)
            await wait_for(pilot, lambda: table.row_count == 3, what="the shared setups to be listed")
            rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(3)]
            assert rows[0][0] == "rg-local"
            assert sorted((row[0], row[1]) for row in rows[1:]) == [("colleague", "shared"), ("demo", "shared")]
            table.move_cursor(row=next(i for i, row in enumerate(rows) if row[0] == "demo"))
            await pilot.pause()
            assert f"Shared {shared}" in str(app.screen.query_one("#setup-detail").render())
            await pilot.press("enter")
            await wait_for_screen(pilot, DoneScreen, timeout=30)
        app.close_session()

    asyncio.run(scenario())
    blob = blob_state.container_client(shared, StorageToken()).get_blob_client(shared.blob_name)
    steps = json.loads(blob.download_blob().readall())["steps"]
    assert {key: record["status"] for key, record in steps.items()} == {
        "resource-group": "succeeded",
        "register-providers": "succeeded",
    }


def test_a_machine_with_only_shared_setups_opens_on_their_list(tmp_path: Path, shared, emulator) -> None:
    config = ui_config(tmp_path, emulator)
    _push(tmp_path, "rg-shared", shared)  # this machine keeps a copy of what it shared, nothing local

    async def scenario() -> None:
        app = WizardApp(config)
        async with app.run_test(size=(100, 24)) as pilot:
            await wait_for_screen(pilot, StartScreen)
            table = app.screen.query_one(DataTable)
            await wait_for(pilot, lambda: table.row_count == 1, what="the shared setup to be listed")
            assert [str(cell) for cell in table.get_row_at(0)][:2] == ["demo", "shared"]

    asyncio.run(scenario())
