"""Shows the answers file before writing it, so the user sees exactly what `run --answers` will replay."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from wizard import answers as answer_files
from wizard.answers import Answers


class SaveAnswersModal(ModalScreen[Path | None]):
    BINDINGS: ClassVar = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, answers: Answers, path: Path):
        super().__init__()
        self.answers = answers
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="save-dialog"):
            yield Static("[b]Save answers[/b]  replay later with [b]scoring-wizard run --answers FILE[/b]")
            with VerticalScroll(classes="toml"):
                yield Static(self.answers.to_toml(), markup=False, id="toml")
            with Horizontal(classes="field-row"):
                yield Label("File", classes="field-label")
                yield Input(str(self.path), id="answers-path", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#answers-path", Input).cursor_blink = self.app.config.cursor_blink
        self.query_one("#save").focus()

    def _save(self) -> None:
        path = Path(self.query_one("#answers-path", Input).value).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            answer_files.save(self.answers, path)
        except OSError as error:
            self.notify(f"Could not write {path}: {error.strerror}", severity="error")
            return
        self.app.answers_file = path
        self.notify(f"Saved {path}")
        self.dismiss(path)

    def on_input_submitted(self) -> None:
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)
