"""Polish a newcomer notices (issue 11 item 17): readable colours in both themes (WCAG AA, computed), problems
shown beside the field rather than in a toast, a GPU switch that says on or off, a whole subscription id when
there is room."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rich.color import Color

from screens.app import WizardApp
from screens.progress_screen import ProgressScreen
from screens.questions import NamesScreen
from screens.questions.options_screen import OptionsScreen
from screens.start_screen import StartScreen
from tests.tui.conftest import ui_config
from tests.tui.test_progress import ANSWERS
from tests.tui.test_questions import replace_text
from wizard import events
from wizard import plan as planning
from wizard.answers import parse
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.session import Session

AA = 4.5
NON_TEXT = 3.0  # WCAG 1.4.11: what shows where a control is, against what is around it


def luminance(color: Color) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def ratio(first: Color, second: Color) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def contrast(widget) -> float:
    """WCAG contrast ratio of a widget's text colour on its (composited) background."""
    style = widget.rich_style
    return ratio(style.color, style.bgcolor)


def outline_contrast(widget) -> float:
    """WCAG non-text contrast of a widget's edge (its left border, composited) on the background around it."""
    around = widget.background_colors[0]
    kind, colour = widget.styles.border_left
    assert kind, f"{widget} has no edge to see it by"
    return ratio((around + colour).rich_color, around.rich_color)


RUN = (
    events.StepStarted("resource-group", "Resource group"),
    events.StepSucceeded("resource-group", {}),
    events.StepStarted("register-providers", "Resource providers"),
    events.StepProgress("register-providers", "PUT providers/Microsoft.Compute/register"),
    events.StepLog("register-providers", "POST providers/Microsoft.Compute/register"),
    events.StepStarted("storage-account", "Storage account"),
    events.StepFailed("storage-account", ErrorInfo("Conflict", "taken")),
    events.StepBlocked("workspace", ("storage-account",)),
)
PROGRESS_TEXT = (
    ".step-line.-succeeded",
    ".step-line.-running",
    ".step-line.-failed",
    ".step-line.-blocked",
    ".step-line.-pending",
    ".step-operation",
    ".step-log",
    ".step-status",
    "#overall-text",
    ".title",
)
QUESTION_TEXT = ("Input", ".field-note", ".intro", ".field-label", ".rule-field.-problem .field-note")


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_running_text_and_inputs_meet_wcag_aa_in_both_themes(tmp_path: Path, dark: bool) -> None:
    async def scenario() -> None:
        with Checkpoint.open(tmp_path / "setups" / "rg.json", parse(ANSWERS)) as checkpoint:
            session = Session(planning.build(checkpoint.answers), checkpoint, connection=None)
            config = ui_config(tmp_path, dark=dark)
            app = WizardApp(config, first_screen=lambda: ProgressScreen(session, autostart=False))
            async with app.run_test(size=(80, 24)) as pilot:
                for event in RUN:
                    app.screen.apply(event)
                await pilot.pause()
                ratios = {selector: contrast(app.screen.query(selector).first()) for selector in PROGRESS_TEXT}
        app = WizardApp(ui_config(tmp_path, dark=dark), first_screen=NamesScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await replace_text(pilot, "#prefix", "Bad!")
            ratios |= {selector: contrast(app.screen.query(selector).first()) for selector in QUESTION_TEXT}
            focused, blurred = app.screen.query_one("#prefix"), app.screen.query_one("#resource-group")
            assert focused.has_focus and not blurred.has_focus
            edges = {"focused input edge": outline_contrast(focused), "input edge": outline_contrast(blurred)}
        low = {selector: round(value, 2) for selector, value in ratios.items() if value < AA}
        assert not low, f"below {AA}:1: {low}"
        faint = {name: round(value, 2) for name, value in edges.items() if value < NON_TEXT}
        assert not faint, f"below {NON_TEXT}:1 against the background: {faint}"

    asyncio.run(scenario())


def test_next_with_a_wrong_field_says_so_beside_it_not_in_a_toast(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=NamesScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            await replace_text(pilot, "#prefix", "Bad!")
            await pilot.press("enter")
            assert not app._notifications
            assert "Fix this first" in str(app.screen.query_one("#prefix-field .field-note").render())
            assert app.screen.focused is app.screen.query_one("#prefix")

    asyncio.run(scenario())


def test_the_gpu_switch_says_whether_it_is_on(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=OptionsScreen)
        async with app.run_test(size=(80, 24)) as pilot:
            note = app.screen.query_one("#gpu-note")
            assert str(note.render()).startswith("off")
            app.screen.query_one("#gpu-cluster").focus()
            await pilot.press("space")
            assert str(note.render()).startswith("on")
            assert app.draft.get("gpu_cluster") is True

    asyncio.run(scenario())


@pytest.mark.parametrize(("width", "whole"), [(80, False), (120, True)])
def test_the_start_screen_shows_the_whole_subscription_when_it_fits(tmp_path: Path, width: int, whole: bool) -> None:
    async def scenario() -> None:
        with Checkpoint.open(tmp_path / "setups" / "rg.json", parse(ANSWERS)) as checkpoint:
            checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
        app = WizardApp(ui_config(tmp_path), first_screen=StartScreen)
        async with app.run_test(size=(width, 24)) as pilot:
            await pilot.pause()
            cell = str(app.screen.query_one("#setups").get_cell_at((0, 1)))
            assert (cell == ANSWERS["subscription_id"]) is whole

    asyncio.run(scenario())
