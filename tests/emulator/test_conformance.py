"""Conformance: every ARM spec example (../shared/arm-spec-examples) of a namespace the emulator serves is
replayed against it and must answer with a declared status code, the example's top-level and ``properties``
keys, and an id/name/type consistent with the path. The resources an example stands on (its parents, the
resource itself for a read or an action, and what its body refers to) are made first from their own create
examples; a custom role it assigns is made, and a run it reads is started, as no example makes them. Every
example's subscription is ours, and literal placeholders and generated filler are stood in for. What is
deliberately not served is in ALLOWED, with why and exactly what its replay shows; the suite fails on a new
failure, on an allowed example showing anything else, and on one that shows less or passes now (so the list and
each entry only shrink)."""

import csv
import json
import re
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.emulator.helpers import register
from wizard.emulator import DEMO

EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "arm-spec-examples"


# The one allow-list: an example file, why it is not served as shown, and exactly what its replay shows for that
# (a problem, or the start of one): a new problem on an allowed example fails as on any other, and one it no longer
# shows must leave its entry. A read of what an allowed create example makes inherits that exception (see
# _stands_on_allowed), so it is not listed again.
class Allowed(NamedTuple):
    reason: str
    problems: tuple[str, ...]


ALLOWED: dict[str, Allowed] = {
    "Microsoft.Compute/2025-04-01/VirtualMachine_Get.json": Allowed(
        "example quirk: it reads another VM than either create example makes (availability set, proximity "
        "placement group, gallery applications, extensions, userData, extensionsTimeBudget, managedBy): those "
        "fields are the caller's or another resource's, not the service's",
        (
            "missing top-level resources",
            "missing top-level managedBy",
            "missing properties.availabilitySet",
            "missing properties.proximityPlacementGroup",
            "missing properties.applicationProfile",
            "missing properties.userData",
            "missing properties.extensionsTimeBudget",
        ),
    ),
    "Microsoft.MachineLearningServices/2025-09-01/Compute/createOrUpdate/BasicAmlCompute.json": Allowed(
        "STANDARD_NC6 (NC-series v1) was retired in September 2023: the service refuses it now, as the emulator does",
        ("status 400 not in [200, 201]: {'error': {'code': 'BadRequest', 'message': \"The VM size 'STANDARD_NC6'",),
    ),
    "Microsoft.MachineLearningServices/2025-09-01/Schedule/createOrUpdate.json": Allowed(
        "a Cron trigger whose expression is the word 'string', which no service parses, firing an "
        "InvokeBatchEndpoint action whose endpointInvocationDefinition the REST spec leaves undefined ('see TBD'; "
        "the example's is a random-GUID key with null); the emulator serves the CreateJob/Recurrence schedules "
        "azure-ai-ml makes",
        ("status 400 not in [200, 201]: {'error': {'code': 'UserError', 'message': \"Schedule 'string': action type",),
    ),
    "Microsoft.Insights/2020-02-02/ComponentsGet.json": Allowed(
        "example quirk: it reads a component with a Service Profiler storage account linked (LinkedStorages), "
        "which the create example does not link",
        ("missing properties.LinkedStorages",),
    ),
}

