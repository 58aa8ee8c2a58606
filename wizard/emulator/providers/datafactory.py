"""Microsoft.DataFactory: every PUT answers 200, even a create (the SDK rejects 201), and is synchronous.

Pipelines and triggers are checked as the service checks them: an activity or trigger must carry its real type
(azure-mgmt-datafactory 10.0.0 sends ``"Execution"`` for a WebActivity and ``"MultiplePipelineTrigger"`` for a
ScheduleTrigger, which the service refuses); a trigger may be saved before its pipelines exist but starts only
once they do. Any activity
type is stored; Web activities are what runs: ``createRun`` (or a started schedule trigger coming due, see
``schedules.py``) calls their URL with a token for the factory's system identity, and the run's status is what
that URL answered. An activity of another type (Copy, ForEach, …) fails the run, as one whose linked services
the emulator cannot reach would. A run is Queued for a few (scaled) seconds before its first activity, as the
service queues one: a client sees it unfinished at least once.
"""

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from wizard.emulator import access, identity, outbound, schedules
from wizard.emulator.behaviour import SYNC_OK, Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.recurrence import UnsupportedRecurrence, fire_times
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

FACTORY_TYPE = "Microsoft.DataFactory/factories"
PIPELINE_TYPE = f"{FACTORY_TYPE}/pipelines"
TRIGGER_TYPE = f"{FACTORY_TYPE}/triggers"
RUN_TYPE = f"{FACTORY_TYPE}/pipelineRuns"
FACTORY_PATH = (
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.DataFactory/factories/{factory}"
)
_SDK_TYPES = {"Execution": "WebActivity", "MultiplePipelineTrigger": "ScheduleTrigger"}
QUEUED_SECONDS = 3.0  # [estimate] the service queues a run for seconds before its first activity starts


def _bad(message: str) -> ArmError:
    return ArmError(400, "BadRequest", message)


def _refuse_sdk_type(kind: str, name: str, type_: str) -> None:
    if type_ in _SDK_TYPES:
        raise _bad(
            f"The {kind} '{name}' has type '{type_}', which is an abstract base type; use '{_SDK_TYPES[type_]}'."
        )


def _check_activity(activity: dict[str, Any]) -> None:
    name, type_ = str(activity.get("name") or ""), str(activity.get("type") or "")
    _refuse_sdk_type("activity", name, type_)
    if not type_:
        raise _bad(f"Activity '{name}' has no type.")
    if type_ != "WebActivity":
        return
    properties = activity.get("typeProperties") or {}
    url, method = str(properties.get("url") or ""), str(properties.get("method") or "")
    authentication = properties.get("authentication") or {}
    if method.upper() != "POST" or not url.lower().startswith("https://"):
        raise _bad(f"Web activity '{name}' must POST to an https URL (got {method or 'no method'} '{url}').")
    if str(authentication.get("type") or "").upper() != "MSI" or not authentication.get("resource"):
        raise _bad(f"Web activity '{name}' must authenticate with the factory's managed identity (type MSI).")


@register
class Factory(Behaviour):
    """A factory's etag is ``eTag``, quoted; it always shows its tags and the api-version it was made with."""

    type = FACTORY_TYPE
    echo_location = True
    on_create = SYNC_OK
    requires_location = True
    etag = False

    def fill(self, put: Put) -> None:
        put.resource.setdefault("tags", {})
        put.resource["eTag"] = f'"{uuid.uuid4()}"'
        created = ((put.existing or {}).get("properties") or {}).get("createTime") or iso(put.now)
        put.properties.update(createTime=created, version="2018-06-01")


@register
class Pipeline(Behaviour):
    type = PIPELINE_TYPE
    on_create = SYNC_OK

    def fill(self, put: Put) -> None:
        activities = put.properties.get("activities") or []
        if not isinstance(activities, list):
            raise _bad(f"Pipeline '{put.address.name}': activities must be a list.")
        for activity in activities:
            _check_activity(activity if isinstance(activity, dict) else {})


@register
class Trigger(Behaviour):
    type = TRIGGER_TYPE
    on_create = SYNC_OK

    def fill(self, put: Put) -> None:
        name, type_ = str(put.address.name), str(put.properties.get("type") or "")
        _refuse_sdk_type("trigger", name, type_)
        if type_ != "ScheduleTrigger":
            raise _bad(f"Trigger '{name}' of type '{type_}' is not supported here: use a ScheduleTrigger.")
        state = ((put.existing or {}).get("properties") or {}).get("runtimeState", "Stopped")
        if state == "Started":
            raise _bad(f"Cannot update enabled Trigger '{name}'; the trigger needs to be stopped first.")
        recurrence = (put.properties.get("typeProperties") or {}).get("recurrence") or {}
        try:
            fire_times(recurrence, 1, datetime.fromtimestamp(put.now, UTC))
        except UnsupportedRecurrence as error:
            raise _bad(f"Trigger '{name}': {error}") from None
        put.properties["runtimeState"] = "Stopped"


