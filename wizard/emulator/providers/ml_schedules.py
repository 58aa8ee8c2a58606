"""Azure ML schedules (workspaces/schedules) as azure-ai-ml 1.35 drives them: a JobSchedule whose Recurrence trigger
creates a pipeline job, enabled and disabled by PUTting it again with ``isEnabled`` (the SDK's begin_enable and
begin_disable), and ``trigger`` (2024-01-01-preview) submitting one job now from the same definition.

Only what the wizard creates is accepted: a CreateJob action whose job is a pipeline of a registered component and
a Recurrence trigger the fire-time rules evaluate; a cron trigger or anything else is refused at PUT. Creates and
updates answer 201/200 with Azure-AsyncOperation, deletes 202 with Location, as the spec declares. A job a schedule
submits, now or when its recurrence comes due in emulated time (``schedules.py``), is recorded and run exactly like
a job the batch endpoint starts; a disabled schedule fires nothing. Jobs list by ``scheduleId``.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from wizard.emulator import schedules
from wizard.emulator.behaviour import CREATED_ASYNC, DELETE_ACCEPTED, OK_ASYNC, Behaviour, Call, Put, action, register
from wizard.emulator.providers import job_runner, ml_jobs
from wizard.emulator.providers.machinelearning import WORKSPACE_TYPE
from wizard.emulator.recurrence import UnsupportedRecurrence, aml_trigger_recurrence, fire_times
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply

SCHEDULE_TYPE = f"{WORKSPACE_TYPE}/schedules"


def _user_error(message: str) -> ArmError:
    return ArmError(400, "UserError", message)


def _job_definition(properties: dict[str, Any]) -> dict[str, Any]:
    return (properties.get("action") or {}).get("jobDefinition") or {}


@register
class Schedule(Behaviour):
    type = SCHEDULE_TYPE
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED
    latency = 2.0
    delete_latency = 2.0

    def fill(self, put: Put) -> None:
        properties, name = put.properties, put.address.name
        action_ = properties.get("action") or {}
        if action_.get("actionType") != "CreateJob":
            raise _user_error(f"Schedule '{name}': action type '{action_.get('actionType')}' is not supported here.")
        definition = _job_definition(properties)
        component = str(definition.get("componentId") or "").removeprefix("azureml:")
        if definition.get("jobType") != "Pipeline" or not component:
            raise _user_error(f"Schedule '{name}' must create a pipeline job of a registered pipeline component.")
        if put.store is not None and put.store.get(component) is None:
            raise _user_error(f"Schedule '{name}': the component '{component}' was not found.")
        try:
            fire_times(aml_trigger_recurrence(properties.get("trigger") or {}), 1, datetime.fromtimestamp(put.now, UTC))
        except UnsupportedRecurrence as error:
            raise _user_error(f"Schedule '{name}': {error}") from None
        enabled = properties.get("isEnabled")
        properties["isEnabled"] = True if enabled is None else bool(enabled)
        properties.setdefault("displayName", name)
        before = ((put.existing or {}).get("properties") or {}).get("isEnabled")
        if put.store is not None and properties["isEnabled"] != before:
            schedules.restart(put.store, put.address.key)

    @action("trigger")
    def trigger(self, call: Call) -> Reply:
        """Trigger-once: one job now from the schedule's definition (the service refuses a disabled schedule)."""
        assert call.ctx is not None
        row = call.ctx.store.get(call.address.key)
        assert row is not None
        if not row.body["properties"].get("isEnabled"):
            raise _user_error(f"Schedule '{row.body['name']}' is disabled; enable it before triggering it.")
        job = submit(call.ctx.store, call.now, row)
        return Reply(200, {"submissionId": job.body["name"], "scheduleActionType": "CreateJob"})


def submit(store: Store, now: float, schedule: Row) -> Row:
    """Record the schedule's pipeline job and start it, as the batch endpoint's route does for its jobs."""
    workspace = store.get(schedule.parent)
    if workspace is None:
        raise ArmError(404, "ResourceNotFound", "The schedule's workspace was not found.")
    definition, name = _job_definition(schedule.body["properties"]), schedule.body["name"]
    job = ml_jobs.record_pipeline_job(
        store,
        now,
        workspace,
        name=f"{name}-{uuid.uuid4().hex[:12]}",
        experiment=str(definition.get("experimentName") or name),
        component=str(definition["componentId"]),
        compute=(definition.get("settings") or {}).get("default_compute"),
        inputs=definition.get("inputs") or {},
        properties={"azureml.scheduleName": name},
    )
    job.private["schedule"] = name
    store.put(job)
    job_runner.start(store, job.key)
    return job


def _enabled_recurrence(store: Store, schedule: Row) -> dict[str, Any] | None:
    properties = schedule.body.get("properties") or {}
    if not properties.get("isEnabled"):
        return None
    return aml_trigger_recurrence(properties.get("trigger") or {})


def _fire(store: Store, now: float, _latency_scale: float, schedule: Row, scheduled: datetime) -> None:
    if store.get(schedule.parent) is not None:
        submit(store, now, schedule)


schedules.register(schedules.Schedule(SCHEDULE_TYPE, _enabled_recurrence, _fire))
