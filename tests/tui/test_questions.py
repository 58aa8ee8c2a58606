"""Question screens: inline validation with the engine's rules, Next blocked until fixed, values kept across
back and forth."""

from __future__ import annotations

import asyncio
from pathlib import Path

from azure.mgmt.resource.resources import ResourceManagementClient
from textual.widgets import Input

from screens.app import WizardApp
from screens.questions import NamesScreen, OsScreen, RegionScreen, SubscriptionScreen
from screens.questions.options_screen import OptionsScreen
from screens.review_screen import ReviewScreen
from screens.widgets.field import RuleField
from tests.tui.conftest import ui_config, wait_for, wait_for_screen
from wizard import checkpoint as checkpoints
from wizard import rules
from wizard.checkpoint import Checkpoint
from wizard.emulator import DEMO


async def replace_text(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


def test_an_invalid_prefix_shows_the_rule_inline_and_blocks_next_until_fixed(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=NamesScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await replace_text(pilot, "#prefix", "Bad!")
            note = str(app.screen.query_one("#prefix-field .field-note").render())
            assert rules.PREFIX.explain in note
            assert app.screen.query_one("#prefix-field", RuleField).has_class("-problem")
            await pilot.press("enter")
            assert isinstance(app.screen, NamesScreen)
            assert app.screen.check_action("next", ()) is None

            await replace_text(pilot, "#prefix", "team1")
            assert app.screen.query_one("#prefix-field", RuleField).problem is None
            await pilot.press("enter")
            await wait_for_screen(pilot, OsScreen)

    asyncio.run(scenario())


def test_a_bad_resource_group_and_a_bad_time_are_caught_the_same_way(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=NamesScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await replace_text(pilot, "#resource-group", "bad name!")
            assert rules.RESOURCE_GROUP.explain in str(
                app.screen.query_one("#resource-group-field .field-note").render()
            )
            await pilot.press("enter")
            assert isinstance(app.screen, NamesScreen)
            assert app.screen.focused is app.screen.query_one("#resource-group", Input)

        app = WizardApp(ui_config(tmp_path), first_screen=OptionsScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await replace_text(pilot, "#auto-shutdown", "25:00")
            await pilot.press("enter")
            assert isinstance(app.screen, OptionsScreen)
            assert "24-hour" in str(app.screen.query_one("#auto-shutdown-field .field-note").render())

    asyncio.run(scenario())


def test_going_back_and_forth_keeps_what_was_typed(tmp_path: Path, emulator) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, emulator))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter", "enter")
            await wait_for_screen(pilot, SubscriptionScreen)
            await wait_for(pilot, lambda: app.screen.choices, what="subscriptions")
            await pilot.press("enter")
            await wait_for_screen(pilot, RegionScreen)
            await wait_for(pilot, lambda: app.screen.choices, what="regions")
            await pilot.press(*"westeurope", "enter")
            await wait_for_screen(pilot, NamesScreen)
            await replace_text(pilot, "#prefix", "team1")
            await pilot.press("enter")
            await wait_for_screen(pilot, OsScreen)
            await pilot.press("down")
            await pilot.press("escape", "escape")
            await wait_for_screen(pilot, RegionScreen)
            await wait_for(pilot, lambda: app.screen.choices, what="regions")
            await pilot.press("enter")
            await wait_for_screen(pilot, NamesScreen)
            assert app.screen.query_one("#prefix", Input).value == "team1"
            await pilot.press("enter")
            await wait_for_screen(pilot, OsScreen)
            assert app.draft.get("vm_os") == "windows"
            assert app.draft.get("region") == "westeurope"

    asyncio.run(scenario())


def test_the_firewall_address_is_detected_and_editable(tmp_path: Path) -> None:
    from tests.conftest import CALLER_IP

    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=OsScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            field = app.screen.query_one("#allowed-source-ip", Input)
            await wait_for(pilot, lambda: field.value == CALLER_IP, what="the detected address")
            await replace_text(pilot, "#allowed-source-ip", "300.1.2.3")
            await pilot.press("enter")
            assert isinstance(app.screen, OsScreen)
            assert "IPv4" in str(app.screen.query_one("#allowed-source-ip-field .field-note").render())
            await replace_text(pilot, "#allowed-source-ip", "203.0.113.9")
            await pilot.press("enter")
            assert app.draft.get("allowed_source_ip") == "203.0.113.9"

    asyncio.run(scenario())


def test_a_vm_size_the_region_does_not_offer_is_refused_with_alternatives(tmp_path: Path, emulator) -> None:
    import requests
    from azure.mgmt.resource.resources import ResourceManagementClient

    from tests.providers import register
    from wizard.connect import emulator_connection
    from wizard.emulator import DEMO

    resources = emulator_connection(emulator, DEMO.subscription_id).clients.get(ResourceManagementClient)
    register(resources, "Microsoft.Compute")
    requests.post(
        f"{emulator.url}/_emulator/compute/restrictions",
        json={"region": "eastus", "size": "Standard_D4s_v5"},
        verify=emulator.ca,
        timeout=5,
    ).raise_for_status()

    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, emulator), first_screen=OptionsScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            note = app.screen.query_one("#size-availability")
            await wait_for(pilot, lambda: str(note.render()).startswith("✗"), what="the size verdict")
            assert "Standard_D4s_v5" in str(note.render()) and "Sizes you can use here" in str(note.render())
            await pilot.press("enter")
            assert isinstance(app.screen, OptionsScreen)

            await replace_text(pilot, "#vm-size", "Standard_D2s_v5")
            await wait_for(pilot, lambda: str(note.render()).startswith("✓"), what="the new size's verdict")
            assert app.screen.check_action("next", ()) is True

    asyncio.run(scenario())


def test_a_region_without_the_dsvm_image_is_not_offered_on_a_fresh_subscription(tmp_path: Path, emulator) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, emulator), first_screen=RegionScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.screen.choices, what="regions")
            names = [region.name for region in app.screen.choices]
            assert "eastus" in names and "brazilsouth" not in names
            await pilot.press(*"brazil", "enter")
            assert isinstance(app.screen, RegionScreen)

    asyncio.run(scenario())


