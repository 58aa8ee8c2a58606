"""The screens promise what the plan builds, asked of the plan (issue 11 item 10), and fit 80 columns (item 13)."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

from rich.console import Console
from textual.geometry import Region
from textual.widgets import OptionList

from screens.app import WizardApp
from screens.done_screen import DoneInfo, DoneScreen
from screens.draft import Draft, demo_defaults
from screens.plan_text import cost_hint, plan_table, scheduler_choices, unscheduled
from screens.questions import FLOW, SchedulerScreen
from screens.welcome_screen import bullets, scheduler_bullet
from tests.tui.conftest import ui_config
from tests.tui.test_snapshots import open_checkpoint
from wizard import plan as planning
from wizard.answers import parse
from wizard.checkpoint import StepStatus
from wizard.emulator import DEMO


def rendered(renderable, width: int = 80) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def test_only_the_schedulers_the_plan_builds_are_offered_as_built() -> None:
    draft = Draft(demo_defaults())
    offered = dict(scheduler_choices(draft.schedules))
    built = {key for key, text in offered.items() if "not built yet" not in text}
    assert built == {key for key in offered if draft.schedules(key)}
    assert "datafactory" in built and "logicapps" in built


def test_the_review_and_done_words_follow_the_plans_scheduler_steps() -> None:
    with_schedule = planning.build(parse({**demo_defaults(), "scheduler": "datafactory"}))
    assert with_schedule.scheduler_steps and unscheduled(with_schedule) is None
    scheduler_titles = {step.title for step in with_schedule.scheduler_steps}
    assert any(title in cost_hint(with_schedule) for title in scheduler_titles)

    kept = tuple(step for step in with_schedule.steps if step not in with_schedule.scheduler_steps)
    unscheduled_plan = dataclasses.replace(with_schedule, steps=kept)
    assert "No schedule yet" in unscheduled(unscheduled_plan)
    assert not any(title in cost_hint(unscheduled_plan) for title in scheduler_titles)


def test_welcome_names_the_schedulers_that_are_built() -> None:
    bullet = scheduler_bullet(Draft(demo_defaults()))
    assert "Data Factory trigger" in bullet and "Logic Apps recurrence" in bullet and "Azure ML schedule" in bullet
    assert "Azure Functions timer" in bullet and "not built" not in bullet
    text = rendered(bullets(["a long item " * 12]))
    assert all(line.startswith("    ") for line in text.splitlines()[1:] if line.strip()), "no hanging indent"


def test_question_titles_and_the_plan_fit_80_columns(tmp_path: Path) -> None:
    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=SchedulerScreen)
        app.draft = Draft({**demo_defaults(), "scheduler": "datafactory"})
        async with app.run_test(size=(80, 24)):
            for question in FLOW:
                number = f"question {app.question_number(question.screen)} of {app.question_count}"
                assert len(f" {question.screen.heading}  {number} · Tab: next field") <= 80

    asyncio.run(scenario())
    plan = planning.build(parse({**demo_defaults(), "scheduler": "datafactory"}))
    rows = rendered(plan_table(plan)).splitlines()
    assert len(rows) <= len(plan.steps) * 2 + 1, "a step's row wraps to more than two lines"


def rejoined(rows: list[str]) -> str:
    """Rows read back as one text: a row ending in `/`, `?` or `&` goes on with the same token, else a space."""
    text = ""
    for row in (row.strip() for row in rows if row.strip()):
        text += row if not text or text.endswith(("/", "?", "&")) else " " + row
    return text


def _done_info(tmp_path: Path, connect_lines: list[str]) -> DoneInfo:
    """A finished setup whose steps left these connect lines."""
    with open_checkpoint(tmp_path) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED, outputs={"name": "rg-scoring-demo"})
        outputs = {"instructions": connect_lines}
        checkpoint.update("register-providers", status=StepStatus.SUCCEEDED, outputs=outputs)
        return DoneInfo(checkpoint.document, checkpoint.path)


def test_the_done_screen_breaks_paths_and_urls_only_where_meaningful_and_copies_them_whole(tmp_path: Path) -> None:
    key = Path.home() / ".local/state/scoring-wizard/rg-scoring-demo-5d2e8f40.files/id_ed25519"
    ssh = f"ssh -L 8000:localhost:8000 -i {key} azureuser@demo-dsvm.eastus.cloudapp.azure.com"
    portal = (
        f"https://portal.azure.com/#@{DEMO.tenant_id}/resource/subscriptions/{DEMO.subscription_id}"
        "/resourceGroups/rg-scoring-demo/providers/Microsoft.Compute/virtualMachines/demo-dsvm/overview"
    )
    info = _done_info(tmp_path, [f"Tunnel: {ssh}", f"Portal: {portal}"])

    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=lambda: DoneScreen(info))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            connect = app.screen.query_one("#connect", OptionList)
            rows = [strip.text for strip in connect.render_lines(Region(0, 0, *connect.size))]
            shown = f"Tunnel: {ssh.replace(str(Path.home()), '~')} Portal: {portal}"
            assert rejoined(rows) == shown, rows
            await pilot.press("c")
            assert app.clipboard == ssh, "the command is copied whole, with the path a shell needs"
            await pilot.press("down", "c")
            assert app.clipboard == portal

    asyncio.run(scenario())


def test_a_long_connect_list_keeps_the_tear_down_line_on_a_small_terminal(tmp_path: Path) -> None:
    info = _done_info(tmp_path, [f"Step {n}: https://example.invalid/{'segment/' * 8}{n}" for n in range(12)])

    async def scenario() -> None:
        app = WizardApp(ui_config(tmp_path), first_screen=lambda: DoneScreen(info))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            connect = app.screen.query_one("#connect", OptionList)
            assert app.focused is connect, "arrows pick a connect line at once"
            body = app.screen.query_one("#done-body")
            assert body.max_scroll_y > 0 and body.scroll_y == 0, "the tear-down line above the list stays in view"

    asyncio.run(scenario())