# Example quirks in the namespaces served in full: what each example shows that no request could make Azure show.
ALLOWED |= {
    "Microsoft.Storage/2025-06-01/StorageAccountGetProperties.json": Allowed(
        "shows geoReplicationStats without the $expand=geoReplicationStats the service needs to include them, and "
        "a customer-initiated migration in progress (accountMigrationInProgress, isSkuConversionBlocked, which "
        "Azure answers only then) with geo priority replication (geoPriorityReplicationStatus) that no request "
        "turned on",
        (
            "missing properties.accountMigrationInProgress",
            "missing properties.geoReplicationStats",
            "missing properties.isSkuConversionBlocked",
            "missing properties.geoPriorityReplicationStatus",
        ),
    ),
    "Microsoft.Logic/2019-05-01/Workflows_CreateOrUpdate.json": Allowed(
        "the response shows an integrationServiceEnvironment (retired) the request never named, and accessControl "
        "it never set",
        ("missing properties.integrationServiceEnvironment", "missing properties.accessControl"),
    ),
    "Microsoft.Logic/2019-05-01/WorkflowRunActions_Get.json": Allowed(
        "reads action 'HTTP', which the example's workflow (one ApiConnection action, Find_pet_by_ID) does not have",
        ("status 404 not in [200]: {'error': {'code': 'ResourceNotFound'",),
    ),
    "Microsoft.Web/2025-05-01/CreateOrUpdateFunctionAppFlexConsumption.json": Allowed(
        "reuses the name of the web app example (sitef6141, on the P1 plan DefaultAsp) and names no plan, so it "
        "asks to turn that web app into a Flex app on a P1 plan; its connection-string deployment storage is not "
        "served either (identity only)",
        ("status 400 not in [200, 202]: {'error': {'code': 'BadRequest', 'message': \"functionAppConfig is for Flex",),
    ),
}


def _unlike_allowed(allowed: Allowed, problems: list[str]) -> list[str]:
    """What the replay of an allowed example shows beyond its entry, and what of its entry it no longer shows."""
    if not problems:
        return ["passes now: remove it from ALLOWED"]
    beyond = [p for p in problems if not any(p.startswith(declared) for declared in allowed.problems)]
    gone = [d for d in allowed.problems if not any(p.startswith(d) for p in problems)]
    return [f"not allowed: {p}" for p in beyond] + [f"no longer shown, narrow its entry: {d}" for d in gone]


def _rows() -> list[dict[str, str]]:
    if not (EXAMPLES / "INDEX.tsv").is_file():
        return []
    with (EXAMPLES / "INDEX.tsv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["file"]]


# Examples name their own subscription (a GUID, "subid", "{subscription-id}", or inside a scope): all are ours.
_SUBSCRIPTION = re.compile(r"(/?subscriptions/)[^/\"]+", re.IGNORECASE)


def _ours(text: str) -> str:
    return _SUBSCRIPTION.sub(lambda match: match.group(1) + DEMO.subscription_id, text)


# Literal placeholders of the examples ("{your-username}") their own responses do not resolve, and what the
# generated *_MaximumSet_Gen examples put in their paths ("aaaa", "4_."): stand-ins a real request would carry.
_STAND_INS = {"subscription-id": DEMO.subscription_id, "your-username": "azureuser"}
_FILLER_PATH = {"location": "westus", "publisherName": "Canonical", "offer": "UbuntuServer"}
_PLACEHOLDER = re.compile(r"\{([\w-]+)\}")


# Sample provider namespaces of the examples, read as a namespace that exists.
_SAMPLE_NAMESPACES = {"Microsoft.TestRP1": "Microsoft.Storage"}


def _path(row: dict[str, str], parameters: dict[str, Any]) -> str:
    filler = _FILLER_PATH if row.get("file", "").endswith("_MaximumSet_Gen.json") else {}
    values = {k: _SAMPLE_NAMESPACES.get(v, v) if isinstance(v, str) else v for k, v in parameters.items()}
    values |= filler | {"subscriptionId": DEMO.subscription_id}
    return _ours(re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), row["path_template"]))


def _named_by_response(row: dict[str, str], example: dict[str, Any]) -> dict[str, Any]:
    """The parameters, with those whose value is only their own name (scope "scope") read from the id the
    response shows for the path (a role read at "/subscriptions/subID"), as a real request would name them."""
    parameters = example["parameters"]
    literal = [name for name, value in parameters.items() if value == name]
    shown = _shown(example)
    if not literal or not isinstance(shown, dict) or not isinstance(shown.get("id"), str):
        return parameters
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(row["path_template"].lstrip("/")))
    found = re.fullmatch(pattern, shown["id"].lstrip("/"), re.IGNORECASE)
    read = found.groupdict() if found else {}
    return parameters | {name: read[name] for name in literal if name in read}


