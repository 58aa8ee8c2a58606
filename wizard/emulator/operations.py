"""Long-running operations: starting them, the monitor URLs ARM hands out, and what those URLs answer.

An operation's outcome is decided when it starts (an injected async failure makes it end Failed) and its status
is read off the clock, so nothing runs in the background and a restarted emulator answers old monitor URLs the
same way. Monitor URLs are resolved by operation id alone, whatever host, port or namespace they were built with.
"""

import copy
import math
import uuid
from typing import Any

from wizard.emulator.address import GROUPS_NAMESPACE
from wizard.emulator.behaviour import Answer, behaviour_for
from wizard.emulator.context import Ctx
from wizard.emulator.routing import route
from wizard.emulator.store import Fault, Operation, Row
from wizard.emulator.wire import ArmError, Reply, iso, seconds

NEVER = 10.0**9  # seconds: an operation held by a never_end fault runs until the faults are lifted


def start(
    ctx: Ctx,
    *,
    kind: str,
    target: str,
    namespace: str,
    latency: float,
    states: tuple[str, ...],
    answer: Answer,
    failure: Fault | None,
) -> Operation:
    """Record an operation that will end at ``now + latency`` (already scaled) with its decided outcome.

    A never_end fault makes it run until faults are cleared; a fail_later one makes it end Failed."""
    hangs = failure is not None and failure.effect == "never_end"
    fails = failure is not None and not hangs
    op = Operation(
        id=str(uuid.uuid4()),
        kind=kind,
        target=target.lower(),
        namespace=namespace,
        started=ctx.now,
        ready_at=ctx.now + (NEVER if hangs else latency),
        states=states,
        outcome="Failed" if fails else "Succeeded",
        error={"code": failure.code, "message": failure.message} if fails and failure else None,
        fail_status=failure.status if fails and failure and failure.status >= 400 else 500,
        done_status=answer.done,
    )
    ctx.store.add_operation(op)
    if hangs:
        ctx.store.hold(op.id)
    return op


def monitor_headers(ctx: Ctx, op: Operation, answer: Answer, subscription: str, location: str) -> dict[str, str]:
    """The headers that make an answer long-running, pointing at this emulator."""
    if not answer.monitor:
        return {}
    version = ctx.request.api_version
    region = (location or "global").replace(" ", "").lower()
    provider = f"{ctx.base_url}/subscriptions/{subscription}/providers/{op.namespace}/locations/{region}"
    headers = {
        # The generated SDKs parse this header of the initial answer as an int: fractions would crash them.
        # azure-core polls once at once anyway, then follows the monitor's (fractional) Retry-After.
        "Retry-After": str(max(1, math.ceil(ctx.poll_seconds))),
    }
    if answer.monitor in ("location", "both"):
        if op.namespace.lower() == GROUPS_NAMESPACE.lower():
            headers["Location"] = f"{ctx.base_url}/subscriptions/{subscription}/operationresults/{op.id}"
        else:
            headers["Location"] = f"{provider}/operationResults/{op.id}"
        headers["Location"] += f"?api-version={version}"
    if answer.monitor in ("azure-async", "both"):
        headers["Azure-AsyncOperation"] = f"{provider}/operationStatuses/{op.id}?api-version={version}"
    return headers


def render(ctx: Ctx, row: Row) -> dict[str, Any]:
    """A stored resource as GET shows it, with the provisioningState its latest operation has reached (for
    types whose real answers carry one)."""
    body = copy.deepcopy(row.body)
    if not isinstance(body.get("properties"), dict):
        body["properties"] = {}
    if behaviour_for(row.type).provisioning_state:
        op = ctx.store.operation(row.operation) if row.operation else None
        body["properties"]["provisioningState"] = op.provisioning_state(ctx.now) if op else "Succeeded"
    return body


def in_flight(ctx: Ctx, row: Row, kind: str) -> Operation | None:
    """The operation of that kind still running on this resource, if any."""
    op = ctx.store.operation(row.operation) if row.operation else None
    return op if op and op.kind == kind and op.running(ctx.now) else None


def _operation(ctx: Ctx, op_id: str) -> Operation:
    op = ctx.store.operation(op_id)
    if op is None:
        raise ArmError(404, "OperationNotFound", f"The operation '{op_id}' could not be found.")
    return op


@route("GET", "/subscriptions/{subscription}/providers/{namespace}/locations/{location}/operationStatuses/{op_id}")
def operation_status(ctx: Ctx, subscription: str, namespace: str, location: str, op_id: str) -> Reply:
    """Azure-AsyncOperation monitor: always 200, with the status in the body."""
    op = _operation(ctx, op_id)
    body: dict[str, Any] = {
        "id": ctx.request.path,
        "name": op.id,
        "status": op.status(ctx.now),
        "startTime": iso(op.started),
    }
    if op.running(ctx.now):
        return Reply(200, body, {"Retry-After": seconds(ctx.poll_seconds)})
    body["endTime"] = iso(op.ready_at)
    if op.error:
        body["error"] = op.error
    return Reply(200, body)


@route("GET", "/subscriptions/{subscription}/providers/{namespace}/locations/{location}/operationResults/{op_id}")
def operation_result(ctx: Ctx, subscription: str, namespace: str, location: str, op_id: str) -> Reply:
    return _location_answer(ctx, _operation(ctx, op_id))


@route("GET", "/subscriptions/{subscription}/operationresults/{op_id}")
def group_operation_result(ctx: Ctx, subscription: str, op_id: str) -> Reply:
    return _location_answer(ctx, _operation(ctx, op_id))


def _location_answer(ctx: Ctx, op: Operation) -> Reply:
    """Location monitor: 202 while running, then the error, the resource, or an empty success."""
    if op.running(ctx.now):
        url = f"{ctx.base_url}{ctx.request.path}?{ctx.request.query_string}"
        return Reply(202, None, {"Location": url, "Retry-After": seconds(ctx.poll_seconds)})
    if op.error:
        raise ArmError(op.fail_status, op.error["code"], op.error["message"])
    row = ctx.store.get(op.target)
    if op.kind == "delete" or row is None or op.done_status == 204:
        return Reply(op.done_status)
    return Reply(op.done_status, render(ctx, row))
