"""First contact: what the wizard will create, roughly how long it takes and what it costs."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens import messages

if TYPE_CHECKING:
    from screens.draft import Draft

INTRO = (
    "From an empty subscription to a [b]scheduled batch-scoring pipeline[/b]. "
    "In one resource group, the wizard sets up:"
)
BUILT = (
    "the resource providers the recipe needs (Azure Container Instances too)",
    "a Data Science VM (Windows or Linux) behind a firewall open only to your address, with a daily "
    "auto-shutdown; Jupyter over an SSH tunnel or RDP",
    "an Azure ML workspace, a compute cluster, the batch-scoring pipeline and its batch endpoint, called once "
    "to check it",
)
COST = (
    "[b]Cost[/b]: mostly the VM, about $0.19-0.37 an hour while it runs (auto-shutdown is on by default); "
    "one command deletes everything at the end."
)


def scheduler_bullet(draft: Draft) -> str:
    """Which schedulers the plan builds today, asked of the plan rather than written down here."""
    from screens.choices import SCHEDULERS
    from screens.plan_text import scheduler_name
    from wizard.answers import Scheduler

    built = [scheduler_name(Scheduler(key)) for key, _ in SCHEDULERS if draft.schedules(key)]
    if not built:
        return "no scheduler yet (none is built by this version): the pipeline runs when called"
    others = " (the other choices are not built yet)" if len(built) < len(SCHEDULERS) else ""
    return f"a scheduler that calls the pipeline: {' or '.join(built)}{others}"


def bullets(items: list[str]) -> Table:
    """A bulleted list whose wrapped lines stay under their text, not under the bullet."""
    table = Table.grid(padding=(0, 1))
    table.add_column(width=3, justify="right")
    table.add_column(ratio=1)
    for item in items:
        table.add_row("•", item)
    return table


SCHEDULER_PENDING = "a scheduler that calls the pipeline"
DEMO = "\n[yellow]Demo mode[/yellow]: against a local ARM emulator, nothing is created in Azure."


class WelcomeScreen(Screen):
    BINDINGS: ClassVar = [Binding("enter", "begin", "Begin")]

    def compose(self) -> ComposeResult:
        yield Static("[b]scoring-wizard[/b]  [dim]welcome[/dim]", classes="title")
        with VerticalScroll(id="welcome-body"):
            yield Static(INTRO, classes="welcome-intro")
            yield Static(bullets([*BUILT, SCHEDULER_PENDING]), id="welcome-text")
            yield Static(self._time("a few"), id="welcome-time", classes="welcome-intro")
            yield Static("Press [b]Enter[/b] to begin.", classes="note")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.warmed:
            self.fill_in()

    def fill_in(self) -> None:
        """What only the plan knows (the schedulers it builds, how many questions it asks) is written in once the
        app has warmed up after the first paint: the plan imports the engine, which takes longer than reading the
        first lines."""
        self.query_one("#welcome-text", Static).update(bullets([*BUILT, scheduler_bullet(self.app.draft)]))
        self.query_one("#welcome-time", Static).update(self._time(str(self.app.question_count)))

    def _time(self, questions: str) -> str:
        return (
            f"[b]Time[/b]: {questions} short questions, then 15-25 minutes of Azure work; quit at any point and run "
            "it again to resume without redoing finished steps. " + COST + (DEMO if self.app.config.demo else "")
        )

    def action_begin(self) -> None:
        self.post_message(messages.BeginQuestions())
