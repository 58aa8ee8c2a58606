"""Lists as ARM serves them: ``{"value": [...], "nextLink": ...}`` pages, ``$top``/``$skiptoken``, ``$filter``.

Also the generic listings outside tools rely on (``/subscriptions/{s}/resources`` and the per-group variant), which
show tracked resources of every type in the short GenericResourceExpanded shape.
"""

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from wizard.emulator import access, operations
from wizard.emulator.context import Ctx
from wizard.emulator.routing import route
from wizard.emulator.store import Row
from wizard.emulator.wire import ArmError, Reply, iso

PAGE_SIZE = 100
_RESOURCES = "Microsoft.Resources/resources"
_CLAUSE = re.compile(r"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
_GENERIC_KEYS = ("id", "name", "type", "location", "kind", "sku", "identity", "managedBy", "plan", "zones", "tags")


def page(ctx: Ctx, items: list[dict[str, Any]]) -> Reply:
    """One page of ``items``: ``$top`` sets the page size, ``$skiptoken`` (an offset here) where it starts."""
    query = ctx.request.query
    try:
        size = max(1, int(query.get("$top") or PAGE_SIZE))
        start = max(0, int(query.get("$skiptoken") or 0))
    except ValueError as exc:
        raise ArmError(400, "InvalidQueryParameterValue", f"Invalid paging parameter: {exc}") from exc
    body: dict[str, Any] = {"value": items[start : start + size]}
    if start + size < len(items):
        params = [(k, v) for k, v in parse_qsl(ctx.request.query_string) if k.lower() != "$skiptoken"]
        params.append(("$skiptoken", str(start + size)))
        body["nextLink"] = f"{ctx.base_url}{ctx.request.path}?{urlencode(params)}"
    return Reply(200, body)


def filtered(items: list[dict[str, Any]], expression: str) -> list[dict[str, Any]]:
    """Apply an ARM ``$filter`` of ``eq`` clauses joined by ``and``: resourceGroup, resourceType, name, location,
    tagName, tagValue (with tagName), all compared case-insensitively as ARM does; any other is refused."""
    if not expression.strip():
        return items
    wanted: dict[str, str] = {}
    for clause in re.split(r"\s+and\s+", expression, flags=re.IGNORECASE):
        match = _CLAUSE.match(clause)
        field = match.group(1).lower() if match else ""
        if field not in ("resourcegroup", "resourcetype", "name", "location", "tagname", "tagvalue"):
            raise ArmError(400, "InvalidFilterInQueryString", f"The $filter '{expression}' is not supported.")
        wanted[field] = match.group(2).replace("''", "'").lower() if match else ""
    return [item for item in items if _matches(item, wanted)]


def _matches(item: dict[str, Any], wanted: dict[str, str]) -> bool:
    plain = {"resourcetype": "type", "name": "name", "location": "location"}
    for field, key in plain.items():
        if field in wanted and str(item.get(key, "")).lower() != wanted[field]:
            return False
    if "resourcegroup" in wanted and _group_of(str(item.get("id", ""))) != wanted["resourcegroup"]:
        return False
    if "tagname" in wanted:
        tags = {str(k).lower(): str(v).lower() for k, v in (item.get("tags") or {}).items()}
        if wanted["tagname"] not in tags:
            return False
        if "tagvalue" in wanted and tags[wanted["tagname"]] != wanted["tagvalue"]:
            return False
    return True


def _group_of(id_: str) -> str:
    parts = id_.lower().split("/")
    return parts[4] if len(parts) > 4 and parts[3] == "resourcegroups" else ""


def _generic(ctx: Ctx, row: Row, expand: str) -> dict[str, Any]:
    """The GenericResourceExpanded shape: envelope without properties, plus what $expand asks for."""
    body = {key: row.body[key] for key in _GENERIC_KEYS if key in row.body}
    expand = expand.lower()
    if "createdtime" in expand:
        body["createdTime"] = iso(row.created)
    if "changedtime" in expand:
        body["changedTime"] = iso(row.created)
    if "provisioningstate" in expand:
        body["provisioningState"] = operations.render(ctx, row)["properties"]["provisioningState"]
    return body


def _tracked(rows: list[Row]) -> list[Row]:
    """Tracked resources held directly by a group: what ARM's generic listing shows (no children, no groups,
    no location-less proxy resources)."""
    return [
        row
        for row in rows
        if row.resource_group
        and row.parent == f"/subscriptions/{row.subscription}/resourcegroups/{row.resource_group}"
        and "location" in row.body
    ]


def _listing(ctx: Ctx, rows: list[Row]) -> Reply:
    query = ctx.request.query
    items = [_generic(ctx, row, query.get("$expand", "")) for row in _tracked(rows)]
    return page(ctx, filtered(items, query.get("$filter", "")))


@route("GET", "/subscriptions/{subscription}/resources", type_=_RESOURCES)
def subscription_resources(ctx: Ctx, subscription: str) -> Reply:
    access.require_subscription(subscription)
    return _listing(ctx, ctx.store.find(subscription=subscription))


@route("GET", "/subscriptions/{subscription}/resourceGroups/{group}/resources", type_=_RESOURCES)
def group_resources(ctx: Ctx, subscription: str, group: str) -> Reply:
    access.require_subscription(subscription)
    if ctx.store.get(access.group_key(subscription, group)) is None:
        raise access.group_not_found(group)
    return _listing(ctx, ctx.store.find(subscription=subscription, resource_group=group))