def test_a_new_setup_cannot_take_over_one_started_before(tmp_path: Path) -> None:
    config = ui_config(tmp_path)
    app = WizardApp(config, first_screen=NamesScreen)
    app.draft.set("subscription_id", "5d2e8f40-1a3b-4c6d-8e9f-0a1b2c3d4e5f")
    draft_answers = app.draft.to_answers()
    Checkpoint.open(checkpoints.default_path(draft_answers, config.checkpoint_dir), draft_answers).close()

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            note = str(app.screen.query_one("#existing").render())
            assert f"A setup for {draft_answers.resource_group} in this subscription exists" in note
            await pilot.press("enter")
            assert isinstance(app.screen, NamesScreen)
            assert "ctrl+o" in app.active_bindings
            await replace_text(pilot, "#resource-group", "rg-another")
            assert str(app.screen.query_one("#existing").render()).strip() == ""
            await pilot.press("enter")
            await wait_for_screen(pilot, OsScreen)

    asyncio.run(scenario())


def test_the_review_says_when_the_group_exists_in_azure_but_was_not_made_by_the_wizard(tmp_path, emulator) -> None:
    from wizard.connect import emulator_connection

    clients = emulator_connection(emulator, DEMO.subscription_id).clients
    clients.get(ResourceManagementClient).resource_groups.create_or_update("rg-theirs", {"location": "eastus"})

    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, emulator), first_screen=ReviewScreen)
        app.draft.set("resource_group", "rg-theirs")
        async with app.run_test(size=(100, 30)) as pilot:
            note = app.screen.query_one("#group-check")
            await wait_for(pilot, lambda: "not made by scoring-wizard" in str(note.render()), what="the group check")

    asyncio.run(scenario())


def test_a_filter_that_matches_nothing_says_so_and_counts_follow_the_filter(tmp_path: Path, emulator) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, emulator), first_screen=RegionScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: app.screen.choices, what="regions")
            note = app.screen.query_one("#list-note")
            total = len(app.screen.choices)
            assert f"{total} region(s) offer what the setup needs." in str(note.render())
            await pilot.press(*"europe")
            assert f"of {total} regions match the filter" in str(note.render())
            await pilot.press(*"zzz")
            assert "No region matches “europezzz”" in str(note.render())

    asyncio.run(scenario())