def _factory(ctx: Ctx, subscription: str, group: str, factory: str) -> Row:
    access.require_registered(ctx, subscription, "Microsoft.DataFactory")
    access.require_api_version(ctx, FACTORY_TYPE)
    key = FACTORY_PATH.format(subscription=subscription, group=group, factory=factory).lower()
    row = ctx.store.get(key)
    if row is None:
        raise ArmError(
            404, "ResourceNotFound", f"The Resource 'Microsoft.DataFactory/factories/{factory}' was not found."
        )
    return row


def _child(ctx: Ctx, factory: Row, segment: str, name: str) -> Row:
    row = ctx.store.get(f"{factory.key}/{segment.lower()}/{name.lower()}")
    if row is None:
        raise ArmError(404, "NotFound", f"Entity {name} not found")
    return row


def start_run(
    store: Store,
    now: float,
    latency_scale: float,
    factory: Row,
    pipeline: Row,
    invoked_by: dict[str, str],
    parameters: dict[str, Any],
) -> Row:
    """Record a queued run of ``pipeline`` and execute it in the background; the run row is returned. The run
    shows its parameters as the service does, each value JSON-encoded unless it is a string."""
    run_id = str(uuid.uuid4())
    run = {
        "runId": run_id,
        "runGroupId": run_id,
        "isLatest": True,
        "pipelineName": pipeline.body["name"],
        "parameters": {
            key: value if isinstance(value, str) else json.dumps(value) for key, value in parameters.items()
        },
        "invokedBy": invoked_by,
        "runStart": iso(now),
        "runEnd": None,
        "durationInMs": None,
        "status": "Queued",
        "message": "",
        "lastUpdated": iso(now),
        "annotations": [],
        "runDimension": {},
    }
    row = Row(
        key=f"{factory.key}/pipelineruns/{run_id}",
        id=f"{factory.id}/pipelineruns/{run_id}",
        parent=factory.key,
        subscription=factory.subscription,
        resource_group=factory.resource_group,
        type=RUN_TYPE,
        body=run,
        private={"activities": []},
        created=now,
    )
    store.put(row)
    principal = identity.principal_of(factory.body) or ""
    activities = list((pipeline.body.get("properties") or {}).get("activities") or [])
    queued = QUEUED_SECONDS * latency_scale
    store.in_background(_execute, store, row.key, principal, activities, queued)
    return row


def _call(store: Store, now: float, principal: str, activity: dict[str, Any]) -> outbound.Answer:
    if activity.get("type") != "WebActivity":
        return outbound.Answer(0, {"message": f"Activities of type '{activity.get('type')}' are not run here."})
    properties = activity.get("typeProperties") or {}
    audience = properties["authentication"]["resource"]
    return outbound.post_as(
        store, now, principal_id=principal, audience=audience, url=properties["url"], body=properties.get("body")
    )


def _execute(store: Store, run_key: str, principal: str, activities: list[dict[str, Any]], queued: float) -> None:
    time.sleep(queued)
    row = store.get(run_key)
    if row is None:  # the factory was deleted meanwhile
        return
    row.body.update(status="InProgress", lastUpdated=iso(time.time()))
    store.put(row)
    status, message, records = "Succeeded", "", []
    for activity in activities:
        started = time.time()
        properties = activity.get("typeProperties") or {}
        answer = _call(store, started, principal, activity)
        record = {
            "activityName": activity.get("name"),
            "activityType": activity.get("type"),
            "activityRunId": str(uuid.uuid4()),
            "status": "Succeeded" if answer.ok else "Failed",
            "activityRunStart": iso(started),
            "activityRunEnd": iso(time.time()),
            "output": answer.body if answer.ok else None,
            "error": {}
            if answer.ok
            else {
                "errorCode": "2108",
                "message": f"Error calling the endpoint '{properties.get('url')}'. Response status code: "
                f"'{answer.status}'. {answer.body.get('error', answer.body)}",
                "failureType": "UserError",
                "target": activity.get("name"),
            },
        }
        records.append(record)
        if not answer.ok:
            status, message = (
                "Failed",
                f"Operation on target {activity.get('name')} failed: {record['error']['message']}",
            )
            break
    row = store.get(run_key)
    if row is None:  # the factory was deleted meanwhile
        return
    ended = time.time()
    row.body.update(status=status, message=message, runEnd=iso(ended), lastUpdated=iso(ended))
    row.body["durationInMs"] = int((ended - row.created) * 1000)
    row.private["activities"] = records
    store.put(row)


@route("POST", FACTORY_PATH + "/pipelines/{pipeline}/createRun")
def create_run(ctx: Ctx, subscription: str, group: str, factory: str, pipeline: str) -> Reply:
    factory_row = _factory(ctx, subscription, group, factory)
    pipeline_row = _child(ctx, factory_row, "pipelines", pipeline)
    manual = {"name": "Manual", "id": uuid.uuid4().hex, "invokedByType": "Manual"}
    run = start_run(ctx.store, ctx.now, ctx.latency_scale, factory_row, pipeline_row, manual, ctx.request.json_object())
    return Reply(200, {"runId": run.body["runId"]})


