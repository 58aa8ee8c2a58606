"""One recurrence (``answers.Recurrence``) rendered for each scheduler, and when it fires.

Every rendering states the whole pattern explicitly (hours, minutes and week days default to the start's) so no
service fills a gap with its own default: that is what makes the four agree instant for instant. The fire times
come from the NCRONTAB form through croniter, a maintained cron library, rather than from a second hand-written
calendar walk that could drift from what the Functions host does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from croniter import croniter
from tzlocal.windows_tz import tz_win

from wizard.answers import Frequency, Recurrence, WeekDay

_CRON_DAY = {day: str(number) for number, day in enumerate([WeekDay.SUNDAY, *list(WeekDay)[:6]])}


def _pattern(recurrence: Recurrence) -> tuple[list[int], list[int], list[WeekDay]]:
    start = recurrence.start
    return (
        recurrence.hours or [start.hour],
        recurrence.minutes or [start.minute],
        recurrence.week_days or [list(WeekDay)[start.weekday()]],
    )


def windows_time_zone(recurrence: Recurrence) -> str:
    """Data Factory, Logic Apps and Azure ML name zones the Windows way ("Romance Standard Time")."""
    return "UTC" if recurrence.time_zone == "UTC" else tz_win[recurrence.time_zone]


def _recurrence_object(recurrence: Recurrence) -> dict[str, Any]:
    """The recurrence JSON Data Factory's ScheduleTrigger and Logic Apps' Recurrence trigger share."""
    body: dict[str, Any] = {
        "frequency": recurrence.frequency.value,
        "interval": recurrence.interval,
        "startTime": recurrence.start.isoformat(timespec="seconds"),
        "timeZone": windows_time_zone(recurrence),
    }
    hours, minutes, week_days = _pattern(recurrence)
    if recurrence.frequency is Frequency.DAY:
        body["schedule"] = {"hours": hours, "minutes": minutes}
    elif recurrence.frequency is Frequency.WEEK:
        body["schedule"] = {"hours": hours, "minutes": minutes, "weekDays": [day.value for day in week_days]}
    return body


def datafactory_recurrence(recurrence: Recurrence) -> dict[str, Any]:
    """``typeProperties.recurrence`` of a ScheduleTrigger."""
    return _recurrence_object(recurrence)


def logic_recurrence_trigger(recurrence: Recurrence) -> dict[str, Any]:
    """A Logic Apps workflow definition's Recurrence trigger."""
    return {"type": "Recurrence", "recurrence": _recurrence_object(recurrence)}


def aml_recurrence(recurrence: Recurrence) -> dict[str, Any]:
    """Keyword arguments of ``azure.ai.ml.entities.RecurrenceTrigger`` (``schedule`` for RecurrencePattern)."""
    hours, minutes, week_days = _pattern(recurrence)
    arguments: dict[str, Any] = {
        "frequency": recurrence.frequency.value.lower(),
        "interval": recurrence.interval,
        "start_time": recurrence.start.isoformat(timespec="seconds"),
        "time_zone": windows_time_zone(recurrence),
    }
    if recurrence.frequency is Frequency.DAY:
        arguments["schedule"] = {"hours": hours, "minutes": minutes}
    elif recurrence.frequency is Frequency.WEEK:
        arguments["schedule"] = {"hours": hours, "minutes": minutes, "week_days": [d.value.lower() for d in week_days]}
    return arguments


def aml_recurrence_trigger(recurrence: Recurrence) -> Any:
    """The ``azure.ai.ml.entities.RecurrenceTrigger`` of an Azure ML JobSchedule (imported only when built)."""
    from azure.ai.ml.entities import RecurrencePattern, RecurrenceTrigger

    arguments = aml_recurrence(recurrence)
    pattern = arguments.pop("schedule", None)
    return RecurrenceTrigger(**arguments, schedule=RecurrencePattern(**pattern) if pattern else None)


def ncrontab(recurrence: Recurrence) -> str:
    """A Functions timer trigger schedule: six fields, seconds first, evaluated in ``WEBSITE_TIME_ZONE``."""
    start, interval = recurrence.start, recurrence.interval
    hour_list, minute_list, day_list = _pattern(recurrence)
    hours, minutes = ",".join(map(str, hour_list)), ",".join(map(str, minute_list))
    week_days = ",".join(_CRON_DAY[day] for day in day_list)
    match recurrence.frequency:
        case Frequency.MINUTE:
            return f"0 {start.minute % interval}/{interval} * * * *"
        case Frequency.HOUR:
            return f"0 {start.minute} {start.hour % interval}/{interval} * * *"
        case Frequency.DAY:
            return f"0 {minutes} {hours} * * *"
        case Frequency.WEEK:
            return f"0 {minutes} {hours} * * {week_days}"
        case Frequency.MONTH:
            return f"0 {start.minute} {start.hour} {start.day} * *"
    raise AssertionError(recurrence.frequency)


def next_fire_times(recurrence: Recurrence, n: int, after: datetime) -> list[datetime]:
    """The next ``n`` instants (aware, UTC) strictly after ``after`` at which the schedule fires."""
    zone = ZoneInfo(recurrence.time_zone)
    start = recurrence.start.replace(tzinfo=zone)
    base = max(after.astimezone(zone), start - timedelta(seconds=1))
    times = croniter(ncrontab(recurrence), base, second_at_beginning=True)
    return [times.get_next(datetime).astimezone(UTC) for _ in range(n)]
