"""A labelled text input that states the rule it breaks while the user types, with Azure's own wording."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.validation import ValidationResult, Validator
from textual.widgets import Input, Label, Static

Check = Callable[[str], str | None]


class RuleValidator(Validator):
    """Adapts an engine check (value → problem or None) to Textual's validation, for the red border."""

    def __init__(self, check: Check):
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        problem = self.check(value)
        return self.failure(problem) if problem else self.success()


class RuleField(Vertical):
    """Label, one-line input and a note line that shows the hint, or the broken rule when there is one."""

    def __init__(
        self,
        label: str,
        value: str,
        check: Check,
        *,
        field_id: str,
        hint: str = "",
        placeholder: str = "",
        cursor_blink: bool = True,
        suggester: Suggester | None = None,
    ):
        super().__init__(id=f"{field_id}-field", classes="rule-field")
        self.label = label
        self.check = check
        self.hint = hint
        self._input = Input(
            value,
            placeholder=placeholder,
            id=field_id,
            validators=[RuleValidator(check)],
            validate_on=["changed", "submitted"],
            compact=True,
            suggester=suggester,
        )
        self._input.cursor_blink = cursor_blink

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            yield self._input
        yield Static(self.hint, classes="field-note", markup=False)

    def on_mount(self) -> None:
        self.refresh_note()

    @property
    def value(self) -> str:
        return self._input.value

    @property
    def problem(self) -> str | None:
        return self.check(self._input.value)

    def refresh_note(self) -> None:
        problem = self.problem
        note = self.query_one(".field-note", Static)
        note.update(f"✗ {problem}" if problem else self.hint)
        self.set_class(problem is not None, "-problem")
        self._input.set_class(problem is not None, "-invalid")

    def point_out(self) -> None:
        """Next was pressed while this field is wrong: say so on its own note line and put the cursor there."""
        self.query_one(".field-note", Static).update(f"✗ Fix this first: {self.problem}")
        self._input.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_note()
