"""The generic ARM resource store: PUT/GET/HEAD/PATCH/DELETE, child collections and actions for any type.

This is what lets the wizard's later steps run before anyone writes a behaviour for their types: every path under
``/subscriptions/{s}[/resourceGroups/{g}]/providers/{Namespace}/...`` lands here. The per-type differences (status
codes, latency, defaults, actions) come from ``behaviour_for(type)``; the ARM rules (group must exist, namespace
must be registered, ids keep their creation casing, deletes cascade) are applied here, once.
"""

import copy
import uuid
from typing import Any

from wizard.emulator import access, catalogue, identity, latency, operations
from wizard.emulator.address import GROUP_TYPE, Address, parse
from wizard.emulator.behaviour import Behaviour, Call, Put, behaviour_for, canonical_type
from wizard.emulator.context import Ctx
from wizard.emulator.listing import filtered, page
from wizard.emulator.providers import authorization
from wizard.emulator.store import Row
from wizard.emulator.wire import ArmError, Reply, iso

_ENVELOPE_KEYS = ("id", "name", "type", "properties")


def unknown_route(path: str) -> ArmError:
    return ArmError(404, "InvalidResourceType", f"The resource type could not be found for the path '{path}'.")


def _held_by_scope(address: Address) -> bool:
    """True when the container is the subscription or a group rather than another resource."""
    return address.top_level and "/providers/" not in address.parent.lower()


def handle(ctx: Ctx) -> Reply:
    """Entry point for every /subscriptions path no explicit route claimed."""
    address = parse(ctx.request.segments)
    if address is None:
        raise unknown_route(ctx.request.path)
    access.require_registered(ctx, address.subscription, address.namespace)
    method = ctx.request.method
    if address.name is None and len(address.types) > 1:
        reply = _action(ctx, address)
        if reply is not None:
            return reply
    access.require_api_version(ctx, address.type)
    behaviour = behaviour_for(address.type)
    if address.name is None:
        if method == "GET":
            return _list(ctx, address)
        raise unknown_route(ctx.request.path)
    writing = method in ("PUT", "PATCH")
    if writing or method == "DELETE":
        caller = identity.authenticate(ctx)
        authorization.require(
            ctx, caller.principal_id, address.id, f"{address.type}/{'write' if writing else 'delete'}"
        )
    _require_container(ctx, address, writing=writing)
    if method == "PUT":
        return _put(ctx, address, behaviour)
    if method == "PATCH":
        return _patch(ctx, address, behaviour)
    if method == "DELETE":
        return _delete(ctx, address, behaviour)
    row = ctx.store.get(address.key)
    if method == "HEAD":
        return Reply(204 if row else 404)
    if method == "GET":
        if row is None:
            raise behaviour.not_found(address)
        call = Call(address, operations.render(ctx, row), row.private, ctx.request, ctx.now, ctx)
        return Reply(200, behaviour.shown(call))
    raise unknown_route(ctx.request.path)


def _require_container(ctx: Ctx, address: Address, *, writing: bool) -> None:
    """The group must exist (and, for writes, not be going away); a child's parent must exist."""
    if address.resource_group and not address.is_group:
        group = ctx.store.get(access.group_key(address.subscription, address.resource_group))
        if group is None:
            raise access.group_not_found(address.resource_group)
        if writing and operations.in_flight(ctx, group, "delete"):
            raise _being_deleted(group)
    if not _held_by_scope(address) and ctx.store.get(address.parent) is None:
        name = address.parent.rsplit("/", 1)[-1]
        raise ArmError(
            404,
            "ParentResourceNotFound",
            f"Can not perform requested operation on nested resource. Parent resource '{name}' not found.",
        )


def _being_deleted(row: Row) -> ArmError:
    if row.type == GROUP_TYPE:
        return ArmError(
            409,
            "ResourceGroupBeingDeleted",
            f"The resource group '{row.body['name']}' is in deprovisioning state and cannot perform this operation.",
        )
    return ArmError(409, "Conflict", f"The resource '{row.id}' is being deleted and cannot be written.")


def _canonical(address: Address) -> tuple[str, str]:
    """(type, id) in the casing ARM would echo: catalogue/behaviour spelling for types, creation spelling for
    names."""
    namespace = catalogue.namespace(address.namespace)
    namespace_name = namespace.name if namespace else address.namespace
    entry = namespace.type_named("/".join(address.types)) if namespace else None
    type_ = canonical_type(address.type) or (f"{namespace_name}/{entry.name}" if entry else address.type)
    return type_, address.id_in(address.parent, namespace_name, type_.rsplit("/", 1)[-1])


