"""Microsoft.Logic: Consumption workflows, stored as sent; Recurrence triggers fire and HTTP actions really run.

Any definition the service accepts is stored (a Request trigger, connector actions, …); what the emulator runs
is checked at PUT so it is refused, never ignored: a Recurrence trigger's schedule must be one the service reads,
and an HTTP action must POST to an https URI with ``ManagedServiceIdentity`` authentication. A trigger's ``run``
(or an enabled workflow's Recurrence trigger coming due) records a run and executes its actions in the background
as the workflow's system identity; an action of another type fails in the run, as a connector the emulator cannot
reach would. Run history (runs, runs/{r}/actions) shows what the URI answered, and an action's ``outputsLink``
serves its outputs (status code, body) as the service's content links do.
"""

import secrets
import time
from datetime import UTC, datetime
from typing import Any

from wizard.emulator import access, identity, outbound, schedules
from wizard.emulator.behaviour import SYNC_OK, Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.recurrence import UnsupportedRecurrence, fire_times
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

WORKFLOW_TYPE = "Microsoft.Logic/workflows"
TRIGGER_TYPE = f"{WORKFLOW_TYPE}/triggers"
RUN_TYPE = f"{WORKFLOW_TYPE}/runs"
ACTION_TYPE = f"{RUN_TYPE}/actions"
WORKFLOW_PATH = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Logic/workflows/{workflow}"
CONTENTS = "/logiccontents"


def _invalid(message: str) -> ArmError:
    return ArmError(400, "InvalidWorkflowDefinition", message)


def _check_action(name: str, action: dict[str, Any], has_identity: bool) -> None:
    inputs = action.get("inputs") or {}
    authentication = inputs.get("authentication") or {}
    if str(inputs.get("method") or "").upper() != "POST" or not str(inputs.get("uri") or "").startswith("https://"):
        raise _invalid(f"The HTTP action '{name}' must POST to an https URI.")
    if authentication.get("type") != "ManagedServiceIdentity" or not authentication.get("audience"):
        raise _invalid(f"The HTTP action '{name}' must authenticate with ManagedServiceIdentity and an audience.")
    if not has_identity:
        raise ArmError(
            400,
            "WorkflowManagedIdentityNotEnabled",
            f"The action '{name}' uses managed identity authentication, but the workflow has no system identity.",
        )


@register
class Workflow(Behaviour):
    type = WORKFLOW_TYPE
    on_create = SYNC_OK
    requires_location = True

    def fill(self, put: Put) -> None:
        properties = put.properties
        definition = properties.get("definition") or {}
        triggers, actions = definition.get("triggers") or {}, definition.get("actions") or {}
        for name, trigger in triggers.items():
            if trigger.get("type") == "Recurrence":
                try:
                    fire_times(trigger.get("recurrence") or {}, 1, datetime.fromtimestamp(put.now, UTC))
                except UnsupportedRecurrence as error:
                    raise _invalid(f"The Recurrence trigger '{name}' is not valid: {error}") from None
        for name, action in actions.items():
            if str(action.get("type") or "").lower() == "http":
                _check_action(name, action, identity.principal_of(put.resource) is not None)
        state = properties.setdefault("state", "Enabled")
        if state not in ("Enabled", "Disabled"):
            raise _invalid(f"The workflow state '{state}' is not valid: use Enabled or Disabled.")
        if put.store is not None and state != ((put.existing or {}).get("properties") or {}).get("state"):
            schedules.restart(put.store, put.address.key)
        created = ((put.existing or {}).get("properties") or {}).get("createdTime") or iso(put.now)
        properties.update(createdTime=created, changedTime=iso(put.now), version=str(int(put.now * 1e6)))
        properties.setdefault("parameters", {})
        put.private["baseUrl"] = put.base_url  # where scheduled runs' content links point
        location = put.resource.get("location")
        properties["accessEndpoint"] = f"https://prod-00.{location}.logic.azure.com:443/workflows/"
        properties["endpointsConfiguration"] = _ENDPOINTS


# The addresses the service calls out from and is reached at (a documentation range: loopback is all there is).
_ADDRESSES = [{"address": "192.0.2.10"}, {"address": "192.0.2.11"}]
_ENDPOINTS = {
    "workflow": {"outgoingIpAddresses": _ADDRESSES, "accessEndpointIpAddresses": _ADDRESSES},
    "connector": {"outgoingIpAddresses": [{"address": "192.0.2.0/28"}]},
}


