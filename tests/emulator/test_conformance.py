"""Conformance: every ARM spec example (../shared/arm-spec-examples) of a namespace the emulator serves is
replayed against it and must answer with a declared status code, the example's top-level and ``properties``
keys, and an id/name/type consistent with the path. The resources an example stands on (its parents, or the
resource itself for a read or an action) are made first from their own create examples. What is deliberately
not served is in ALLOWED, with why; the suite fails both on a new failure and on an allowed example that now
passes (so the list only shrinks)."""

import csv
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.emulator.helpers import register
from wizard.emulator import DEMO

EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "arm-spec-examples"
_OTHERS = {
    "Microsoft.KeyVault": "KeyVault",
    "Microsoft.OperationalInsights": "OperationalInsights",
    "Microsoft.Insights": "Insights",
    "Microsoft.MachineLearningServices": "MachineLearningServices",
    "Microsoft.Authorization": "Authorization",
    "Microsoft.DataFactory": "DataFactory",
    "Microsoft.Logic": "Logic",
    "Microsoft.Web": "Web",
}
# The one allow-list: an example file, or a whole namespace, with the reason it is not (yet) served as shown.
ALLOWED: dict[str, str] = {namespace: f"served once the {name} provider lands" for namespace, name in _OTHERS.items()}
ALLOWED |= {
    "Microsoft.Storage/2025-06-01/StorageAccountGetProperties.json": "a geo-redundant account read with its "
    "replication status (secondaryLocation, geoReplicationStats, …); the emulator serves locally redundant ones",
    "Microsoft.Resources/2022-12-01/GetProvider.json": "sample namespace Microsoft.TestRP1 does not exist",
    "Microsoft.Resources/2022-12-01/GetLocations.json": "example body is a bare array; ARM answers {value: [...]}",
    "Microsoft.Resources/2022-12-01/PutDeploymentResourceGroup.json": "TODO: deployments lack templateHash, "
    "timestamp, duration, correlationId, providers, dependencies and do not run asynchronously yet",
    "Microsoft.Compute/2025-04-01/VirtualMachine_Create_WithSshAuthentication.json": "TODO: Standard_D1_v2 and "
    "the {image_*} placeholders are not in compute_catalogue; the example's NIC is not created as a prerequisite",
    "Microsoft.Compute/2025-04-01/VirtualMachine_Create_WithPasswordAuthentication.json": "TODO: as the SSH one",
    "Microsoft.Compute/2025-04-01/VirtualMachine_Get.json": "its prerequisite, the VM create "
    "example, is refused (see those)",
    "Microsoft.Compute/2025-04-01/VirtualMachineImage_ListOffers_MaximumSet_Gen.json": "placeholder location",
    "Microsoft.Compute/2025-04-01/VirtualMachineImage_ListSkus_MaximumSet_Gen.json": "placeholder location",
    "Microsoft.Compute/2025-04-01/Usage_List_MaximumSet_Gen.json": "placeholder location '4_.'",
    "Microsoft.Network/2025-03-01/PublicIpAddressCreateDns.json": "TODO: ipConfiguration of an unattached IP",
    "Microsoft.Network/2025-03-01/PublicIpAddressCreateCustomizedValues.json": "TODO: zones sits outside the "
    "example body (example quirk); ipConfiguration of an unattached IP",
    "Microsoft.DevTestLab/2018-09-15/GlobalSchedules_CreateOrUpdate.json": "example quirk: the request has no "
    "location yet the response shows location and tags it never sent (weekly recurrence itself is accepted)",
    "Microsoft.DevTestLab/2018-09-15/GlobalSchedules_Get.json": "follows the create example",
    "Microsoft.Network/2025-03-01/NetworkInterfaceCreate.json": "TODO: create the referenced vnet/subnet and public "
    "IP as prerequisites",
}


def _rows() -> list[dict[str, str]]:
    if not (EXAMPLES / "INDEX.tsv").is_file():
        return []
    with (EXAMPLES / "INDEX.tsv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t") if row["file"]]


