"""The scheduler that fires the scoring pipeline, chosen beside a short comparison of the four."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from screens.plan_text import comparison_table, scheduler_choices
from screens.questions.question_screen import QuestionScreen
from screens.widgets.choice_list import ChoiceList


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
        self.refresh_title()
        self.query_one("#comparison", Static).update(comparison_table(chosen))
