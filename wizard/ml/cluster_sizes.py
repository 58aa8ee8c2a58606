"""Checking an AmlCompute size before creating the cluster: offered by Azure ML in the region, and within the
workspace's regional cluster quota at the cluster's maximum node count.

Azure ML charges cluster quota per VM family at max nodes times vCPUs (`…/locations/{l}/usages`), and offers its own
list of sizes per region (`…/locations/{l}/vmSizes`); both are read first so a size that will not do is
explained, with sizes that would, before anything is created (as for the DSVM in wizard/dsvm/sizes.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import requests

from wizard.azure.clients import ClientFactory
from wizard.azure.errors import StepError

API_VERSION = "2024-10-01"

ALTERNATIVES = 4
_LINK = "https://learn.microsoft.com/azure/machine-learning/how-to-manage-quotas"


@dataclass(frozen=True)
class ClusterSize:
    name: str
    family: str
    vcpus: int
    gpus: int

    def label(self) -> str:
        return f"{self.name} ({self.vcpus} vCPUs{f', {self.gpus} GPU' if self.gpus else ''})"


def _family_label(family: str) -> str:
    """usages names a family as "Standard DSv5 Family Cluster Dedicated vCPUs"."""
    return f"standard {family.lower().removeprefix('standard').removesuffix('family')} family"


def _free(usages: list[dict[str, Any]], family: str) -> int | None:
    wanted = _family_label(family)
    for usage in usages:
        if str((usage.get("name") or {}).get("value") or "").lower().startswith(wanted):
            return int(usage.get("limit") or 0) - int(usage.get("currentValue") or 0)
    return None


def _read(clients: ClientFactory, region: str, what: str) -> list[dict[str, Any]]:
    """A location list of Azure ML, read with requests: azure-ai-ml's Usage and VmSize models drop its fields."""
    url = (
        f"{clients.cloud.resource_manager.rstrip('/')}/subscriptions/{clients.subscription_id}"
        f"/providers/Microsoft.MachineLearningServices/locations/{region}/{what}"
    )
    answer = requests.get(
        url,
        params={"api-version": API_VERSION},
        headers={"Authorization": f"Bearer {clients.token()}"},
        verify=clients.cloud.connection_verify,
        timeout=30,
    )
    answer.raise_for_status()
    return list(answer.json().get("value") or [])


def check(clients: ClientFactory, region: str, size_name: str, max_nodes: int, *, gpu: bool) -> ClusterSize:
    """The size if a cluster of ``max_nodes`` fits; else a StepError naming sizes that would."""
    sizes = [
        ClusterSize(
            str(size["name"]), str(size.get("family") or ""), int(size.get("vCPUs") or 0), int(size.get("gpus") or 0)
        )
        for size in _read(clients, region, "vmSizes")
        if "AmlCompute" in (size.get("supportedComputeTypes") or ["AmlCompute"])
    ]
    usages = _read(clients, region, "usages")

    def fits(size: ClusterSize) -> bool:
        free = _free(usages, size.family)
        return free is None or free >= size.vcpus * max_nodes

    found = next((size for size in sizes if size.name.lower() == size_name.lower()), None)
    if found is not None and fits(found):
        return found
    vcpus = found.vcpus if found else 4
    others = sorted(
        (size for size in sizes if size.name.lower() != size_name.lower() and bool(size.gpus) == gpu and fits(size)),
        key=lambda size: (abs(math.log2(max(size.vcpus, 1) / vcpus)), size.name),
    )[:ALTERNATIVES]
    suggestion = (
        "Sizes that fit here: " + ", ".join(size.label() for size in others) + "."
        if others
        else "No other size fits the quota here: request more quota or lower the maximum node count."
    )
    if found is None:
        code, message = "SkuNotAvailable", f"Azure ML offers no cluster size {size_name} in {region}"
    else:
        free = _free(usages, found.family) or 0
        code = "QuotaExceeded"
        message = (
            f"a {size_name} cluster of up to {max_nodes} nodes needs {found.vcpus * max_nodes} vCPUs of the "
            f"{found.family} cluster quota in {region}, which has {max(free, 0)} free"
        )
    raise StepError(code, message, todo=suggestion, link=_LINK)
