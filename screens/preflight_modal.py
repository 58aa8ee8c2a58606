"""Preflight's problems before the first create: all of them at once, each with what to do, and the way back to
the answers (nothing was created, so changing them is free)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from wizard.preflight import Findings


class PreflightModal(ModalScreen[None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Back to the review")]

    def __init__(self, findings: Findings):
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="preflight-dialog"):
            yield Static("[b]Preflight found problems; nothing was created[/b]")
            with VerticalScroll():
                yield Static("\n".join(self.findings.lines()), markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Back to the review", id="back", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
