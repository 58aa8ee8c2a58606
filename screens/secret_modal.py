"""Asks for a secret a step needs (the Windows VM password): masked, typed twice, checked with its rule as it
is typed. The value goes to `secret_inputs.provide` and is never shown, stored or logged."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wizard import secret_inputs
from wizard.secret_inputs import SecretSpec


class SecretModal(ModalScreen[bool]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, spec: SecretSpec):
        super().__init__()
        self.spec = spec

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="secret-dialog"):
            yield Static(f"[b]{self.spec.prompt}[/b]", classes="dialog-title")
            if self.spec.rule:
                yield Static(self.spec.rule.capitalize() + ".", classes="note", markup=False)
            yield Static(f"Never stored; set {self.spec.env_var} to skip this question.", classes="note")
            with Horizontal(classes="field-row"):
                yield Label("Password", classes="field-label")
                yield Input(password=True, id="secret", compact=True)
            if self.spec.confirm:
                with Horizontal(classes="field-row"):
                    yield Label("Confirm", classes="field-label")
                    yield Input(password=True, id="again", compact=True)
            yield Static("", id="secret-problem", classes="field-note problem")
            with Horizontal(classes="buttons"):
                yield Button("Continue", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.app.config.cursor_blink
        self.query_one("#secret").focus()

    def _problem(self) -> str | None:
        secret = self.query_one("#secret", Input).value
        problem = self.spec.validate(secret) if secret else "type it in"
        if problem is None and self.spec.confirm and self.query_one("#again", Input).value != secret:
            problem = "the two entries differ"
        return problem

    def on_input_changed(self) -> None:
        self.query_one("#secret-problem", Static).update(self._problem() or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "secret" and self.spec.confirm:
            self.query_one("#again").focus()
        else:
            self._accept()

    def _accept(self) -> None:
        problem = self._problem() or secret_inputs.provide(self.spec, self.query_one("#secret", Input).value)
        if problem:
            self.query_one("#secret-problem", Static).update(problem)
            return
        self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._accept()
        else:
            self.dismiss(False)