def _put(ctx: Ctx, address: Address, behaviour: Behaviour) -> Reply:
    request = ctx.request.json_object()
    existing = ctx.store.get(address.key)
    if existing and operations.in_flight(ctx, existing, "delete"):
        raise _being_deleted(existing)
    type_, id_ = _canonical(address)
    name = address.name
    if existing:  # ids and names keep the casing they were created with
        id_, name = existing.id, existing.body.get("name", name)
    resource: dict[str, Any] = {"id": id_, "name": name, "type": type_}
    resource |= {key: value for key, value in request.items() if key not in _ENVELOPE_KEYS}
    resource["properties"] = {
        key: value for key, value in (request.get("properties") or {}).items() if key != "provisioningState"
    }
    _normalize_location(address, resource, echo=behaviour.echo_location)
    authorization.require_allowed_location(ctx, id_, str(resource.get("location") or ""))
    put = Put(
        address=address,
        request=request,
        resource=resource,
        existing=existing.body if existing else None,
        private=dict(existing.private) if existing else {},
        taken=lambda kind, name: any(row.key != address.key for row in ctx.store.find(type_=kind, name=name)),
        now=ctx.now,
        store=ctx.store,
        base_url=ctx.base_url,
    )
    identity.assign_system_identity(resource, put.private)
    _service_fields(ctx, behaviour, resource, existing.body if existing else None)
    behaviour.fill(put)
    if behaviour.requires_location and not resource.get("location"):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    answer = behaviour.on_update if existing else behaviour.on_create
    failure = ctx.store.take_fault(
        ctx.request.method, ctx.request.path, async_failure=True, long_running=bool(answer.monitor)
    )
    if failure and not answer.monitor:  # a synchronous answer cannot fail later: it fails now
        raise ArmError(failure.status, failure.code, failure.message, failure.headers)
    op = None
    if answer.monitor:
        op = operations.start(
            ctx,
            kind="update" if existing else "create",
            target=address.key,
            namespace=type_.split("/", 1)[0],
            latency=ctx.delay(latency.create_seconds(ctx.latency_profile, behaviour)),
            states=behaviour.update_states if existing else behaviour.create_states,
            answer=answer,
            failure=failure,
        )
    row = Row(
        key=address.key,
        id=id_,
        parent=address.parent.lower(),
        subscription=address.subscription.lower(),
        resource_group=address.resource_group.lower() if address.resource_group else None,
        type=type_,
        body=resource,
        private=put.private,
        operation=op.id if op else None,
        created=existing.created if existing else ctx.now,
    )
    ctx.store.put(row)
    for segment, name, child in put.children:
        _store_child(ctx, row, segment, name, child)
    headers = {}
    if op:
        headers = operations.monitor_headers(ctx, op, answer, address.subscription, resource.get("location", ""))
    return Reply(answer.status, operations.render(ctx, row) if answer.body else None, headers)


def _service_fields(ctx: Ctx, behaviour: Behaviour, resource: dict[str, Any], before: dict[str, Any] | None) -> None:
    """etag and systemData as the service sets them: what a client sends is ignored, creation fields are kept,
    the last-modified ones and the etag change on every write."""
    resource.pop("etag", None)
    resource.pop("systemData", None)
    if behaviour.etag:
        resource["etag"] = f'W/"{uuid.uuid4()}"'
    if not behaviour.system_data:
        return
    caller = identity.authenticate(ctx)
    who = caller.client_id if caller.client_id else caller.principal_id
    now = iso(ctx.now)
    created = (before or {}).get("systemData") or {"createdBy": who, "createdByType": "Application", "createdAt": now}
    resource["systemData"] = {
        key: created[key] for key in ("createdBy", "createdByType", "createdAt") if key in created
    } | {"lastModifiedBy": who, "lastModifiedByType": "Application", "lastModifiedAt": now}


def _normalize_location(address: Address, resource: dict[str, Any], *, echo: bool = False) -> None:
    """Known regions in their short form ("West Europe" → "westeurope"), or as sent for a service that `echo`es
    them; unknown ones refused as ARM does."""
    location = resource.get("location")
    if not location:
        return
    found = catalogue.region(location)
    if found is None and location.lower() != "global":
        what = "resource group" if address.is_group else f"resource type '{address.type}'"
        code = "LocationNotAvailableForResourceGroup" if address.is_group else "LocationNotAvailableForResourceType"
        raise ArmError(
            400,
            code,
            f"The provided location '{location}' is not available for {what}. List of available regions is "
            f"'{','.join(region.name for region in catalogue.REGIONS)}'.",
        )
    if not echo:
        resource["location"] = found.name if found else "global"


