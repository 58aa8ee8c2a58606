"""The schedule question: asked only when the plan builds a scheduler, checked by the answers' own model, and
showing the next five fire times in the user's time zone; --plain asks the same."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Select

from screens import plain
from screens.app import WizardApp
from screens.draft import Draft, demo_defaults
from screens.questions import OptionsScreen, RecurrenceScreen, SchedulerScreen
from screens.widgets.field import RuleField
from tests.tui.conftest import ui_config, wait_for_screen
from tests.tui.test_questions import replace_text
from wizard import plan as planning

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday
PARIS = ZoneInfo("Europe/Paris")


def recurrence_app(tmp_path: Path, scheduler: str, emulator) -> WizardApp:
    config = ui_config(tmp_path, emulator, now=lambda: NOW, time_zone=PARIS)
    app = WizardApp(config, first_screen=SchedulerScreen)
    app.draft = Draft({**demo_defaults(), "scheduler": scheduler})
    return app


def without_scheduler(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """A plan whose steps for one scheduler are not built (as each was before it landed)."""
    kept = tuple(step for step in planning.STEPS if not step.__module__.startswith(module))
    monkeypatch.setattr(planning, "STEPS", kept)


def fire_times(app: WizardApp) -> str:
    return str(app.screen.query_one("#fire-times").render())


def test_no_schedule_is_asked_when_the_plan_builds_no_scheduler(tmp_path: Path, emulator, monkeypatch) -> None:
    without_scheduler(monkeypatch, "wizard.steps.schedulers.functions")

    async def scenario() -> None:
        app = recurrence_app(tmp_path, "functions", emulator)
        async with app.run_test(size=(80, 24)) as pilot:
            assert not app.draft.schedules()
            await pilot.press("enter")
            await wait_for_screen(pilot, OptionsScreen)

    asyncio.run(scenario())


def test_a_weekly_schedule_shows_its_next_five_runs_in_the_users_zone(tmp_path: Path, emulator) -> None:
    async def scenario() -> None:
        app = recurrence_app(tmp_path, "datafactory", emulator)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await wait_for_screen(pilot, RecurrenceScreen)
            assert "question 7 of 8" in str(app.screen.query_one(".title").render())
            daily = fire_times(app)
            assert "Europe/Paris" in daily and "Tue 2026-03-03 03:00" in daily  # 02:00 UTC is 03:00 in Paris
            assert not app.screen.query_one("#week-days-field", RuleField).display

            app.screen.query_one("#frequency", Select).value = "Week"
            await pilot.pause()
            assert app.screen.query_one("#week-days-field", RuleField).display
            await replace_text(pilot, "#week-days", "mon, fri")
            await replace_text(pilot, "#hours", "6")
            shown = fire_times(app)
            assert shown.count("2026-") == 5
            assert "Fri 2026-03-06 07:00" in shown and "Mon 2026-03-09 07:00" in shown
            assert app.draft.get("recurrence")["week_days"] == ["Monday", "Friday"]

            await pilot.press("enter")
            await wait_for_screen(pilot, OptionsScreen)
            assert app.draft.to_answers().recurrence.hours == [6]

    asyncio.run(scenario())


def test_a_schedule_the_services_cannot_all_fire_blocks_next(tmp_path: Path, emulator) -> None:
    async def scenario() -> None:
        app = recurrence_app(tmp_path, "logicapps", emulator)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter")
            await wait_for_screen(pilot, RecurrenceScreen)
            app.screen.query_one("#frequency", Select).value = "Hour"
            await pilot.pause()
            await replace_text(pilot, "#interval", "7")
            assert "does not divide 24" in fire_times(app)
            await pilot.press("enter")
            assert isinstance(app.screen, RecurrenceScreen)
            await replace_text(pilot, "#interval", "6")
            assert fire_times(app).count("2026-") == 5
            await pilot.press("enter")
            await wait_for_screen(pilot, OptionsScreen)

    asyncio.run(scenario())


class Prompt:
    def __init__(self, answer):
        self.answer = answer

    def ask(self):
        return self.answer


def test_plain_asks_the_same_schedule_and_prints_its_next_runs(monkeypatch, capsys) -> None:
    typed = iter(["1", "2026-01-01 02:00", "UTC", "6", "", "mon, fri"])
    asked: list[str] = []

    def text(message: str, default: str, validate):
        asked.append(message)
        return Prompt(next(typed))

    monkeypatch.setattr(plain.questionary, "select", lambda message, choices, **_: Prompt("Week"))
    monkeypatch.setattr(plain.questionary, "text", text)
    monkeypatch.setattr(plain, "local_zone", lambda: PARIS)
    draft = Draft({**demo_defaults(), "scheduler": "datafactory"})
    assert draft.schedules()
    plain.ask_recurrence(draft)
    recurrence = draft.to_answers().recurrence
    assert (recurrence.frequency.value, recurrence.hours, recurrence.minutes) == ("Week", [6], None)
    assert [day.value for day in recurrence.week_days] == ["Monday", "Friday"]
    assert any("On days" in message for message in asked)
    assert capsys.readouterr().out.count("2026-") == 5


def test_the_question_count_follows_the_scheduler_chosen(tmp_path: Path, emulator, monkeypatch) -> None:
    without_scheduler(monkeypatch, "wizard.steps.schedulers.amlschedule")

    async def scenario() -> None:
        app = recurrence_app(tmp_path, "amlschedule", emulator)
        async with app.run_test(size=(80, 24)) as pilot:
            title = app.screen.query_one("#question-title")
            assert "of 7" in str(title.render())
            await pilot.press("down")  # Data Factory, which the plan builds
            assert "of 8" in str(title.render())

    asyncio.run(scenario())