@register
class Run(Behaviour):
    """Run history is written by the service only."""

    type = RUN_TYPE

    def fill(self, put: Put) -> None:
        raise ArmError(405, "MethodNotAllowed", "Workflow runs are created by triggers, not written.")


@register
class RunAction(Run):
    type = ACTION_TYPE


def _workflow(ctx: Ctx, subscription: str, group: str, workflow: str) -> Row:
    access.require_registered(ctx, subscription, "Microsoft.Logic")
    access.require_api_version(ctx, WORKFLOW_TYPE)
    row = ctx.store.get(WORKFLOW_PATH.format(subscription=subscription, group=group, workflow=workflow).lower())
    if row is None:
        raise ArmError(404, "WorkflowNotFound", f"The workflow '{workflow}' could not be found.")
    return row


def _child_row(parent: Row, type_: str, segment: str, name: str, body: dict[str, Any], now: float) -> Row:
    return Row(
        key=f"{parent.key}/{segment}/{name.lower()}",
        id=f"{parent.id}/{segment}/{name}",
        parent=parent.key,
        subscription=parent.subscription,
        resource_group=parent.resource_group,
        type=type_,
        body={"id": f"{parent.id}/{segment}/{name}", "name": name, "type": type_} | body,
        created=now,
    )


def start_run(store: Store, now: float, workflow: Row, base_url: str, trigger_name: str, scheduled: float) -> Row:
    """Record a Running run of ``workflow`` and execute its actions in the background."""
    name = f"{int(now * 1e6):020d}CU{secrets.randbelow(100):02d}"
    trigger = {"name": trigger_name, "startTime": iso(now), "endTime": iso(now), "scheduledTime": iso(scheduled)}
    run = _child_row(
        workflow,
        RUN_TYPE,
        "runs",
        name,
        {
            "properties": {
                "startTime": iso(now),
                "status": "Running",
                "correlation": {"clientTrackingId": name},
                "trigger": trigger | {"code": "OK", "status": "Succeeded"},
                "outputs": {},
            }
        },
        now,
    )
    store.put(run)
    store.in_background(_execute, store, run.key, workflow, base_url)
    return run


def _call(store: Store, now: float, principal: str, action: dict[str, Any]) -> outbound.Answer:
    if str(action.get("type") or "").lower() != "http":
        return outbound.Answer(0, {"message": f"Actions of type '{action.get('type')}' are not run here."})
    inputs = action["inputs"]
    audience = inputs["authentication"]["audience"]
    return outbound.post_as(
        store, now, principal_id=principal, audience=audience, url=inputs["uri"], body=inputs.get("body")
    )


def _execute(store: Store, run_key: str, workflow: Row, base_url: str) -> None:
    definition = (workflow.body.get("properties") or {}).get("definition") or {}
    principal = identity.principal_of(workflow.body) or ""
    status, error = "Succeeded", None
    run = store.get(run_key)
    assert run is not None
    for name, action in (definition.get("actions") or {}).items():
        started = time.time()
        answer = _call(store, started, principal, action)
        signature = secrets.token_urlsafe(16)
        record = _child_row(
            run,
            ACTION_TYPE,
            "actions",
            name,
            {
                "properties": {
                    "startTime": iso(started),
                    "endTime": iso(time.time()),
                    "status": "Succeeded" if answer.ok else "Failed",
                    "code": str(answer.status),
                    "outputsLink": {"uri": f"{base_url}{CONTENTS}{run.id}/actions/{name}/outputs?sig={signature}"},
                }
            },
            started,
        )
        record.private = {"sig": signature, "outputs": {"statusCode": answer.status, "body": answer.body}}
        if not answer.ok:
            status = "Failed"
            error = {
                "code": "ActionFailed",
                "message": f"An action failed. No dependent actions succeeded. ({name}: {answer.status})",
            }
            record.body["properties"]["error"] = {"code": str(answer.status), "message": str(answer.body)}
        store.put(record)
        if not answer.ok:
            break
    run = store.get(run_key)
    if run is None:
        return
    run.body["properties"].update(status=status, endTime=iso(time.time()))
    if error:
        run.body["properties"]["error"] = error
    store.put(run)