def _request(example: dict[str, Any]) -> Any:
    return next((value for value in example["parameters"].values() if isinstance(value, dict)), None)


def _pairs(sent: Any, shown: Any) -> Iterator[tuple[Any, Any]]:
    """The values at the same place in the request and in the response."""
    yield sent, shown
    if isinstance(sent, dict) and isinstance(shown, dict):
        for key in sent.keys() & shown.keys():
            yield from _pairs(sent[key], shown[key])
    elif isinstance(sent, list) and isinstance(shown, list):
        for pair in zip(sent, shown, strict=False):
            yield from _pairs(*pair)


def _shown(example: dict[str, Any]) -> Any:
    """The body of the example's first success response."""
    return next((reply.get("body") for code, reply in sorted(example["responses"].items()) if code < "3"), None)


def _stand_ins(example: dict[str, Any]) -> dict[str, str]:
    """What each placeholder of the request stands for: what the example's response shows in its place (the
    image the VM was made from), else a stand-in."""
    found = _STAND_INS | {"your-password": f"Aa1-{secrets.token_urlsafe(12)}"}
    for sent, answered in _pairs(_request(example), _shown(example)):
        if isinstance(sent, str) and isinstance(answered, str) and _PLACEHOLDER.search(sent):
            names = _PLACEHOLDER.findall(sent)
            pattern = re.escape(sent)
            for name in names:
                pattern = pattern.replace(re.escape(f"{{{name}}}"), "([^/]+?)", 1)
            match = re.fullmatch(pattern, answered)
            pairs = zip(names, match.groups(), strict=True) if match else ()
            found |= {name: value for name, value in pairs if not _PLACEHOLDER.search(value)}
    return found


def _localized(example: dict[str, Any], value: Any) -> Any:
    """``value`` of the example with its subscription ours and its placeholders stood in for."""
    text = _ours(json.dumps(value))
    stand_ins = _stand_ins(example)
    return json.loads(_PLACEHOLDER.sub(lambda match: stand_ins.get(match.group(1), match.group(0)), text))


def _body(example: dict[str, Any]) -> Any:
    request, shown = _request(example), _shown(example)
    if isinstance(request, dict) and isinstance(shown, dict):  # a body field the example put beside the body
        parameters = example["parameters"].items()
        request |= {k: v for k, v in parameters if k in shown and v is not request and not isinstance(v, str)}
    if isinstance(request, dict) and request.get("location") == "string":
        # the generated ML examples' filler; sent without one, a workspace's child takes the workspace's region
        request = {key: value for key, value in request.items() if key != "location"}
    return _localized(example, request)


def _problems(
    row: dict[str, str], example: dict[str, Any], path: str, sent: Any, status: int, answer: Any
) -> list[str]:
    declared = [int(code) for code in row["response_codes"].split(",") if code]
    if status not in declared:
        return [f"status {status} not in {declared}: {str(answer)[:300]}"]
    expected = (example["responses"].get(str(status)) or {}).get("body")
    if isinstance(expected, dict) and isinstance(expected.get("value"), list) and expected["value"]:
        expected, answer = expected["value"][0], (answer.get("value") or [{}])[0]
    if isinstance(expected, list) and isinstance(answer, dict) and isinstance(answer.get("value"), list):
        # a bare array is a listing's value with the envelope ARM sends ({"value": [...]}) left out
        expected, answer = (expected or [{}])[0], (answer["value"] or [{}])[0]
    if isinstance(expected, list) or not isinstance(expected, dict):
        return [] if isinstance(answer, type(expected)) or expected is None else ["body shape differs"]
    # Tags are the caller's alone: a response showing tags the request (for a read, the create's) never sent shows
    # the recording's own.
    untagged = isinstance(sent, dict) and "tags" not in sent
    problems = [f"missing top-level {k}" for k in expected if k not in answer and not (k == "tags" and untagged)]
    wanted = expected.get("properties") if isinstance(expected.get("properties"), dict) else {}
    problems += [f"missing properties.{key}" for key in wanted if key not in (answer.get("properties") or {})]
    if "id" in expected and row["http_method"] in ("PUT", "GET") and row["path_template"].endswith("}"):
        if str(answer.get("id", "")).lower() != path.lower():
            problems.append(f"id {answer.get('id')} is not the path {path}")
        if answer.get("name") and answer["name"].lower() != path.rsplit("/", 1)[-1].lower():
            problems.append(f"name {answer.get('name')} is not the path's")
    return problems