def _store_child(ctx: Ctx, parent: Row, segment: str, name: str, child: dict[str, Any]) -> None:
    id_ = f"{parent.id}/{segment}/{name}"
    type_ = f"{parent.type}/{segment}"
    body = {"id": id_, "name": name, "type": type_} | child
    ctx.store.put(
        Row(id_.lower(), id_, parent.key, parent.subscription, parent.resource_group, type_, body, {}, None, ctx.now)
    )


def _patch(ctx: Ctx, address: Address, behaviour: Behaviour) -> Reply:
    row = ctx.store.get(address.key)
    if row is None:
        raise behaviour.not_found(address)
    patch = ctx.request.json_object()
    resource = copy.deepcopy(row.body) | {k: v for k, v in patch.items() if k not in _ENVELOPE_KEYS}
    resource["properties"] = dict(row.body.get("properties") or {}) | dict(patch.get("properties") or {})
    put = Put(
        address=address,
        request=patch,
        resource=resource,
        existing=row.body,
        private=row.private,
        taken=lambda kind, name: any(other.key != row.key for other in ctx.store.find(type_=kind, name=name)),
        now=ctx.now,
        store=ctx.store,
        base_url=ctx.base_url,
    )
    _service_fields(ctx, behaviour, resource, row.body)
    behaviour.fill(put)
    row.body = resource
    ctx.store.put(row)
    return Reply(200, operations.render(ctx, row))


def _delete(ctx: Ctx, address: Address, behaviour: Behaviour) -> Reply:
    row = ctx.store.get(address.key)
    if row is None:
        if behaviour.delete_missing is None:
            raise behaviour.not_found(address)
        return Reply(behaviour.delete_missing)
    answer = behaviour.on_delete
    location = row.body.get("location", "")
    running = operations.in_flight(ctx, row, "delete")
    if running:  # deleting again is idempotent: hand back the same monitor
        headers = operations.monitor_headers(ctx, running, answer, address.subscription, location)
        return Reply(answer.status, None, headers)
    failure = ctx.store.take_fault(
        ctx.request.method, ctx.request.path, async_failure=True, long_running=bool(answer.monitor)
    )
    if not answer.monitor:
        if failure:
            raise ArmError(failure.status, failure.code, failure.message, failure.headers)
        ctx.store.delete_tree(row.key)
        return Reply(answer.status)
    op = operations.start(
        ctx,
        kind="delete",
        target=row.key,
        namespace=row.type.split("/", 1)[0],
        latency=ctx.delay(latency.delete_seconds(ctx.latency_profile, behaviour)),
        states=behaviour.delete_states,
        answer=answer,
        failure=failure,
    )
    row.operation = op.id
    ctx.store.put(row)
    return Reply(answer.status, None, operations.monitor_headers(ctx, op, answer, address.subscription, location))


def _action(ctx: Ctx, address: Address) -> Reply | None:
    """``{method} {resource id}/{name}`` when the resource's behaviour declares that action."""
    parent_type = "/".join((address.namespace, *address.types[:-1]))
    behaviour = behaviour_for(parent_type)
    if (ctx.request.method, address.types[-1].lower()) not in behaviour.actions:
        return None
    target = parse(ctx.request.segments[:-1])
    if target is None:
        return None
    access.require_api_version(ctx, parent_type)
    _require_container(ctx, target, writing=False)
    row = ctx.store.get(target.key)
    if row is None:
        raise behaviour.not_found(target)
    call = Call(
        address=target,
        resource=operations.render(ctx, row),
        private=row.private,
        request=ctx.request,
        now=ctx.now,
        ctx=ctx,
    )
    reply = behaviour.run_action(ctx.request.method, address.types[-1], call)
    ctx.store.put(row)  # actions may have changed the private state
    return reply


def _list(ctx: Ctx, address: Address) -> Reply:
    """A collection: every resource of the type in the subscription, the group, or under the parent."""
    type_, _ = _canonical(address)
    _require_container(ctx, address, writing=False)
    computed = behaviour_for(type_).listing(ctx, address)
    if computed is not None:
        return computed
    if _held_by_scope(address) and address.resource_group is None:  # ARM lists across all groups
        rows = ctx.store.find(subscription=address.subscription, type_=type_)
    else:
        rows = ctx.store.find(parent=address.parent, type_=type_)
    items = [operations.render(ctx, row) for row in rows]
    if address.is_group:
        items = filtered(items, ctx.request.query.get("$filter", ""))
    return page(ctx, items)
