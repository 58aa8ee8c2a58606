"""The plan before anything is created: each resource, its name and what it waits for, and a cost hint.

From here the answers can be saved as the TOML file that `scoring-wizard run --answers` replays, and the run
started. Opening the setup (checkpoint lock, sign-in) is a network call, so it happens in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens.save_answers_modal import SaveAnswersModal
from wizard import plan as planning
from wizard.answers import Answers, AnswersError, VmOs

if TYPE_CHECKING:
    from screens.app import WizardApp

# Rough pay-as-you-go list prices in USD, enough to tell a first-time user what keeps costing money.
HOURLY_VM_PRICE = {VmOs.LINUX: 0.19, VmOs.WINDOWS: 0.37}


def cost_hint(answers: Answers) -> str:
    hourly = HOURLY_VM_PRICE[answers.vm_os]
    hours = 10 * 22 if answers.auto_shutdown else 24 * 30
    running = "about 10 h on working days (auto-shutdown)" if answers.auto_shutdown else "around the clock"
    gpu = "; the GPU cluster costs only while a run uses it" if answers.gpu_cluster else ""
    return (
        f"Cost hint: the Data Science VM ({answers.effective_vm_size}, {answers.vm_os.value}) is about "
        f"${hourly:.2f}/h; {running} that is roughly ${hourly * hours:.0f}/month. Storage, the ML workspace "
        f"and the scheduler add a few dollars{gpu}. Delete the resource group to stop all costs."
    )


def plan_table(plan: planning.Plan) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("Creates", ratio=3)
    table.add_column("After", ratio=1)
    titles = {step.key: step.title for step in plan.steps}
    for number, step in enumerate(plan.steps, 1):
        after = ", ".join(titles[n] for n in step.needs) or "—"
        table.add_row(str(number), step.describe(plan.names), after)
    return table


class ReviewScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("enter", "start", "Start"),
        Binding("s", "save_answers", "Save answers"),
        Binding("escape", "back", "Back"),
    ]

    app: WizardApp

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
                    f"resource group [b]{a.resource_group}[/b] · {a.vm_os.value} VM · scheduler "
                    f"[b]{a.scheduler.value}[/b]",
                    classes="summary",
                )
                yield Static(plan_table(plan), id="plan")
                yield Static(cost_hint(a), classes="note")
                if a.open_to_anywhere_warning:
                    yield Static(f"[b yellow]Warning:[/b yellow] {a.open_to_anywhere_warning}", classes="problem")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "save_answers"):
            return self.answers is not None or None
        return True

    def action_back(self) -> None:
        self.app.previous_question(self)

    def action_save_answers(self) -> None:
        if self.answers is not None:
            self.app.push_screen(SaveAnswersModal(self.answers, self.app.default_answers_path(self.answers)))

    def action_start(self) -> None:
        if self.answers is None:
            return
        self.notify("Opening the setup…", timeout=2)
        self.open_setup(self.answers)

    @work(thread=True, exclusive=True)
    def open_setup(self, answers: Answers) -> None:
        self.app.open_and_run(answers, None)
