"""Schedules coming due: a ticker that fires every enabled scheduler whose recurrence has passed a fire time.

Emulated schedule time runs ``1 / latency_scale`` times faster than the real clock from the moment the
emulator opened its store (at scale 1, a standalone emulator, it is simply real time; at the tests' 0.01 a
Minute recurrence fires every 0.6 real seconds). The ticker remembers, per scheduler, the schedule time it has
checked until (set at its first tick once enabled): it fires only for times after that, so pausing skips what
came due meanwhile, as Azure does. That memory is the ticker's own, never written into the resource, so a tick
cannot overwrite a concurrent enable/disable; a restarted emulator fires from its first tick on.
"""

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wizard.emulator.recurrence import UnsupportedRecurrence, fire_times
from wizard.emulator.store import Row, Store

TICK_SECONDS = 0.05
_LOG = logging.getLogger(__name__)
_EPOCHS: "weakref.WeakKeyDictionary[Store, float]" = weakref.WeakKeyDictionary()
_CHECKED: "weakref.WeakKeyDictionary[Store, dict[str, float]]" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Schedule:
    """A kind of scheduler: its stored type, its recurrence while enabled (None when paused), how it fires and
    how that service reads its recurrence (a recurrence object by default; Functions reads NCRONTAB)."""

    type: str
    recurrence: Callable[[Store, Row], dict[str, Any] | None]
    fire: Callable[[Store, float, float, Row, datetime], None]  # (store, real now, latency scale, row, scheduled)
    times: Callable[[dict[str, Any], int, datetime], list[datetime]] = fire_times


_SCHEDULES: list[Schedule] = []


def register(schedule: Schedule) -> None:
    _SCHEDULES.append(schedule)


def clock(store: Store, now: float, latency_scale: float) -> float:
    """Schedule time (epoch seconds) at the real instant ``now``."""
    epoch = _EPOCHS.setdefault(store, now)
    return epoch + (now - epoch) / max(latency_scale, 1e-9)


def restart(store: Store, key: str) -> None:
    """Forget what was checked: a scheduler (re)enabled fires from its next tick on, never for times past."""
    _CHECKED.setdefault(store, {}).pop(key, None)


def tick(store: Store, now: float, latency_scale: float) -> None:
    """Fire every due occurrence of every enabled scheduler, once."""
    until = clock(store, now, latency_scale)
    checked_until = _CHECKED.setdefault(store, {})
    for schedule in _SCHEDULES:
        for row in store.find(type_=schedule.type):
            recurrence = schedule.recurrence(store, row)
            checked = checked_until.get(row.key)
            if recurrence is None or checked is None:
                checked_until[row.key] = until
                continue
            try:
                due = schedule.times(recurrence, 100, datetime.fromtimestamp(checked, UTC))
            except UnsupportedRecurrence:  # refused at PUT already; a stored one cannot fire
                continue
            checked_until[row.key] = until
            for moment in (moment for moment in due if moment.timestamp() <= until):
                schedule.fire(store, now, latency_scale, row, moment)


class Ticker:
    """The background thread calling ``tick`` while the emulator serves."""

    def __init__(self, store: Store, latency_scale: float) -> None:
        self._store, self._scale = store, latency_scale
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="emulator-schedules", daemon=True)

    def start(self) -> "Ticker":
        clock(self._store, time.time(), self._scale)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.wait(TICK_SECONDS):
            try:
                tick(self._store, time.time(), self._scale)
            except Exception:  # a cloud keeps its other schedules running; the emulator's log says what broke
                _LOG.exception("a scheduled occurrence could not be fired")

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()