@route("GET", FACTORY_PATH + "/pipelineruns/{run_id}")
def get_run(ctx: Ctx, subscription: str, group: str, factory: str, run_id: str) -> Reply:
    return Reply(200, _child(ctx, _factory(ctx, subscription, group, factory), "pipelineruns", run_id).body)


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _window(query: dict[str, Any]) -> tuple[datetime, datetime]:
    """The lastUpdatedAfter/Before window every run query must give (a time without offset is UTC)."""
    try:
        return _moment(query["lastUpdatedAfter"]), _moment(query["lastUpdatedBefore"])
    except (KeyError, TypeError, ValueError):
        raise _bad("lastUpdatedAfter and lastUpdatedBefore are required date-times.") from None


@route("POST", FACTORY_PATH + "/queryPipelineRuns")
def query_runs(ctx: Ctx, subscription: str, group: str, factory: str) -> Reply:
    factory_row = _factory(ctx, subscription, group, factory)
    query = ctx.request.json_object()
    names = {
        value.lower()
        for entry in query.get("filters") or []
        if entry.get("operand") == "PipelineName" and entry.get("operator") == "Equals"
        for value in entry.get("values") or []
    }
    after, before = _window(query)
    runs = [row.body for row in ctx.store.find(parent=factory_row.key, type_=RUN_TYPE)]
    chosen = [
        run
        for run in runs
        if (not names or run["pipelineName"].lower() in names) and after <= _moment(run["lastUpdated"]) <= before
    ]
    return Reply(200, {"value": sorted(chosen, key=lambda run: run["runStart"], reverse=True)})


@route("POST", FACTORY_PATH + "/pipelineruns/{run_id}/queryActivityruns")
def query_activity_runs(ctx: Ctx, subscription: str, group: str, factory: str, run_id: str) -> Reply:
    run = _child(ctx, _factory(ctx, subscription, group, factory), "pipelineruns", run_id)
    return Reply(200, {"value": [record | {"pipelineRunId": run_id} for record in run.private["activities"]]})


def _set_runtime_state(ctx: Ctx, subscription: str, group: str, factory: str, trigger: str, state: str) -> Reply:
    row = _child(ctx, _factory(ctx, subscription, group, factory), "triggers", trigger)
    row.body.setdefault("properties", {})["runtimeState"] = state
    schedules.restart(ctx.store, row.key)
    ctx.store.put(row)
    return Reply(200)


@route("POST", FACTORY_PATH + "/triggers/{trigger}/start")
def start_trigger(ctx: Ctx, subscription: str, group: str, factory: str, trigger: str) -> Reply:
    """A trigger may be saved before its pipelines exist; it only starts once they all do."""
    factory_row = _factory(ctx, subscription, group, factory)
    row = _child(ctx, factory_row, "triggers", trigger)
    for reference in (row.body.get("properties") or {}).get("pipelines") or []:
        pipeline = str((reference.get("pipelineReference") or {}).get("referenceName") or "")
        if ctx.store.get(f"{factory_row.key}/pipelines/{pipeline.lower()}") is None:
            name = row.body["name"]
            raise ArmError(400, "BadRequest", f"Missing or invalid pipeline references for trigger {name}")
    return _set_runtime_state(ctx, subscription, group, factory, trigger, "Started")


@route("POST", FACTORY_PATH + "/triggers/{trigger}/stop")
def stop_trigger(ctx: Ctx, subscription: str, group: str, factory: str, trigger: str) -> Reply:
    return _set_runtime_state(ctx, subscription, group, factory, trigger, "Stopped")


def _started_recurrence(store: Store, trigger: Row) -> dict[str, Any] | None:
    properties = trigger.body.get("properties") or {}
    if properties.get("runtimeState") != "Started":
        return None
    return (properties.get("typeProperties") or {}).get("recurrence")


def _fire(store: Store, now: float, latency_scale: float, trigger: Row, scheduled: datetime) -> None:
    factory = store.get(trigger.parent)
    if factory is None:
        return
    invoked_by = {"name": trigger.body["name"], "id": scheduled.isoformat(), "invokedByType": "ScheduleTrigger"}
    for reference in (trigger.body.get("properties") or {}).get("pipelines") or []:
        name = str((reference.get("pipelineReference") or {}).get("referenceName") or "")
        pipeline = store.get(f"{factory.key}/pipelines/{name.lower()}")
        if pipeline is not None:
            start_run(store, now, latency_scale, factory, pipeline, invoked_by, reference.get("parameters") or {})


schedules.register(schedules.Schedule(TRIGGER_TYPE, _started_recurrence, _fire))
