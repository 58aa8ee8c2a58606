"""The recurrence as typed in a text field and as shown back: shared by the Textual screen and --plain.

A person types "2, 14" for hours or "mon, fri" for week days; `answers.Recurrence` wants lists. Both faces parse
with these functions and show the next fire times with `fire_times`, so they cannot disagree about a schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from wizard.answers import Frequency, Recurrence, WeekDay, check_field

START_FORMAT = "%Y-%m-%d %H:%M"
# Which optional parts of the pattern a frequency takes (the model refuses the others).
PARTS = {
    Frequency.DAY.value: ("hours", "minutes"),
    Frequency.WEEK.value: ("hours", "minutes", "week_days"),
}


def parse_numbers(text: str, highest: int) -> list[int] | None:
    """ "2, 14" → [2, 14]; empty → None (the start's own hour or minute). Raises ValueError with the rule."""
    if not text.strip():
        return None
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() and int(part) <= highest for part in parts):
        raise ValueError(f"whole numbers from 0 to {highest}, separated by commas")
    return [int(part) for part in parts]


def parse_week_days(text: str) -> list[str] | None:
    """ "mon, Fri" → ["Monday", "Friday"]; empty → None (the start's own week day)."""
    if not text.strip():
        return None
    days = []
    for part in (p.strip().lower() for p in text.split(",") if p.strip()):
        match = [day.value for day in WeekDay if len(part) >= 2 and day.value.lower().startswith(part)]
        if len(match) != 1:
            raise ValueError("week days such as Monday, Fri (commas between them)")
        days.append(match[0])
    return days


def parse_start(text: str) -> str:
    try:
        return datetime.strptime(text.strip(), START_FORMAT).isoformat(timespec="minutes")
    except ValueError:
        raise ValueError("a date and 24-hour time such as 2026-01-01 02:00") from None


def show_start(value: Any) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.strftime(START_FORMAT)


def show_list(values: list[Any] | None) -> str:
    return ", ".join(str(value) for value in values or [])


def check_with(parse: Callable[[str], Any]) -> Callable[[str], str | None]:
    """A field check (value → problem or None) from one of the parsers here."""

    def check(value: str) -> str | None:
        try:
            parse(value)
        except ValueError as error:
            return str(error)
        return None

    return check


@dataclass(frozen=True)
class Part:
    """An optional part of the pattern (a `Recurrence` field), worded the same by both faces."""

    name: str
    label: str
    hint: str
    parse: Callable[[str], list[Any] | None]

    @property
    def field_id(self) -> str:
        return self.name.replace("_", "-")


OPTIONAL_PARTS = (
    Part("hours", "At hours", "e.g. 2, 14; empty: the start's", lambda text: parse_numbers(text, 23)),
    Part("minutes", "At minutes", "e.g. 0, 30; empty: the start's", lambda text: parse_numbers(text, 59)),
    Part("week_days", "On days", "e.g. mon, fri; empty: the start's", parse_week_days),
)


def problem(values: dict[str, Any]) -> str | None:
    """What is wrong with the recurrence as a whole (the rules that span fields), or None."""
    return check_field("recurrence", values)


def fire_times(values: dict[str, Any], now: datetime, zone: tzinfo, n: int = 5) -> list[str]:
    """The next `n` fire times after `now`, as wall-clock times in `zone` (the user's own)."""
    from wizard.schedule.recurrence import next_fire_times

    recurrence = Recurrence.model_validate(values)
    return [moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M") for moment in next_fire_times(recurrence, n, now)]
