"""A failed step: the ARM code and message, what it means and what to do (the engine's error table), the
portal or docs link, and the ways on: change the answer that fixes it (then resume), retry, skip (optional
steps only), or quit and resume later."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from wizard.azure.errors import ErrorInfo
from wizard.remedies import LABELS, answers_to_change

# Or "change:<answer field>": edit that answer, then resume.
FailureChoice = Literal["retry", "skip", "quit"] | str


class FailureModal(ModalScreen[FailureChoice]):
    BINDINGS: ClassVar = [
        Binding("c", "change", "Change the answer"),
        Binding("r", "choose('retry')", "Retry"),
        Binding("s", "choose('skip')", "Skip"),
        Binding("q", "choose('quit')", "Quit, resume later"),
        Binding("l", "show_log", "Full log"),
        Binding("escape", "dismiss(None)", "Close"),
    ]

    def __init__(self, title: str, error: ErrorInfo, *, optional: bool, show_log: Callable[[], None]):
        super().__init__()
        self.changeable = answers_to_change(error.code)
        self.step_title = title
        self.error = error
        self.optional = optional
        self.show_log = show_log

    def compose(self) -> ComposeResult:
        e = self.error
        with Vertical(classes="dialog failure", id="failure-dialog"):
            yield Static(f"[b]✗ {self.step_title} failed[/b]", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(
                    f"{e.code}" + (f" (HTTP {e.status})" if e.status else ""), classes="error-code", markup=False
                )
                yield Static(e.message, markup=False)
                if e.what:
                    yield Static(f"What happened: {e.what}", markup=False, classes="what")
                if e.todo:
                    yield Static(f"What to do: {e.todo}", markup=False, classes="todo")
                if e.link:
                    yield Static(f"More: {e.link}", markup=False, classes="link")
            with Horizontal(classes="buttons"):
                for field in self.changeable:
                    label = f"Change {LABELS.get(field, field)}"
                    yield Button(label, variant="primary", id=f"change-{field}", compact=True)
                yield Button("Retry", variant="default" if self.changeable else "primary", id="retry", compact=True)
                if self.optional:
                    yield Button("Skip this step", id="skip", compact=True)
                yield Button("Quit, resume later", id="quit", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#change-{self.changeable[0]}" if self.changeable else "#retry").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters == ("skip",):
            return self.optional
        if action == "change":
            return bool(self.changeable)
        return True

    def action_change(self) -> None:
        self.dismiss(f"change:{self.changeable[0]}")

    def action_show_log(self) -> None:
        self.show_log()

    def action_choose(self, choice: FailureChoice) -> None:
        self.dismiss(choice)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        self.dismiss(f"change:{button.removeprefix('change-')}" if button.startswith("change-") else button)
