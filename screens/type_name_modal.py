"""The last gate before a teardown: the setup's name typed back, as `scoring-wizard destroy` asks for it, so that
no Enter pressed out of habit deletes anything."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class TypeNameModal(ModalScreen[bool]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, name: str, what: str, *, cursor_blink: bool = True):
        super().__init__()
        self.setup_name = name
        self.what = what  # "3 resources"
        self.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog failure", id="type-name-dialog"):
            yield Static(f"[b]Delete {self.what} of {self.setup_name}?[/b]", classes="dialog-title")
            yield Static(f"Type {self.setup_name} to confirm. Nothing else is deleted.", classes="note", markup=False)
            yield Input(placeholder=self.setup_name, id="typed-name", compact=True)
            yield Static("", id="typed-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("Destroy", variant="error", id="destroy", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        typed = self.query_one("#typed-name", Input)
        typed.cursor_blink = self.cursor_blink
        typed.focus()

    def on_input_submitted(self) -> None:
        self._accept()

    def _accept(self) -> None:
        if self.query_one("#typed-name", Input).value.strip() != self.setup_name:
            self.query_one("#typed-problem", Static).update(f"that is not {self.setup_name}: nothing was deleted")
            return
        self.dismiss(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "destroy":
            self._accept()
        else:
            self.dismiss(False)
