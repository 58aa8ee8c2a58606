"""How often the scheduler calls the pipeline, with the next five fire times shown as the answer changes.

Asked only when the plan builds a scheduler (the flow's predicate). Every field is checked by `answers.Recurrence`
itself, so what this screen accepts is exactly what Data Factory, Logic Apps, Azure ML and Functions fire alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label, Select, Static

from screens import recurrence_text
from screens.questions.question_screen import QuestionScreen
from screens.widgets.field import RuleField
from wizard.answers import Frequency, check_field


def _check_interval(value: str) -> str | None:
    """The number alone; whether it suits the unit is the whole schedule's rule, shown beside the fire times."""
    return None if value.isdigit() and 1 <= int(value) <= 1000 else "a whole number from 1 to 1000"


class RecurrenceScreen(QuestionScreen):
    fields = ("recurrence",)
    heading = "Schedule"
    intro = "When the scheduler calls the batch-scoring pipeline."

    def compose_body(self) -> ComposeResult:
        blink = self.app.config.cursor_blink
        values = self.draft.get("recurrence") or {}

        def field(label: str, value: str, check: Callable[[str], str | None], field_id: str, hint: str) -> RuleField:
            return RuleField(label, value, check, field_id=field_id, hint=hint, cursor_blink=blink)

        with Horizontal(id="recurrence"):
            with VerticalScroll(id="recurrence-fields"):
                with Horizontal(classes="field-row frequency-row"):
                    yield Label("Unit", classes="field-label")
                    yield Select(
                        [(f.value, f.value) for f in Frequency],
                        value=values.get("frequency", Frequency.DAY.value),
                        allow_blank=False,
                        compact=True,
                        id="frequency",
                    )
                yield field("Every", str(values.get("interval", 1)), _check_interval, "interval", "how many units")
                yield field(
                    "Starts",
                    recurrence_text.show_start(values.get("start")) or "2026-01-01 02:00",
                    recurrence_text.check_with(recurrence_text.parse_start),
                    "start",
                    "first run, in the time zone below",
                )
                yield field(
                    "Time zone",
                    values.get("time_zone", "UTC"),
                    lambda v: check_field("recurrence", {"time_zone": v}),
                    "time-zone",
                    "IANA name: UTC, Europe/Paris…",
                )
                for part in recurrence_text.OPTIONAL_PARTS:
                    value = recurrence_text.show_list(values.get(part.name))
                    yield field(part.label, value, recurrence_text.check_with(part.parse), part.field_id, part.hint)
            yield Static(id="fire-times", classes="fire-times")

    def on_mount(self) -> None:
        self.query_one("#interval").focus()  # Enter in a field means Next; in the unit's Select it opens the list
        self.save()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.save()
        self.refresh_bindings()

    def _typed(self) -> dict[str, Any]:
        """The recurrence as the fields stand, leaving out what does not parse (its field shows why)."""

        def text(field_id: str) -> str:
            return self.query_one(f"#{field_id}-field", RuleField).value

        frequency = str(self.query_one("#frequency", Select).value)
        values: dict[str, Any] = {"frequency": frequency, "time_zone": text("time-zone").strip()}
        parts = recurrence_text.PARTS.get(frequency, ())
        parsers: list[tuple[str, str, Callable[[str], Any]]] = [
            ("interval", "interval", lambda v: int(v) if v.isdigit() else None),
            ("start", "start", recurrence_text.parse_start),
            *((p.name, p.field_id, p.parse) for p in recurrence_text.OPTIONAL_PARTS if p.name in parts),
        ]
        for name, field_id, parse in parsers:
            try:
                values[name] = parse(text(field_id))
            except ValueError:
                values[name] = None
        return {name: value for name, value in values.items() if value is not None}

    def problems(self) -> list[str]:
        found = [problem for problem in super().problems() if self._shown(problem)]
        if not found:
            whole = recurrence_text.problem(self._typed())
            if whole:
                found.append(f"Schedule: {whole}")
        return found

    def _shown(self, problem: str) -> bool:
        """Problems of the fields hidden for this frequency do not count."""
        hidden = [field.label for field in self.query(RuleField) if not field.display]
        return not any(problem.startswith(f"{label}:") for label in hidden)

    def save(self) -> None:
        values = self._typed()
        parts = recurrence_text.PARTS.get(values["frequency"], ())
        for part in recurrence_text.OPTIONAL_PARTS:
            self.query_one(f"#{part.field_id}-field", RuleField).display = part.name in parts
        self.draft.values["recurrence"] = values
        self._show_fire_times(values)

    def _show_fire_times(self, values: dict[str, Any]) -> None:
        zone = self.app.config.time_zone
        panel = self.query_one("#fire-times", Static)
        problems = self.problems()
        if problems:
            panel.update(f"[b]Next runs[/b]\n\n✗ {problems[0].split(': ', 1)[-1]}")
            return
        times = recurrence_text.fire_times(values, self.app.config.now(), zone)
        panel.update(f"[b]Next runs[/b]\n[dim]{zone} (your time)[/dim]\n\n" + "\n".join(times))
