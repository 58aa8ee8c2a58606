"""The scheduler that fires the scoring pipeline, chosen beside a short comparison of the four."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.widgets import Static

from screens.choices import COMPARISON, SCHEDULERS
from screens.plan_text import scheduler_choices
from screens.questions.question_screen import QuestionScreen
from screens.widgets.choice_list import ChoiceList


def comparison_table(selected: str) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    for column in ("", "Cost", "Runs in", "Retries", "Monitoring"):
        table.add_column(column, no_wrap=True, overflow="ellipsis")
    for key, _ in SCHEDULERS:
        table.add_row(*COMPARISON[key], style="reverse" if key == selected else "")
    return table


class SchedulerScreen(QuestionScreen):
    fields = ("scheduler",)
    heading = "Scheduler"
    intro = "What calls the batch-scoring pipeline on a schedule."

    def compose_body(self) -> ComposeResult:
        yield ChoiceList(scheduler_choices(self.draft.schedules), self.draft.get("scheduler"), id="scheduler")
        yield Static(id="comparison", classes="comparison")

    def on_mount(self) -> None:
        self.query_one("#scheduler").focus()
        self.save()

    def on_option_list_option_highlighted(self) -> None:
        self.save()

    def save(self) -> None:
        chosen = self.query_one("#scheduler", ChoiceList).value
        self.draft.set("scheduler", chosen)
        self.query_one("#comparison", Static).update(comparison_table(chosen))
