"""Microsoft.DevTestLab schedules at resource-group level: what a VM's "Auto-shutdown" setting is made of.

Synchronous 201 on create and 200 on update (GlobalSchedules_CreateOrUpdate). A shutdown schedule must be named
``shutdown-computevm-<vm>`` and target an existing VM; every schedule has a daily or weekly "HHMM" time (weekly
with its weekdays, as the lab startup example) or an hourly minute, and a time zone; the answer adds the creation
date, a unique identifier and default (disabled) notification settings; one sent without a location takes its
VM's or its resource group's.
"""

import re
import uuid
from typing import Any

from wizard.emulator import access
from wizard.emulator.behaviour import SYNC_CREATED, SYNC_OK, Behaviour, Put, register
from wizard.emulator.providers.compute_catalogue import VM_TYPE
from wizard.emulator.wire import ArmError, iso

SHUTDOWN_TASK = "ComputeVmShutdownTask"
_TASKS = (SHUTDOWN_TASK, "LabVmsShutdownTask", "LabVmsStartupTask", "LabVmAutoStart")
_TIME = re.compile(r"^([01]\d|2[0-3])[0-5]\d$")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _bad(message: str) -> ArmError:
    return ArmError(400, "BadRequest", message)


@register
class Schedule(Behaviour):
    type = "Microsoft.DevTestLab/schedules"
    on_create = SYNC_CREATED
    on_update = SYNC_OK
    requires_location = True

    def fill(self, put: Put) -> None:
        properties = put.properties
        task = properties.get("taskType")
        if task not in _TASKS:
            raise _bad(f"The taskType '{task}' is not valid. Valid task types are {', '.join(_TASKS)}.")
        if properties.setdefault("status", "Enabled") not in ("Enabled", "Disabled"):
            raise _bad("The status must be Enabled or Disabled.")
        _recurrence(properties)
        if not properties.get("timeZoneId"):
            raise _bad("The timeZoneId is required, e.g. UTC or Pacific Standard Time.")
        if task == SHUTDOWN_TASK:
            self._target(put, str(properties.get("targetResourceId") or ""))
        if not put.resource.get("location"):
            put.resource["location"] = self._home(put, str(properties.get("targetResourceId") or ""))
        put.private.setdefault("uniqueIdentifier", str(uuid.uuid4()))
        put.private.setdefault("createdDate", iso(put.now))
        properties["uniqueIdentifier"] = put.private["uniqueIdentifier"]
        properties["createdDate"] = put.private["createdDate"]
        notifications = properties.setdefault("notificationSettings", {})
        notifications.setdefault("status", "Disabled")
        notifications.setdefault("timeInMinutes", 30)

    @staticmethod
    def _home(put: Put, target: str) -> str | None:
        """Sent without a location, a schedule takes its VM's, else its resource group's (the lab startup example
        answers with a location its request never named)."""
        if put.store is None:
            return None
        found = put.store.get(target) if target else None
        found = found or put.store.get(access.group_key(put.address.subscription, put.address.resource_group or ""))
        return found.body.get("location") if found else None

    @staticmethod
    def _target(put: Put, target: str) -> None:
        vm_name = target.rsplit("/", 1)[-1]
        if not re.search(r"/providers/Microsoft\.Compute/virtualMachines/[^/]+$", target, re.IGNORECASE):
            raise _bad(f"The targetResourceId '{target}' is not a virtual machine id.")
        if put.store is not None and put.store.get(target) is None:
            raise ArmError(404, "ResourceNotFound", f"The Resource '{VM_TYPE}/{vm_name}' was not found.")
        if (put.address.name or "").lower() != f"shutdown-computevm-{vm_name}".lower():
            raise _bad(
                f"The auto-shutdown schedule of virtual machine {vm_name} must be named shutdown-computevm-{vm_name}."
            )


def _recurrence(properties: dict[str, Any]) -> None:
    """A daily or weekly HHmm time (weekly with valid weekdays), or an hourly minute."""
    hourly = properties.get("hourlyRecurrence")
    if hourly and "dailyRecurrence" not in properties and "weeklyRecurrence" not in properties:
        if not 0 <= int(hourly.get("minute", -1)) <= 59:
            raise _bad("The hourly recurrence minute must be between 0 and 59.")
        return
    weekly = properties.get("weeklyRecurrence")
    kind, recurrence = ("weekly", weekly) if weekly else ("daily", properties.get("dailyRecurrence") or {})
    time = recurrence.get("time", "")
    if not _TIME.match(str(time)):
        raise _bad(f"The {kind} recurrence time '{time}' is not valid: use HHmm, e.g. 1900.")
    days = [str(day).lower() for day in (weekly or {}).get("weekdays") or []]
    if weekly and (not days or not set(days) <= _WEEKDAYS):
        raise _bad(f"The weekly recurrence weekdays {weekly.get('weekdays')} are not valid weekday names.")
