"""What every question screen shares: a numbered title, Enter for next, Escape for back, and a gate.

The gate is `problems()`: while it returns anything, Next is shown disabled and pressing it only points at
the problem, so an invalid answer never reaches the review screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from screens import messages
from screens.widgets.field import RuleField

if TYPE_CHECKING:
    from screens.draft import Draft


class QuestionScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("enter", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]
    heading: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()  # the answers this screen asks for
    intro: ClassVar[str] = ""

    @property
    def draft(self) -> Draft:
        return self.app.draft

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="question-title", classes="title")
        if self.intro:
            yield Static(self.intro, classes="intro")
        with Vertical(classes="question-body"):
            yield from self.compose_body()
            yield Static(id="blocked", classes="problem")
        yield Footer()

    def _title(self) -> str:
        number = self.app.question_number(type(self))
        return f"[b]{self.heading}[/b]  [dim]question {number} of {self.app.question_count} · Tab: next field[/dim]"

    def refresh_title(self) -> None:
        """The number of questions follows the answers (a scheduler the plan builds adds the schedule)."""
        self.query_one("#question-title", Static).update(self._title())

    def compose_body(self) -> ComposeResult:
        yield from ()

    def problems(self) -> list[str]:
        """What stops this question from being answered; empty when Next may proceed."""
        return [f"{field.label}: {field.problem}" for field in self.query(RuleField) if field.problem]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return not self.problems() or None
        return True

    def save(self) -> None:
        """Write this screen's values into the draft (called on every change and before leaving)."""

    def action_next(self) -> None:
        problems = self.problems()
        if problems:
            # Beside the field (or under the form), not in a toast that covers the form being fixed.
            invalid = [field for field in self.query(RuleField) if field.problem and field.display]
            if invalid:
                invalid[0].point_out()
            else:
                self.query_one("#blocked", Static).update(f"✗ Fix this first: {problems[0]}")
            return
        self.save()
        self.post_message(messages.Answered(self))

    def action_back(self) -> None:
        self.save()
        self.post_message(messages.Back(self))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#blocked", Static).update("")
        self.save()
        self.refresh_bindings()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter anywhere submits the question, like a form: Tab moves between its fields."""
        event.stop()
        self.action_next()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.save()
        self.action_next()
