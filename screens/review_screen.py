"""The plan before anything is created: each resource, its name and what it waits for, and a cost hint.

From here the answers can be saved as the TOML file that `scoring-wizard run --answers` replays, and the run
started. Opening the setup (checkpoint lock, sign-in) is a network call, so it happens in a worker.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens import messages
from screens.plan_text import cost_hint, plan_table, scheduler_name, unscheduled
from screens.save_answers_modal import SaveAnswersModal
from wizard import catalog
from wizard import plan as planning
from wizard.answers import Answers, AnswersError


class GroupChecked(Message):
    """The setup's resource group exists in Azure and was not made by scoring-wizard (checked in a worker)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text


class ReviewScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("enter", "start", "Start"),
        Binding("s", "save_answers", "Save answers"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.answers: Answers | None = None
        self.problems: list[str] = []

    def compose(self) -> ComposeResult:
        try:
            self.answers = self.app.draft.to_answers()
        except AnswersError as error:
            self.problems = error.problems
        yield Static("[b]Review[/b]  [dim]nothing has been created yet[/dim]", classes="title")
        with VerticalScroll(id="review-body"):
            if self.answers is None:
                yield Static("[red]These answers cannot be used:[/red]\n" + "\n".join(self.problems), classes="problem")
            else:
                plan = planning.build(self.answers)
                a = self.answers
                yield Static(
                    f"Subscription [b]{a.subscription_id}[/b] · region [b]{a.region}[/b] · "
                    f"resource group [b]{a.resource_group}[/b] · {a.vm_os.value.title()} VM · "
                    f"[b]{scheduler_name(a.scheduler)}[/b]",
                    classes="summary",
                )
                yield Static(plan_table(plan), id="plan")
                yield Static(id="group-check", classes="existing-setup")
                if unscheduled(plan):
                    yield Static(unscheduled(plan), classes="note")
                yield Static(cost_hint(plan), classes="note")
                if a.open_to_anywhere_warning:
                    yield Static(f"[b yellow]Warning:[/b yellow] {a.open_to_anywhere_warning}", classes="problem")
        yield Footer()

    def on_mount(self) -> None:
        if self.answers is not None:
            self.check_group(self.answers)

    @work(thread=True, exclusive=True)
    def check_group(self, answers: Answers) -> None:
        try:
            connection = self.app.list_connection()
        except Exception:
            return
        if catalog.foreign_group(connection, answers.subscription_id, answers.resource_group):
            self.post_message(
                GroupChecked(
                    f"! Resource group {answers.resource_group} already exists in Azure and was not made by "
                    "scoring-wizard: the setup adds its resources to it, and deleting the group to tear down "
                    "would delete everything else in it too."
                )
            )

    @on(GroupChecked)
    def _group_checked(self, message: GroupChecked) -> None:
        self.query_one("#group-check", Static).update(message.text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "save_answers"):
            return self.answers is not None or None
        return True

    def action_back(self) -> None:
        self.post_message(messages.Back(self))

    def action_save_answers(self) -> None:
        if self.answers is not None:
            self.app.push_screen(SaveAnswersModal(self.answers, self.app.default_answers_path(self.answers)))

    def action_start(self) -> None:
        if self.answers is None:
            return
        self.notify("Opening the setup…", timeout=2)
        self.post_message(messages.OpenSetup(answers=self.answers))