ROWS = _rows()
# The create example of each type: what the other examples of the type (and of its children) stand on.
CREATES = {row["path_template"].lower(): row for row in ROWS if row["http_method"] == "PUT"}
_TEMPLATES = [(re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(t)), re.IGNORECASE), r) for t, r in CREATES.items()]
_ARM_ID = re.compile(rf"/subscriptions/{DEMO.subscription_id}/resourceGroups/([^/]+)/providers/.+", re.IGNORECASE)


def _ids(value: Any) -> Iterator[str]:
    """The resource ids in a request body (as values, or as keys such as userAssignedIdentities')."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _ids(key)
            yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)
    elif isinstance(value, str) and _ARM_ID.fullmatch(value):
        yield value


def _create_example(id_: str) -> tuple[dict[str, str], str, Any] | None:
    """The create example of the resource at ``id_``, where to PUT it and the body; for a child that only exists
    inline in its parent (a subnet of a virtual network), the parent's, with its first such child renamed."""
    row = next((row for pattern, row in _TEMPLATES if pattern.fullmatch(id_)), None)
    if row is not None:
        return row, id_, _body(json.loads((EXAMPLES / row["file"]).read_text(encoding="utf-8")))
    parent, segment, name = id_.rsplit("/", 2)
    found = _create_example(parent) if _ARM_ID.fullmatch(parent) else None
    children = ((found[2] or {}).get("properties") or {}).get(segment) if found else None
    if not found or not isinstance(children, list) or not children:
        return None
    found[2]["properties"][segment] = [children[0] | {"name": name}]
    return found


def _create(arm, emulator, row: dict[str, str], path: str, body: Any, seen: set[str]) -> list[str]:
    """PUT a prerequisite (after what it references) and wait until it reads back. Returns what failed."""
    url, params = emulator.url + path, {"api-version": row["api_version"]}
    if path.lower() in seen or arm.get(url, params=params).status_code == 200:
        return []
    seen.add(path.lower())
    problems = _referenced(arm, emulator, body, seen)
    if problems:
        return problems
    made = arm.put(url, params=params, json=body)
    deadline = time.monotonic() + 3
    while made.status_code >= 400 or arm.get(url, params=params).status_code != 200:
        if made.status_code >= 400 or time.monotonic() > deadline:
            return [f"prerequisite {row['file']} at {url}: {made.status_code} {made.text[:200]}"]
        time.sleep(0.02)
    return []


def _referenced(arm, emulator, body: Any, seen: set[str]) -> list[str]:
    """Make, from the create example of their type, the resources a request body points at (a NIC's subnet, a
    workspace's storage account): the service refuses a reference to nothing, and no example makes them under
    the names the referencing example uses. They go where the referencing resource goes (Azure wants a NIC in
    its VM's region, a storage account in its workspace's), under the lower-case spelling of the id every type
    accepts (ids are case-insensitive; storage account names must be lower case). What no example creates (a
    user-assigned identity, a registry) is left to the service to judge."""
    for id_ in sorted({id_.lower() for id_ in _ids(body)}):
        found = _create_example(id_)
        if found is None:
            continue
        row, path, made = found
        group = f"{emulator.url}/subscriptions/{DEMO.subscription_id}/resourceGroups/{_ARM_ID.fullmatch(id_)[1]}"
        arm.put(group, params={"api-version": "2022-12-01"}, json={"location": "eastus"}).raise_for_status()
        register(arm, emulator, row["provider"])
        if isinstance(made, dict) and "location" in made and isinstance(body, dict) and body.get("location"):
            made["location"] = body["location"]
        problems = _create(arm, emulator, row, path, made, seen)
        if problems:
            return problems
    return []


