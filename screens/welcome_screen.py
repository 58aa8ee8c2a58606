"""First contact: what the wizard will create, roughly how long it takes and what it costs."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from screens.app import WizardApp

WHAT = """\
From an empty subscription to a [b]scheduled batch-scoring pipeline[/b]. The wizard creates, in one
resource group:

  • a Data Science VM (Windows or Linux) with Jupyter, for development
  • an Azure ML workspace with its storage, and optionally a GPU cluster
  • the batch-scoring pipeline and a scheduler that runs it (AML schedule,
    Data Factory, Functions or Logic Apps)

[b]Time[/b]: about 7 short questions, then 15-25 minutes of Azure work. You can quit at
any point; running it again resumes without redoing finished steps.
[b]Cost[/b]: mostly the VM, roughly $0.19-0.37 an hour while it runs (auto-shutdown is on
by default). One command deletes everything at the end.
"""

DEMO = "\n[yellow]Demo mode[/yellow]: against a local ARM emulator, nothing is created in Azure."


class WelcomeScreen(Screen):
    BINDINGS: ClassVar = [Binding("enter", "begin", "Begin")]

    app: WizardApp

    def compose(self) -> ComposeResult:
        yield Static("[b]scoring-wizard[/b]  [dim]welcome[/dim]", classes="title")
        with VerticalScroll(id="welcome-body"):
            yield Static(WHAT + (DEMO if self.app.config.demo else ""), id="welcome-text")
            yield Static("Press [b]Enter[/b] to begin.", classes="note")
        yield Footer()

    def action_begin(self) -> None:
        self.app.start_questions()
