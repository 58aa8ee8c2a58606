"""The full run log, growing while it is open; the file beside the checkpoint has timestamps and details."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Log, Static

from screens.config import display_path


class LogScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [Binding("escape,l", "dismiss", "Close log")]

    def __init__(self, lines: list[str], log_file: Path):
        super().__init__()
        self.lines = lines
        self.log_file = log_file
        self._shown = 0

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Full log[/b]  [dim]also in {display_path(self.log_file)}[/dim]", classes="title")
        yield Log(id="full-log", auto_scroll=True)
        yield Footer()

    def on_mount(self) -> None:
        self._follow()
        self.set_interval(0.5, self._follow)

    def _follow(self) -> None:
        new = self.lines[self._shown :]
        if new:
            self.query_one(Log).write_lines(new)
            self._shown += len(new)

    def action_dismiss(self) -> None:
        self.dismiss(None)