def _group(arm, emulator, path: str) -> None:
    """The prerequisite every group-level example has: its resource group."""
    if found := re.search(r"/subscriptions/[^/]+/resourceGroups/[^/]+", path, re.IGNORECASE):
        arm.put(emulator.url + found[0], params={"api-version": "2022-12-01"}, json={"location": "eastus"})


def _template_values(template: str, resource_id: str) -> dict[str, str] | None:
    pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    match = re.fullmatch(pattern, resource_id, re.IGNORECASE)
    return match.groupdict() if match else None


def _references(path: str, body: Any) -> list[str]:
    """The resources a request body names by name, as Data Factory's ``<Kind>Reference``s do (to a sibling
    collection, ``<kind>s``, of the resource's parent); those it names by ARM id are made by ``_referenced``."""
    found: list[str] = []
    if isinstance(body, dict):
        kind = str(body.get("type") or "")
        if kind.endswith("Reference") and isinstance(body.get("referenceName"), str):
            found.append(f"{path.rsplit('/', 2)[0]}/{kind.removesuffix('Reference').lower()}s/{body['referenceName']}")
        found += [reference for value in body.values() for reference in _references(path, value)]
    elif isinstance(body, list):
        found += [reference for value in body for reference in _references(path, value)]
    return found


_ROLE = re.compile(r"/subscriptions/[^/]+/providers/Microsoft\.Authorization/roleDefinitions/[^/]+$", re.IGNORECASE)


def _custom_roles(arm, emulator, body: Any) -> None:
    """A role an example assigns or reads that is not built in was a custom role of the recording's tenant: make
    it (no example defines one, so with read-only permissions, assignable in our subscription)."""
    for text in re.findall(r'"([^"]+)"', json.dumps(body)):
        url, params = emulator.url + text, {"api-version": "2022-04-01"}
        if _ROLE.match(text) and arm.get(url, params=params).status_code == 404:
            scopes = [f"/subscriptions/{DEMO.subscription_id}"]
            name = text.rsplit("/", 1)[-1]
            role = {"roleName": f"Example role {name}", "description": "made by the suite", "assignableScopes": scopes}
            arm.put(url, params=params, json={"properties": role | {"permissions": [{"actions": ["*/read"]}]}})


def _stand_up(arm, emulator, create: dict[str, str], values: dict[str, Any], seen: set[str]) -> list[str]:
    """Make what ``create`` (a create example) addresses with ``values``, unless it exists: what it stands on
    first. Returns what failed."""
    path = _path(create, values)
    body = _body(json.loads((EXAMPLES / create["file"]).read_text(encoding="utf-8")))
    if path.lower() not in seen and (problems := _prerequisites(arm, emulator, create, values, body, seen)):
        return problems
    return _create(arm, emulator, create, path, body, seen)


def _prerequisites(arm, emulator, row: dict[str, str], parameters: dict[str, Any], body: Any, seen: set[str]):
    """Create, from their own create examples, the resources an example addresses below or at (for a read or an
    action), and those its body refers to: spec examples each name their own parents and references, which no
    other example has made. Returns what failed."""
    template, path = row["path_template"], _path(row, parameters)
    _group(arm, emulator, path)
    _custom_roles(arm, emulator, [body, path])
    cuts = [m.end() for m in re.finditer(r"\}", template) if "/providers/" in template[: m.end()]]
    if row["http_method"] == "PUT":
        cuts = cuts[:-1]
    needed = [(CREATES.get(template[:cut].lower()), parameters) for cut in cuts]
    for reference in _references(path, body) if row["http_method"] == "PUT" else []:
        needed += [
            (create, values)
            for create in CREATES.values()
            if (values := _template_values(create["path_template"], reference)) is not None
        ]
    for create, values in needed:
        if create is not None and create is not row and (problems := _stand_up(arm, emulator, create, values, seen)):
            return problems
    return []


