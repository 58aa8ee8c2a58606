"""The end: what was created and how to reach it, the files written, and how to tear it all down."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from screens import messages
from screens.config import display_path
from screens.plan_text import unscheduled
from screens.widgets.long_lines import LongLines
from wizard import plan as planning
from wizard.checkpoint import Document, StepStatus

# Output keys that tell a user how to reach what was created, when a step gives no `instructions` list.
LABEL = re.compile(r"^\s*[A-Z][\w ]{0,40}: ")  # "Tunnel: ", "Portal: "
URL = re.compile(r"https?://\S+")
HINT_KEYS = ("ssh_command", "rdp_file", "jupyter_url", "endpoint", "scoring_url", "next_run", "next_fire_time")


@dataclass(frozen=True)
class DoneInfo:
    """What the done screen shows, read from the checkpoint (so a resumed run shows the same)."""

    document: Document
    checkpoint_path: Path
    answers_file: Path | None = None

    @property
    def files_dir(self) -> Path:
        return self.checkpoint_path.with_suffix(".files")

    def files(self) -> list[tuple[str, Path]]:
        found = [("checkpoint", self.checkpoint_path), ("log", self.checkpoint_path.with_suffix(".log"))]
        if self.answers_file is not None:
            found.append(("answers", self.answers_file))
        if self.files_dir.is_dir():
            found += [("file", p) for p in sorted(self.files_dir.iterdir())]
        return found


def connect_lines(document: Document) -> list[str]:
    """How to use the setup: every step's `instructions`, else its connection-like outputs."""
    lines: list[str] = []
    for record in document.steps.values():
        outputs = record.outputs
        if isinstance(outputs.get("instructions"), list):
            lines += [str(line) for line in outputs["instructions"]]
        else:
            lines += [f"{key.replace('_', ' ')}: {outputs[key]}" for key in HINT_KEYS if outputs.get(key)]
    return lines


def created_lines(document: Document) -> list[str]:
    """One line per step: what it made (its summary or name), or that it was skipped."""
    lines = []
    for step in planning.build(document.answers).steps:
        record = document.steps.get(step.key)
        if record is None:
            continue
        if record.status is StepStatus.SKIPPED:
            lines.append(f"↷ {step.title}: skipped")
            continue
        detail: Any = record.outputs.get("summary") or record.outputs.get("name") or ""
        lines.append(f"✓ {step.title}" + (f": {detail}" if detail else ""))
    return lines


def copyable(line: str) -> str:
    """What `c` copies of a connect line: its URL, else its command, without the label that introduces it."""
    rest = LABEL.sub("", line, count=1).strip()
    url = URL.match(rest)
    return url.group(0) if url else rest


class DoneScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("q", "app.finish", "Quit"),
        Binding("enter", "app.finish", "Quit", show=False),
        Binding("x", "destroy", "Destroy"),
        Binding("c", "copy", "Copy line"),
    ]

    def __init__(self, info: DoneInfo):
        super().__init__()
        self.info = info
        self.connect = connect_lines(info.document)

    def compose(self) -> ComposeResult:
        answers = self.info.document.answers
        yield Static(
            f"[b green]✓ Setup complete[/b green]  {answers.resource_group} in {answers.region}", classes="title done"
        )
        with VerticalScroll(id="done-body"):
            yield Static(  # first: a long list of connect lines must not push it off a small terminal
                Group(
                    Text.from_markup(
                        "[b]Tear down[/b]: press x, or later (stops all costs; deletes only what it made)"
                    ),
                    LongLines([f"scoring-wizard destroy --checkpoint {display_path(self.info.checkpoint_path)}"]),
                ),
                id="teardown",
            )
            missing = unscheduled(planning.build(answers))
            if missing:
                yield Static(missing, classes="note")
            if self.connect:
                yield Static("[b]Connect[/b]  [dim]↑↓ pick a line, c copies it whole[/dim]", classes="heading")
                yield OptionList(*[Option(LongLines([line])) for line in self.connect], id="connect")
            files = LongLines(f"{label:<11} {display_path(path)}" for label, path in self.info.files())
            yield Static(Group(Text("Files written", style="bold"), files), id="files")
            created = "\n".join(f"  {line}" for line in created_lines(self.info.document))
            yield Static(Text.assemble(("Created\n", "bold"), created), id="created")
        yield Footer()

    def on_mount(self) -> None:
        for found in self.query("#connect"):
            found.focus(scroll_visible=False)  # scrolled to, it would push the tear-down line off a small terminal

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return bool(self.connect) if action == "copy" else True

    def on_option_list_option_selected(self) -> None:
        self.action_copy()

    def action_copy(self) -> None:
        index = self.query_one("#connect", OptionList).highlighted
        if index is None:
            return
        text = copyable(self.connect[index])
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {text[:60]}{'…' if len(text) > 60 else ''}", timeout=4)

    def action_destroy(self) -> None:
        self.post_message(messages.Destroy(self.info.checkpoint_path))
