"""The run log of this setup, every run so far and growing while it is open, read from the file beside the
checkpoint: a resumed run shows what happened before it, and the TUI and the file never disagree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Log, Static

from screens.config import display_path

# wizard.logs.FORMAT: "2026-12-01 23:20:25,571 INFO scoring_wizard.runner step_0: message"
RECORD = re.compile(r"^\d{4}-\d\d-\d\d (?P<time>\d\d:\d\d:\d\d),\d+ (?P<level>\w+) \S+ [^:]*: (?P<message>.*)$")


class LogLines:
    """Turns log file lines into what the log view shows: the time, the level if not INFO, the message; a
    step's message equal to its previous one (a poll that saw no change) is left out."""

    def __init__(self) -> None:
        self._last: dict[str, str] = {}

    def __call__(self, lines: list[str]) -> list[str]:
        shown = []
        for line in lines:
            record = RECORD.match(line)
            if record is None:
                shown.append(line)
                continue
            message = record["message"]
            key = message.split(": ", 1)[0]
            if self._last.get(key) == message:
                continue
            self._last[key] = message
            level = "" if record["level"] == "INFO" else f"{record['level']} "
            shown.append(f"[{record['time']}] {level}{message}")
        return shown


class LogScreen(ModalScreen[None]):
    BINDINGS: ClassVar = [Binding("escape,l", "dismiss", "Close log")]

    def __init__(self, log_file: Path):
        super().__init__()
        self.log_file = log_file
        self._read = 0
        self._partial = ""
        self._format = LogLines()

    def compose(self) -> ComposeResult:
        yield Static(f"[b]Full log[/b]  [dim]{display_path(self.log_file)}[/dim]", classes="title")
        yield Log(id="full-log", auto_scroll=True)
        yield Footer()

    def on_mount(self) -> None:
        self._follow()
        self.set_interval(0.5, self._follow)

    def _follow(self) -> None:
        try:
            with self.log_file.open(encoding="utf-8", errors="replace") as file:
                file.seek(self._read)
                chunk = file.read()
                self._read = file.tell()
        except OSError:
            return
        text = self._partial + chunk
        lines = text.split("\n")
        self._partial = lines.pop()
        shown = self._format(lines)
        if shown:
            self.query_one(Log).write_lines(shown)

    def action_dismiss(self) -> None:
        self.dismiss(None)