def _deleted_first(arm, emulator, row: dict[str, str], example: dict[str, Any]) -> list[str]:
    """A deleted resource (a soft-deleted vault) is one made and then deleted: its example names the original by
    id in its body. The one of that name (vault names are global) another example made is deleted, else the
    original is made from its create example first; nothing is done if it is deleted already."""
    deleted = re.search(r"/deleted\w+/\{\w+\}", row["path_template"])
    if deleted is None:
        return []
    read = {**row, "path_template": row["path_template"][: deleted.end()]}
    if arm.get(emulator.url + _path(read, example["parameters"]), params={"api-version": row["api_version"]}).ok:
        return []
    listed = arm.get(
        f"{emulator.url}/subscriptions/{DEMO.subscription_id}/resources", params={"api-version": "2021-04-01"}
    )
    for id_ in sorted({id_.lower() for id_ in _ids(_localized(example, _shown(example)))}):
        found = _create_example(id_)
        if found is None:
            continue
        namespace, type_, name = id_.split("/providers/", 1)[1].split("/")[:3]
        wanted = (f"{namespace}/{type_}", name)
        same = [r["id"] for r in listed.json()["value"] if (r["type"].lower(), r["name"].lower()) == wanted]
        problems = [] if same else _referenced(arm, emulator, [id_], set())
        if problems:
            return problems
        gone = arm.delete(emulator.url + (same or [id_])[0], params={"api-version": found[0]["api_version"]})
        if gone.status_code >= 400:
            return [f"could not delete {id_} to replay its deleted form: {gone.status_code} {gone.text[:200]}"]
    return []


_RUN = re.compile(r"/(\w*runs)/\{(run\w*)\}", re.IGNORECASE)  # .../runs/{runName}, .../pipelineruns/{runId}


def _run_starter(parent: str) -> dict[str, str] | None:
    """The example that starts runs below ``parent`` (a trigger's run, a pipeline's createRun), if any."""
    return next(
        (
            other
            for other in ROWS
            if other["http_method"] == "POST"
            and other["path_template"].startswith(parent + "/")
            and other["path_template"].lower().endswith(("/run", "/createrun"))
        ),
        None,
    )


def _start_run(arm, emulator, starter: dict[str, str], given: dict[str, Any]) -> Any:
    """Start a run with the ``starter`` example, its parameters overridden by ``given``, after what it stands on;
    the answer, or None if that could not be made."""
    values = json.loads((EXAMPLES / starter["file"]).read_text(encoding="utf-8"))["parameters"] | given
    if _prerequisites(arm, emulator, starter, values, None, set()):
        return None
    body = _body({"parameters": values, "responses": {}})
    return arm.post(emulator.url + _path(starter, values), params={"api-version": starter["api_version"]}, json=body)


def _started_run(arm, emulator, row: dict[str, str], parameters: dict[str, Any]) -> dict[str, Any]:
    """The service names runs, so an example reading a recorded run reads one the suite starts, with the example
    that starts runs there; the parameters with its name."""
    found = _RUN.search(row["path_template"])
    if found is None or row["http_method"] != "GET":
        return parameters
    parent = row["path_template"][: found.start()]
    starter = _run_starter(parent)
    ours = {key: value for key, value in parameters.items() if f"{{{key}}}" in parent}
    started = _start_run(arm, emulator, starter, ours) if starter else None
    if started is None:
        return parameters
    name = (started.json() if started.content else {}).get("runId")
    if name is None:
        runs_url = emulator.url + _path({"path_template": parent}, ours) + f"/{found[1]}"
        runs = arm.get(runs_url, params={"api-version": starter["api_version"]})
        name = ((runs.json().get("value") or [{}])[0]).get("name") if runs.ok else None
    return parameters | {found[2]: name} if name else parameters


_QUERY_RUNS = re.compile(r"/query(\w+)runs$", re.IGNORECASE)  # .../queryPipelineRuns


