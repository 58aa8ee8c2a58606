"""What a screen tells the app: it says what happened and the app decides what comes next (`@on` handlers in
`screens.app`), so that no screen needs to know the app's navigation to do its own job."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from wizard.answers import Answers
    from wizard.session import Session


class Answered(Message):
    """A question screen's answers are saved and valid: on to the next question (or the review)."""

    def __init__(self, screen: Screen):
        super().__init__()
        self.screen = screen


class Back(Message):
    """Back one question (from a question or the review); what was typed stays in the draft."""

    def __init__(self, screen: Screen):
        super().__init__()
        self.screen = screen


class BeginQuestions(Message):
    """Start answering the questions for a new setup."""


class NoSetupsLeft(Message):
    """The start screen has nothing to list any more (the last setup was deleted)."""


class RunSucceeded(Message):
    """Every step of the session's plan is done."""

    def __init__(self, session: Session):
        super().__init__()
        self.session = session


class ExitWizard(Message):
    """Quit now, with the exit code that says how the setup stands."""


class ChangeAnswer(Message):
    """A failure's remedy is another answer: open its question, then call `then` (the resume) if it changed."""

    def __init__(self, field: str, session: Session, then: Callable[[], None]):
        super().__init__()
        self.field = field
        self.session = session
        self.then = then


class Destroy(Message):
    """Tear the setup down: show what it made, ask its name typed back, then delete (see screens.destroy_screen)."""

    def __init__(self, checkpoint_path: Path):
        super().__init__()
        self.checkpoint_path = checkpoint_path


class TeardownClosed(Message):
    """The destroy screen is left: back where it was opened from, or (`destroyed`) to the setups."""

    def __init__(self, session: Session, *, owned: bool, destroyed: bool):
        super().__init__()
        self.session = session
        self.owned = owned
        self.destroyed = destroyed


class OpenSetup(Message):
    """Open a new setup (`answers`) or an existing one (`checkpoint_path`), check it, then show its progress."""

    def __init__(self, answers: Answers | None = None, checkpoint_path: Path | None = None):
        super().__init__()
        self.answers = answers
        self.checkpoint_path = checkpoint_path


class OpenShared(Message):
    """Resume a shared setup (blob://…), taking its lease."""

    def __init__(self, address: str):
        super().__init__()
        self.address = address
