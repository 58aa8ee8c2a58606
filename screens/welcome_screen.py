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

WHAT = (
    "From an empty subscription towards a [b]scheduled batch-scoring pipeline[/b]. "
    "In one resource group, the wizard sets up:\n\n"
    "  • the resource providers the recipe needs, Azure Container Instances included\n"
    "  • a Data Science VM (Windows or Linux) for development, with its network, a firewall open only to "
    "your address, and a daily auto-shutdown; you reach its Jupyter over an SSH tunnel or RDP\n\n"
    "Still to come in this wizard: the Azure ML workspace, the batch-scoring pipeline and its scheduler.\n\n"
    "[b]Time[/b]: about 7 short questions, then 5-10 minutes of Azure work (the VM takes longest). "
    "You can quit at any point; running it again resumes without redoing finished steps.\n"
    "[b]Cost[/b]: mostly the VM, roughly $0.19-0.37 an hour while it runs (auto-shutdown is on by default). "
    "One command deletes everything at the end.\n"
)

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