def _queried_runs(arm, emulator, row: dict[str, str], example: dict[str, Any]) -> dict[str, Any]:
    """An example querying runs found the recording's, in the recording's window: the suite starts the runs its
    filter names (with the example that starts them) and queries the hour around now instead."""
    found = _QUERY_RUNS.search(row["path_template"])
    query = next((v for v in example["parameters"].values() if isinstance(v, dict) and "lastUpdatedAfter" in v), None)
    if found is None or query is None:
        return example["parameters"]
    kind, parent = found[1], row["path_template"][: found.start()]
    wanted = [
        f for f in query.get("filters", []) if f.get("operand") == f"{kind}Name" and f.get("operator") == "Equals"
    ]
    starter = _run_starter(parent)
    ours = {k: v for k, v in example["parameters"].items() if f"{{{k}}}" in parent}
    for name in [value for f in wanted for value in f.get("values", [])] if starter else []:
        _start_run(arm, emulator, starter, ours | {f"{kind.lower()}Name": name})
    now = datetime.now(UTC)
    window = {
        "lastUpdatedAfter": (now - timedelta(hours=1)).isoformat(),
        "lastUpdatedBefore": (now + timedelta(hours=1)).isoformat(),
    }
    return {key: value | window if value is query else value for key, value in example["parameters"].items()}


def _query(row: dict[str, str], example: dict[str, Any]) -> dict[str, str]:
    """The api-version and the OData options the example sends in its query (a VM read's $expand=userData)."""
    options = {k: v for k, v in example["parameters"].items() if k.startswith("$") and isinstance(v, str)}
    return {"api-version": row["api_version"]} | options


def _replay(arm, emulator, row: dict[str, str], example: dict[str, Any]) -> list[str]:
    path = _path(row, example["parameters"])
    body = _body(example)
    problems = _referenced(arm, emulator, body, set())
    if problems:
        return problems
    reply = arm.request(row["http_method"], emulator.url + path, params=_query(row, example), json=body)
    create = CREATES.get(row["path_template"].lower()) if row["http_method"] == "GET" else None
    sent = _body(json.loads((EXAMPLES / create["file"]).read_text(encoding="utf-8"))) if create else body
    return _problems(row, example, path, sent, reply.status_code, reply.json() if reply.content else None)


def _stands_on_allowed(row: dict[str, str], problems: list[str], allowed: dict[str, list[str]]) -> bool:
    """A read of what an allowed create example makes inherits its exception, and only it: its one problem is
    that the create was refused, or its problems are the very ones the create's answer had."""
    create = CREATES.get(row["path_template"].lower())
    if create is None or create["file"] not in allowed or row["http_method"] != "GET":
        return False
    refused = f"prerequisite {create['file']} at "
    return all(p.startswith(refused) for p in problems) or set(problems) <= set(allowed[create["file"]])


@pytest.mark.skipif(not ROWS, reason=f"no spec examples at {EXAMPLES} (CI clones shared/ beside the repository)")
def test_spec_examples_are_answered_as_declared(emulator, arm):
    failures: dict[str, list[str]] = {}
    allowed_problems: dict[str, list[str]] = {}
    for row in ROWS:
        if row["provider"] != "Microsoft.Resources":
            register(arm, emulator, row["provider"])
        example = json.loads((EXAMPLES / row["file"]).read_text(encoding="utf-8"))
        example["parameters"] = parameters = _named_by_response(row, example)
        problems = _prerequisites(arm, emulator, row, parameters, _body(example), set())
        example["parameters"] = parameters = _started_run(arm, emulator, row, parameters)
        example["parameters"] = _queried_runs(arm, emulator, row, example)
        problems = problems or _deleted_first(arm, emulator, row, example) or _replay(arm, emulator, row, example)
        if row["file"] in ALLOWED:
            allowed_problems[row["file"]] = problems
            if unlike := _unlike_allowed(ALLOWED[row["file"]], problems):
                failures[row["file"]] = unlike
        elif problems and not _stands_on_allowed(row, problems, allowed_problems):
            failures[row["file"]] = problems
    assert failures == {}, json.dumps(failures, indent=1)
