"""Answers given as flags, variables or --answers are where the questions start: both faces offer them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input

from screens import plain
from screens.app import WizardApp
from screens.draft import REAL_DEFAULTS, Draft
from screens.questions import NamesScreen
from tests.tui.conftest import ui_config
from tests.tui.test_plain_prompts import Prompt
from wizard.answer_sources import overlay

GIVEN = {"prefix": "given", "resource_group": "rg-given", "recurrence": {"interval": 6, "frequency": "Hour"}}


def test_the_full_screen_questions_show_the_given_answers(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path, given=GIVEN), first_screen=NamesScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.screen.query_one("#prefix", Input).value == "given"
            assert app.screen.query_one("#resource-group", Input).value == "rg-given"
        # A [table] given in part keeps the defaults of its other keys.
        assert app.draft.get("recurrence") == {"frequency": "Hour", "interval": 6, "time_zone": "UTC"}

    asyncio.run(scenario())


def test_the_plain_questions_offer_the_given_answers(emulator, monkeypatch) -> None:
    offered: dict[str, str] = {}

    def text(message: str, default: str, validate):
        offered[message] = default
        return Prompt(default)

    monkeypatch.setattr(plain.questionary, "select", lambda message, choices, default=None, **_: Prompt(default))
    monkeypatch.setattr(plain.questionary, "text", text)
    monkeypatch.setattr(plain.questionary, "confirm", lambda message, default=None: Prompt(default))
    monkeypatch.setattr(plain.caller_ip, "detect", lambda timeout: "203.0.113.7")
    given = {**GIVEN, "cloud": "AzureEmulator", "admin_username": "scorer"}
    draft = plain.ask_answers(Draft(overlay(REAL_DEFAULTS, given)), emulator, given)
    assert (offered["Name prefix"], offered["Resource group"], offered["Admin user"]) == ("given", "rg-given", "scorer")
    answers = draft.to_answers()
    assert (answers.recurrence.frequency.value, answers.recurrence.interval) == ("Hour", 6)
