"""One recurrence, four services: each rendering, read with that service's own rules, fires at the same instants."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from wizard.answers import Recurrence
from wizard.emulator.providers.web import ncrontab_times
from wizard.emulator.recurrence import UnsupportedRecurrence, aml_trigger_recurrence, fire_times
from wizard.schedule import recurrence as render

AFTER = datetime(2026, 3, 20, 12, 7, tzinfo=UTC)  # ten fire times from here cross the Paris DST change on 29 March

CASES = [
    Recurrence(),
    Recurrence(frequency="Minute", interval=15, start=datetime(2026, 1, 1, 2, 5)),
    Recurrence(frequency="Hour", interval=6, start=datetime(2026, 1, 1, 1, 30), time_zone="UTC"),
    Recurrence(frequency="Day", hours=[6, 18], minutes=[0, 30], time_zone="America/New_York"),
    Recurrence(frequency="Week", week_days=["Monday", "Friday"], hours=[7], time_zone="Europe/Paris"),
    Recurrence(frequency="Week", start=datetime(2026, 3, 25, 9, 45), time_zone="Asia/Tokyo"),
    Recurrence(frequency="Month", start=datetime(2026, 1, 15, 3, 30), time_zone="Europe/Paris"),
]


def _aml_wire(recurrence: Recurrence) -> dict[str, Any]:
    """What azure-ai-ml sends for the schedule's RecurrenceTrigger, read as the service reads a trigger."""
    return aml_trigger_recurrence(render.aml_recurrence_trigger(recurrence)._to_rest_object().as_dict())


def _ncrontab_times(recurrence: Recurrence, n: int) -> list[datetime]:
    """The Functions host (as the emulator plays it): the six-field expression evaluated in WEBSITE_TIME_ZONE."""
    return ncrontab_times({"ncrontab": render.ncrontab(recurrence), "timeZone": recurrence.time_zone}, n, AFTER)


@pytest.mark.parametrize("recurrence", CASES, ids=lambda r: f"{r.frequency.value}-{r.time_zone}")
def test_all_four_services_fire_at_the_same_next_ten_instants(recurrence: Recurrence):
    expected = render.next_fire_times(recurrence, 10, AFTER)
    assert len(set(expected)) == 10 and all(t > AFTER for t in expected)
    assert fire_times(render.datafactory_recurrence(recurrence), 10, AFTER) == expected
    assert fire_times(render.logic_recurrence_trigger(recurrence)["recurrence"], 10, AFTER) == expected
    assert fire_times(_aml_wire(recurrence), 10, AFTER) == expected
    assert _ncrontab_times(recurrence, 10) == expected


def test_a_weekly_paris_schedule_follows_the_wall_clock_across_daylight_saving():
    weekly = Recurrence(frequency="Week", week_days=["Monday"], hours=[7], time_zone="Europe/Paris")
    first, second = render.next_fire_times(weekly, 2, AFTER)
    assert (first, second) == (datetime(2026, 3, 23, 6, 0, tzinfo=UTC), datetime(2026, 3, 30, 5, 0, tzinfo=UTC))


def test_nothing_fires_before_the_start():
    later = Recurrence(frequency="Hour", start=datetime(2026, 6, 1, 0, 10))
    assert render.next_fire_times(later, 1, AFTER) == [datetime(2026, 6, 1, 0, 10, tzinfo=UTC)]
    assert fire_times(render.datafactory_recurrence(later), 1, AFTER) == [datetime(2026, 6, 1, 0, 10, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"frequency": "Day", "interval": 3}, "interval 1"),
        ({"frequency": "Minute", "interval": 7}, "does not divide 60"),
        ({"frequency": "Hour", "interval": 5}, "does not divide 24"),
        ({"frequency": "Hour", "hours": [3]}, "daily or weekly"),
        ({"frequency": "Day", "week_days": ["Monday"]}, "weekly"),
        ({"frequency": "Month", "start": "2026-01-31T02:00:00"}, "day 1 to 28"),
        ({"start": "2026-01-01T02:00:30"}, "whole minutes"),
        ({"hours": [24]}, "0 to 23"),
        ({"time_zone": "Mars/Olympus"}, "IANA"),
    ],
)
def test_recurrences_some_service_could_not_fire_identically_are_refused(fields: dict, complaint: str):
    with pytest.raises(ValidationError, match=complaint):
        Recurrence.model_validate(fields)


def test_an_aware_start_is_kept_as_the_wall_clock_of_the_time_zone():
    recurrence = Recurrence(start=datetime(2026, 1, 1, 5, 0, tzinfo=UTC), time_zone="Europe/Paris")
    assert recurrence.start == datetime(2026, 1, 1, 6, 0)


def test_the_service_side_refuses_shapes_it_does_not_evaluate():
    with pytest.raises(UnsupportedRecurrence):
        fire_times(
            {"frequency": "Day", "interval": 1, "startTime": "2026-01-01T00:00:00", "schedule": {"monthDays": [1]}},
            1,
            AFTER,
        )
    with pytest.raises(UnsupportedRecurrence):
        fire_times({"frequency": "Fortnight", "interval": 1, "startTime": "2026-01-01T00:00:00"}, 1, AFTER)
