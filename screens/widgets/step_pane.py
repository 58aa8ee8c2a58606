"""One step's live pane: status and elapsed time, the ARM operation under way, and its last log lines.

Only a running or failed step needs that much room: the pane is shown only then, and every step also has a
one-line summary (`line`: mark, title, state) that the progress screen lays out in plan order, so that a plan of
twenty-odd steps fits at 80x24 with its running steps shown in full below it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

MARKS = {
    "pending": ("·", "waiting"),
    "running": ("▶", "running"),
    "succeeded": ("✓", "done"),
    "reused": ("✓", "already there"),
    "skipped": ("↷", "skipped"),
    "failed": ("✗", "failed"),
    "blocked": ("‖", "blocked"),
    "stopped": ("■", "stopped"),
}


FULL = ("running", "failed")  # the states shown as a whole pane; the others are one line


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class StepPane(Vertical):
    """Rendered from its state; the progress screen feeds it the runner's events for this step."""

    def __init__(self, key: str, title: str, clock: Callable[[], float], log_lines: int = 2):
        super().__init__(id=f"step-{key}", classes="step-pane")
        self.line = Static(id=f"line-{key}", classes="step-line -pending")
        self.key = key
        self.title = title
        self.border_title = title
        self.clock = clock
        self.started: float | None = None
        self.ended: float | None = None
        self.lines: deque[str] = deque(maxlen=log_lines)
        self.status = "pending"
        self.operation = ""

    def compose(self) -> ComposeResult:
        yield Static(classes="step-status")
        yield Static(classes="step-operation", markup=False)
        yield Static(classes="step-log", markup=False)

    def on_mount(self) -> None:
        self.render_state()

    def set_status(self, status: str) -> None:
        if status == "running" and self.started is None:
            self.started, self.ended = self.clock(), None
        elif status not in ("running", "pending") and self.started is not None and self.ended is None:
            self.ended = self.clock()
        self.status = status
        self.render_state()

    def add_log(self, line: str) -> None:
        self.lines.append(line)
        self.render_state()

    def set_operation(self, message: str) -> None:
        """Show the operation under way; the runner's "operation <state>" lines add the state to the operation
        (e.g. "PUT Microsoft.Network/virtualNetworks/demo-vnet · InProgress") instead of hiding it."""
        state = message.removeprefix("operation ")
        if state != message and self.operation:
            message = f"{self.operation.split(' · ')[0]} · {state}"
        self.operation = message
        self.render_state()

    @property
    def elapsed(self) -> str:
        if self.started is None:
            return ""
        return format_elapsed((self.ended if self.ended is not None else self.clock()) - self.started)

    def render_state(self) -> None:
        """Show the state; a part whose text is unchanged is left alone, since every update costs a layout of
        the whole progress screen and a run sends many events that change nothing visible."""
        mark, word = MARKS[self.status]
        for name in MARKS:
            self.line.set_class(name == self.status, f"-{name}")
        shown = self.elapsed if self.status == "succeeded" else " ".join(filter(None, (word, self.elapsed)))
        detail = f"{shown} · {self.operation}" if self.status == "blocked" and self.operation else shown
        _show(self.line, f"{mark} {escape(self.title)}  {escape(detail)}")
        self.display = self.status in FULL
        if not self.is_mounted:
            return
        self.set_class(self.status == "failed", "-failed")
        _show(self.query_one(".step-status", Static), f"{mark} {word}  {self.elapsed}".rstrip())
        for selector, text in ((".step-operation", self.operation), (".step-log", "\n".join(self.lines))):
            part = self.query_one(selector, Static)
            _show(part, text)
            part.display = bool(text)  # a pane is only as tall as what it has to say


def _show(part: Static, text: str) -> None:
    if part.content != text:
        part.update(text)
