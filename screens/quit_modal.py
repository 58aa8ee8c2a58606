"""Quitting mid-run: Azure keeps working on what it accepted either way, and the checkpoint stays consistent;
the choice is whether the wizard quits now (leave running, the default) or stops and stays to run again."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

QuitChoice = Literal["leave", "stop"]


class QuitModal(ModalScreen[QuitChoice | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Keep watching")]

    def __init__(self, running: int):
        super().__init__()
        self.running = running

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="quit-dialog"):
            yield Static(f"[b]Quit while {self.running} step(s) are running?[/b]", classes="dialog-title")
            yield Static(
                "Leave running: Azure finishes the operations it accepted; run the wizard again to resume — "
                "finished steps are not redone and in-flight operations are picked up.\n"
                "Stop: stop starting and waiting for steps, and stay here to run again later."
            )
            with Horizontal(classes="buttons"):
                yield Button("Leave running and quit", variant="primary", id="leave", compact=True)
                yield Button("Stop", id="stop", compact=True)
                yield Button("Keep watching", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#leave").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)
