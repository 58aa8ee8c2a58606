"""Checking a VM size before creating the VM: offered to this subscription in the region, and within vCPU quota.

Azure only says "SkuNotAvailable" or "QuotaExceeded" minutes into a VM deployment, and without saying what
would work. The same facts are readable up front (`resource_skus.list` carries per-subscription restrictions,
`usage.list` the vCPU quotas per family and in total), so the wizard checks first and, when the size will not
do, names sizes that will.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.azure.errors import StepError

if TYPE_CHECKING:
    from azure.mgmt.compute import ComputeManagementClient

TOTAL_VCPUS = "cores"  # usage.list's name for "Total Regional vCPUs"
ALTERNATIVES = 5


@dataclass(frozen=True)
class VmSize:
    """One VM size as offered in one region."""

    name: str
    family: str
    vcpus: int
    memory_gb: float
    gen2: bool
    gpus: int
    restriction: str | None  # why this subscription cannot use it here, None when it can

    def label(self) -> str:
        return f"{self.name} ({self.vcpus} vCPUs, {self.memory_gb:g} GB)"


@dataclass(frozen=True)
class Quota:
    name: str
    used: int
    limit: int

    @property
    def free(self) -> int:
        return max(self.limit - self.used, 0)


def _text(value: Any) -> str:
    """An SDK enum (whose str() is its member name) or a string, as the string Azure sent."""
    return str(getattr(value, "value", value) or "")


def _capability(sku, name: str, default: str = "0") -> str:
    return next((c.value for c in sku.capabilities or [] if (c.name or "").lower() == name.lower()), default)


def _restriction(sku, region: str) -> str | None:
    """Why the size is blocked for this subscription in this region: a location restriction, or every zone."""
    offered_zones = {
        z for info in sku.location_info or [] if (info.location or "").lower() == region for z in info.zones or []
    }
    for restriction in sku.restrictions or []:
        kind = _text(restriction.type)
        reason = _text(restriction.reason_code) or "restricted"
        info = restriction.restriction_info
        if kind == "Location" and region in {v.lower() for v in restriction.values_property or []}:
            return reason
        if kind == "Zone" and offered_zones and offered_zones <= set(info.zones if info and info.zones else []):
            return f"{reason} in every zone"
    return None


def region_sizes(client: ComputeManagementClient, region: str) -> dict[str, VmSize]:
    """VM sizes of the region by lower-cased name, with their restriction for this subscription."""
    sizes: dict[str, VmSize] = {}
    for sku in client.resource_skus.list(filter=f"location eq '{region}'"):
        if (sku.resource_type or "").lower() != "virtualmachines" or not sku.name:
            continue
        if region not in {location.lower() for location in sku.locations or []}:
            continue
        sizes[sku.name.lower()] = VmSize(
            name=sku.name,
            family=sku.family or "",
            vcpus=int(_capability(sku, "vCPUs")),
            memory_gb=float(_capability(sku, "MemoryGB")),
            gen2="V2" in _capability(sku, "HyperVGenerations", "V1").upper(),
            gpus=int(_capability(sku, "GPUs")),
            restriction=_restriction(sku, region),
        )
    return sizes


def quotas(client: ComputeManagementClient, region: str) -> dict[str, Quota]:
    """vCPU quotas of the region by lower-cased name (family names, and "cores" for the regional total)."""
    found = {}
    for usage in client.usage.list(region):
        name = (usage.name.value if usage.name else "") or ""
        found[name.lower()] = Quota(name, int(usage.current_value or 0), int(usage.limit or 0))
    return found


def _quota_problem(size: VmSize, limits: dict[str, Quota]) -> str | None:
    for key, label in ((size.family.lower(), f"the {size.family} family"), (TOTAL_VCPUS, "all sizes together")):
        quota = limits.get(key)
        if quota is not None and quota.free < size.vcpus:
            return f"{size.name} needs {size.vcpus} vCPUs but {label} has {quota.free} of {quota.limit} free"
    return None


def alternatives(wanted: VmSize | None, sizes: Iterable[VmSize], limits: dict[str, Quota]) -> list[VmSize]:
    """Usable CPU sizes closest to the wanted one (in vCPUs, then memory), that fit the quota."""
    vcpus, memory = (wanted.vcpus, wanted.memory_gb) if wanted else (4, 16.0)
    usable = [
        size
        for size in sizes
        if size.restriction is None
        and size.gpus == 0
        and size.vcpus >= 2
        and (wanted is None or size.name != wanted.name)
        and _quota_problem(size, limits) is None
    ]
    usable.sort(key=lambda s: (abs(math.log2(s.vcpus / vcpus)), abs(s.memory_gb - memory), s.name))
    return usable[:ALTERNATIVES]


def _suggest(others: list[VmSize]) -> str:
    if not others:
        return "No other size is available within your quota here."
    return "Sizes you can use here: " + ", ".join(size.label() for size in others) + "."


def check_size(client: ComputeManagementClient, region: str, size_name: str) -> VmSize:
    """The size, if this subscription can create it in the region now; else a StepError naming alternatives."""
    sizes = region_sizes(client, region)
    limits = quotas(client, region)
    size = sizes.get(size_name.lower())
    todo = (
        "Set vm_size to one of the sizes named above and run again: finished steps are kept "
        "(another region is another setup: --checkpoint NEW_PATH)."
    )
    if size is None or size.restriction:
        why = "is not offered" if size is None else f"is not available to this subscription ({size.restriction})"
        others = alternatives(size, sizes.values(), limits)
        raise StepError("SkuNotAvailable", f"{size_name} {why} in {region}. {_suggest(others)}", todo=todo)
    problem = _quota_problem(size, limits)
    if problem:
        others = alternatives(size, sizes.values(), limits)
        raise StepError("QuotaExceeded", f"{problem} in {region}. {_suggest(others)}", todo=todo)
    return size