def _path(row: dict[str, str], parameters: dict[str, Any]) -> str:
    values = parameters | {"subscriptionId": DEMO.subscription_id}
    return re.sub(r"\{(\w+)\}", lambda match: str(values[match.group(1)]), row["path_template"])


def _body(parameters: dict[str, Any]) -> Any:
    bodies = [value for value in parameters.values() if isinstance(value, dict)]
    text = json.dumps(bodies[0]) if bodies else "null"
    return json.loads(text.replace("/subscriptions/subid/", f"/subscriptions/{DEMO.subscription_id}/"))


def _problems(row: dict[str, str], example: dict[str, Any], path: str, status: int, answer: Any) -> list[str]:
    declared = [int(code) for code in row["response_codes"].split(",") if code]
    if status not in declared:
        return [f"status {status} not in {declared}: {str(answer)[:300]}"]
    expected = (example["responses"].get(str(status)) or {}).get("body")
    if isinstance(expected, dict) and isinstance(expected.get("value"), list) and expected["value"]:
        expected, answer = expected["value"][0], (answer.get("value") or [{}])[0]
    if isinstance(expected, list) or not isinstance(expected, dict):
        return [] if isinstance(answer, type(expected)) or expected is None else ["body shape differs"]
    problems = [f"missing top-level {key}" for key in expected if key not in answer]
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


def _prerequisites(arm, emulator, row: dict[str, str], parameters: dict[str, Any]) -> list[str]:
    """Create, from their own create examples, the resources an example addresses below or at (for a read or an
    action): spec examples each name their own parents, which no other example has made. Returns what failed."""
    template = row["path_template"]
    cuts = [m.end() for m in re.finditer(r"\}", template) if "/providers/" in template[: m.end()]]
    if row["http_method"] == "PUT":
        cuts = cuts[:-1]
    for cut in cuts:
        create = CREATES.get(template[:cut].lower())
        if create is None or create is row:
            continue
        url, params = emulator.url + _path(create, parameters), {"api-version": create["api_version"]}
        if arm.get(url, params=params).status_code == 200:
            continue
        example = json.loads((EXAMPLES / create["file"]).read_text(encoding="utf-8"))
        made = arm.put(url, params=params, json=_body(example["parameters"]))
        deadline = time.monotonic() + 3
        while made.status_code >= 400 or arm.get(url, params=params).status_code != 200:
            if made.status_code >= 400 or time.monotonic() > deadline:
                return [f"prerequisite {create['file']} at {url}: {made.status_code} {made.text[:200]}"]
            time.sleep(0.02)
    return []


def _replay(arm, emulator, row: dict[str, str], example: dict[str, Any]) -> list[str]:
    path = _path(row, example["parameters"])
    reply = arm.request(
        row["http_method"],
        emulator.url + path,
        params={"api-version": row["api_version"]},
        json=_body(example["parameters"]),
    )
    return _problems(row, example, path, reply.status_code, reply.json() if reply.content else None)


@pytest.mark.skipif(not ROWS, reason=f"no spec examples at {EXAMPLES} (CI clones shared/ beside the repository)")
def test_spec_examples_are_answered_as_declared(emulator, arm, make_client):
    groups = make_client(ResourceManagementClient).resource_groups
    failures: dict[str, list[str]] = {}
    for row in ROWS:
        if row["provider"] in ALLOWED:
            continue
        if row["provider"] != "Microsoft.Resources":
            register(arm, emulator, row["provider"])
        example = json.loads((EXAMPLES / row["file"]).read_text(encoding="utf-8"))
        parameters = example["parameters"]
        if "resourceGroupName" in parameters:  # the prerequisite every group-level example has
            groups.create_or_update(parameters["resourceGroupName"], {"location": "eastus"})
        problems = _prerequisites(arm, emulator, row, parameters) or _replay(arm, emulator, row, example)
        if problems and row["file"] not in ALLOWED:
            failures[row["file"]] = problems
        elif not problems and row["file"] in ALLOWED:
            failures[row["file"]] = ["passes now: remove it from ALLOWED"]
    assert failures == {}, json.dumps(failures, indent=1)
