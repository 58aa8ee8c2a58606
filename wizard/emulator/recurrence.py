"""How Data Factory, Logic Apps and Azure ML evaluate a recurrence object: when a schedule comes due.

The three services share the shape ``{frequency, interval, startTime, timeZone, schedule: {hours, minutes,
weekDays}}`` and its documented rules: without ``schedule`` the trigger fires at ``startTime`` and every
``interval`` periods after it, on the wall clock of ``timeZone`` (a Windows zone id); with one, it fires at every
listed hour x minute (on the listed week days) of each period from the start on. Azure ML's RecurrenceTrigger
sends the same object with lower-case frequency and week days, wrapped with ``triggerType``, and always carries a
``schedule``: one whose lists are all empty (azure-ai-ml's ``{"hours": [], "minutes": []}`` without a pattern)
means no pattern (see :func:`aml_trigger_recurrence`). Shapes outside the ones the wizard produces are refused with
:class:`UnsupportedRecurrence`, never approximated.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tzlocal.windows_tz import win_tz

_STEP = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class UnsupportedRecurrence(ValueError):
    """The recurrence object is not one this service evaluates; the message is the service's complaint."""


def zone_of(recurrence: dict[str, Any]) -> ZoneInfo:
    name = recurrence.get("timeZone") or "UTC"
    if name == "UTC":
        return ZoneInfo("UTC")
    if name not in win_tz:
        raise UnsupportedRecurrence(f"The time zone '{name}' is not a supported time zone id.")
    return ZoneInfo(win_tz[name])


def _start(recurrence: dict[str, Any], zone: ZoneInfo) -> datetime:
    text = str(recurrence.get("startTime") or "")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UnsupportedRecurrence(f"The start time '{text}' is not a valid date and time.") from None
    return parsed.astimezone(zone).replace(tzinfo=None) if parsed.tzinfo else parsed


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    return moment.replace(year=moment.year + month // 12, month=month % 12 + 1)


def _periodic(start: datetime, frequency: str, interval: int, after: datetime) -> Iterator[datetime]:
    if frequency == "month":
        if start.day > 28:
            raise UnsupportedRecurrence("A monthly recurrence without a schedule must start on day 1 to 28.")
        skipped = max(0, ((after.year - start.year) * 12 + after.month - start.month) // interval - 1)
        while True:
            yield _add_months(start, skipped * interval)
            skipped += 1
    step = _STEP[frequency] * interval
    skipped = max(0, (after - start) // step - 1)
    while True:
        yield start + skipped * step
        skipped += 1


def _scheduled(start: datetime, frequency: str, schedule: dict[str, Any], after: datetime) -> Iterator[datetime]:
    unknown = set(schedule) - {"hours", "minutes", "weekDays"}
    if unknown or frequency not in ("day", "week"):
        raise UnsupportedRecurrence(f"Schedule {sorted(unknown) or frequency} is not supported for this trigger.")
    hours, minutes = sorted(schedule.get("hours") or [start.hour]), sorted(schedule.get("minutes") or [start.minute])
    week_days = {str(day).lower() for day in schedule.get("weekDays") or _DAYS}
    if week_days - set(_DAYS):
        raise UnsupportedRecurrence(f"Week days {sorted(week_days - set(_DAYS))} are not valid.")
    day: date = max(start.date(), after.date() - timedelta(days=1))
    while True:
        if frequency == "day" or _DAYS[day.weekday()] in week_days:
            for hour in hours:
                for minute in minutes:
                    moment = datetime(day.year, day.month, day.day, hour, minute)
                    if moment >= start:
                        yield moment
        day += timedelta(days=1)


def aml_trigger_recurrence(trigger: dict[str, Any]) -> dict[str, Any]:
    """The recurrence of an Azure ML schedule's trigger; a cron trigger or an end time is not evaluated here."""
    if trigger.get("triggerType") != "Recurrence":
        raise UnsupportedRecurrence(
            f"The trigger type '{trigger.get('triggerType')}' is not supported: use Recurrence."
        )
    if trigger.get("endTime"):
        raise UnsupportedRecurrence("A recurrence with an end time is not supported.")
    recurrence = {key: value for key, value in trigger.items() if key not in ("triggerType", "endTime")}
    if not any((recurrence.get("schedule") or {}).values()):
        recurrence.pop("schedule", None)
    return recurrence


def fire_times(recurrence: dict[str, Any], n: int, after: datetime) -> list[datetime]:
    """The next ``n`` instants (aware, UTC) strictly after ``after`` at which the recurrence fires."""
    zone = zone_of(recurrence)
    frequency = str(recurrence.get("frequency", "")).lower()
    interval = recurrence.get("interval", 1)
    if frequency not in (*_STEP, "month") or not isinstance(interval, int) or interval < 1:
        raise UnsupportedRecurrence(f"The recurrence frequency '{frequency}' or interval '{interval}' is not valid.")
    start = _start(recurrence, zone)
    local_after = after.astimezone(zone).replace(tzinfo=None)
    schedule = recurrence.get("schedule")
    if schedule and interval != 1:
        raise UnsupportedRecurrence("A recurrence with a schedule must have interval 1.")
    moments = (
        _scheduled(start, frequency, schedule, local_after)
        if schedule
        else _periodic(start, frequency, interval, local_after)
    )
    found: list[datetime] = []
    for moment in moments:
        instant = moment.replace(tzinfo=zone).astimezone(UTC)
        if instant > after:
            found.append(instant)
            if len(found) == n:
                return found
    raise AssertionError("unreachable: recurrences are infinite")