@route("POST", WORKFLOW_PATH + "/triggers/{trigger}/run")
def run_trigger(ctx: Ctx, subscription: str, group: str, workflow: str, trigger: str) -> Reply:
    row = _workflow(ctx, subscription, group, workflow)
    triggers = ((row.body.get("properties") or {}).get("definition") or {}).get("triggers") or {}
    name = next((known for known in triggers if known.lower() == trigger.lower()), None)
    if name is None:
        raise ArmError(404, "WorkflowTriggerNotFound", f"The workflow '{workflow}' has no trigger '{trigger}'.")
    if (row.body.get("properties") or {}).get("state") != "Enabled":
        raise ArmError(409, "WorkflowNotEnabled", f"The workflow '{workflow}' is disabled: enable it first.")
    start_run(ctx.store, ctx.now, row, ctx.base_url, name, ctx.now)
    return Reply(200)


@route("GET", WORKFLOW_PATH + "/triggers/{trigger}")
def get_trigger(ctx: Ctx, subscription: str, group: str, workflow: str, trigger: str) -> Reply:
    row = _workflow(ctx, subscription, group, workflow)
    properties = row.body.get("properties") or {}
    triggers = (properties.get("definition") or {}).get("triggers") or {}
    name = next((known for known in triggers if known.lower() == trigger.lower()), None)
    if name is None:
        raise ArmError(404, "WorkflowTriggerNotFound", f"The workflow '{workflow}' has no trigger '{trigger}'.")
    version = properties["version"]
    shown = {
        "provisioningState": "Succeeded",
        "createdTime": properties["createdTime"],
        "changedTime": properties["changedTime"],
        "state": properties["state"],
        "workflow": {"id": f"{row.id}/versions/{version}", "name": version, "type": f"{WORKFLOW_TYPE}/versions"},
    }
    if "recurrence" in triggers[name]:
        shown["recurrence"] = triggers[name]["recurrence"]
    return Reply(200, {"id": f"{row.id}/triggers/{name}", "name": name, "type": TRIGGER_TYPE, "properties": shown})


def _set_state(ctx: Ctx, subscription: str, group: str, workflow: str, state: str) -> Reply:
    row = _workflow(ctx, subscription, group, workflow)
    row.body.setdefault("properties", {})["state"] = state
    schedules.restart(ctx.store, row.key)
    ctx.store.put(row)
    return Reply(200)


@route("POST", WORKFLOW_PATH + "/enable")
def enable(ctx: Ctx, subscription: str, group: str, workflow: str) -> Reply:
    return _set_state(ctx, subscription, group, workflow, "Enabled")


@route("POST", WORKFLOW_PATH + "/disable")
def disable(ctx: Ctx, subscription: str, group: str, workflow: str) -> Reply:
    return _set_state(ctx, subscription, group, workflow, "Disabled")


@route("GET", CONTENTS + WORKFLOW_PATH + "/runs/{run}/actions/{action}/outputs", arm=False)
def outputs(ctx: Ctx, subscription: str, group: str, workflow: str, run: str, action: str) -> Reply:
    key = (
        WORKFLOW_PATH.format(subscription=subscription, group=group, workflow=workflow)
        + f"/runs/{run}/actions/{action}"
    ).lower()
    row = ctx.store.get(key)
    if row is None or ctx.request.query.get("sig") != row.private.get("sig"):
        raise ArmError(403, "AuthorizationFailed", "The content link is not valid.")
    return Reply(200, row.private["outputs"])


def _recurrence_trigger(workflow: Row) -> tuple[str, dict[str, Any]] | None:
    """The workflow's Recurrence trigger (name, trigger): the only kind that fires on its own here."""
    triggers = ((workflow.body.get("properties") or {}).get("definition") or {}).get("triggers") or {}
    return next(((name, trigger) for name, trigger in triggers.items() if trigger.get("type") == "Recurrence"), None)


def _enabled_recurrence(store: Store, workflow: Row) -> dict[str, Any] | None:
    found = _recurrence_trigger(workflow)
    if (workflow.body.get("properties") or {}).get("state") != "Enabled" or found is None:
        return None
    return found[1].get("recurrence")


def _fire(store: Store, now: float, _latency_scale: float, workflow: Row, scheduled: datetime) -> None:
    found = _recurrence_trigger(workflow)
    if found is not None:
        start_run(store, now, workflow, workflow.private.get("baseUrl", ""), found[0], scheduled.timestamp())


schedules.register(schedules.Schedule(WORKFLOW_TYPE, _enabled_recurrence, _fire))
