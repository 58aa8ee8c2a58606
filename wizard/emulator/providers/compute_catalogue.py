"""Microsoft.Compute's view of a region: VM sizes (resource SKUs), marketplace images, and vCPU quotas with usage.

Routes, shaped like the spec examples: ``GET .../providers/Microsoft.Compute/skus`` (``$filter=location eq 'x'``;
``{"value": [...], "nextLink": null}``), ``GET .../locations/{l}/usages`` (usage derived from the VMs stored in
that region) and the image listings ``.../publishers/{p}/artifacttypes/vmimage/offers[/{o}/skus[/{s}/versions]]``
(bare JSON arrays). The Data Science VM images are offered everywhere except ``brazilsouth``, so the "no image
in this region" path can be exercised.

What a subscription may use is state, so tests can take it away (reset restores the seed):
``POST /_emulator/compute/restrictions {"region", "size", "reason"?, "zones"?}`` restricts a size (zones given:
only those zones), ``POST /_emulator/compute/quotas {"region", "name", "limit"}`` sets a quota ("cores" is the
regional total, else a family such as "standardDSv5Family"). In process: ``restrict_size(emu.store, ...)`` and
``set_quota(emu.store, ...)``.
"""

import re
from dataclasses import dataclass
from typing import Any

from wizard.emulator import access, catalogue
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply

VM_TYPE = "Microsoft.Compute/virtualMachines"
TOTAL = "cores"
FAMILY_LIMIT = 10
LIMITS = {TOTAL: (20, "Total Regional vCPUs"), "availabilitySets": (2500, "Availability Sets")}
SETTINGS_KEY = "/_emulator/settings/microsoft.compute"
NO_ZONES = ("westus",)
GPU_REGIONS = ("eastus", "southcentralus", "westus2", "westeurope", "northeurope")
NO_DSVM_REGIONS = ("brazilsouth",)
_LOCATION_FILTER = re.compile(r"^\s*location\s+eq\s+'([^']+)'\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Size:
    name: str
    family: str
    vcpus: int
    memory_gb: float
    generations: str = "V1,V2"
    gpus: int = 0

    @property
    def regions(self) -> tuple[str, ...]:
        return GPU_REGIONS if self.gpus else tuple(region.name for region in catalogue.REGIONS)


SIZES = (
    Size("Standard_B2s", "standardBSFamily", 2, 4),
    Size("Standard_B2ms", "standardBSFamily", 2, 8),
    Size("Standard_B4ms", "standardBSFamily", 4, 16),
    Size("Standard_A2_v2", "standardAv2Family", 2, 4, "V1"),
    Size("Standard_D1_v2", "standardDv2Family", 1, 3.5),
    Size("Standard_D2s_v5", "standardDSv5Family", 2, 8),
    Size("Standard_D4s_v5", "standardDSv5Family", 4, 16),
    Size("Standard_D8s_v5", "standardDSv5Family", 8, 32),
    Size("Standard_D16s_v5", "standardDSv5Family", 16, 64),
    Size("Standard_D2as_v5", "standardDASv5Family", 2, 8),
    Size("Standard_D4as_v5", "standardDASv5Family", 4, 16),
    Size("Standard_D8as_v5", "standardDASv5Family", 8, 32),
    Size("Standard_D4s_v4", "standardDSv4Family", 4, 16),
    Size("Standard_D2s_v3", "standardDSv3Family", 2, 8),
    Size("Standard_D4s_v3", "standardDSv3Family", 4, 16),
    Size("Standard_DS3_v2", "standardDSv2Family", 4, 14),
    Size("Standard_E4s_v5", "standardESv5Family", 4, 32),
    Size("Standard_E8s_v5", "standardESv5Family", 8, 64),
    Size("Standard_F4s_v2", "standardFSv2Family", 4, 8),
    Size("Standard_NC4as_T4_v3", "standardNCASv3_T4Family", 4, 28, gpus=1),
    Size("Standard_NC6s_v3", "standardNCSv3Family", 6, 112, "V1,V2", gpus=1),
)
_SIZES = {size.name.lower(): size for size in SIZES}

# publisher -> offer -> sku -> versions (oldest first). Versions are yy.mm.dd, as the DSVM team numbers them.
IMAGES: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "microsoft-dsvm": {
        "dsvm-win-2019": {
            "server-2019": ("24.06.10", "24.11.14"),
            "server-2019-g2": ("24.06.10", "24.11.14"),
        },
        "dsvm-win-2022": {"winserver-2022": ("24.06.10", "24.11.14", "25.03.05")},
        "ubuntu-2004": {"2004": ("24.06.10",), "2004-gen2": ("24.06.10", "24.11.14")},
        "ubuntu-2204": {"2204": ("24.11.14", "25.03.05"), "2204-gen2": ("24.11.14", "25.03.05", "25.05.20")},
    },
    "Canonical": {
        "ubuntu-24_04-lts": {"server": ("24.04.202505010",)},
        "UbuntuServer": {"16.04-LTS": ("16.04.202109280",)},
    },
    "MicrosoftWindowsServer": {"WindowsServer": {"2016-Datacenter": ("14393.7426.241001",)}},
}
GEN2_SKU = re.compile(r"(gen2|-g2)$", re.IGNORECASE)


def size_named(name: str) -> Size | None:
    return _SIZES.get(name.lower())


def image_os(offer: str) -> str:
    return "Windows" if "win" in offer.lower() else "Linux"


def image_generation(sku: str) -> str:
    return "V2" if GEN2_SKU.search(sku) else "V1"


def _publisher(region: str, publisher: str) -> dict[str, dict[str, tuple[str, ...]]] | None:
    offers = next((v for k, v in IMAGES.items() if k.lower() == publisher.lower()), None)
    if offers is None or (publisher.lower() == "microsoft-dsvm" and region.lower() in NO_DSVM_REGIONS):
        return None
    return offers


def image_versions(region: str, publisher: str, offer: str, sku: str) -> tuple[str, ...]:
    """The versions of one image in a region (empty when the region does not have it)."""
    offers = _publisher(region, publisher) or {}
    skus = next((v for k, v in offers.items() if k.lower() == offer.lower()), {})
    return next((v for k, v in skus.items() if k.lower() == sku.lower()), ())


# What the subscription may use: restrictions and quota limits, kept in the store so a reset restores the seed.


def settings(store: Store) -> dict[str, Any]:
    row = store.get(SETTINGS_KEY)
    return row.body if row else {"restrictions": {}, "limits": {}}


def _save(store: Store, body: dict[str, Any]) -> None:
    subscription = DEMO.subscription_id.lower()
    store.put(Row(SETTINGS_KEY, SETTINGS_KEY, "/_emulator", subscription, None, "Emulator/settings", body))


def restrict_size(
    store: Store, region: str, size: str, reason: str = "NotAvailableForSubscription", zones: list[str] | None = None
) -> None:
    """Make `size` unavailable to the subscription in `region` (in every zone, or only in `zones`)."""
    body = settings(store)
    body["restrictions"][f"{region.lower()}/{size.lower()}"] = {"reason": reason, "zones": zones}
    _save(store, body)


def set_quota(store: Store, region: str, name: str, limit: int) -> None:
    body = settings(store)
    body["limits"][f"{region.lower()}/{name.lower()}"] = int(limit)
    _save(store, body)


def restrictions(store: Store, region: str, size: Size) -> list[dict[str, Any]]:
    """The size's restrictions in the region, as resource SKUs show them."""
    found = settings(store)["restrictions"].get(f"{region.lower()}/{size.name.lower()}")
    if not found:
        return []
    info: dict[str, Any] = {"locations": [region]}
    kind = "Location"
    if found.get("zones"):
        kind, info["zones"] = "Zone", list(found["zones"])
    return [{"type": kind, "values": [region], "restrictionInfo": info, "reasonCode": found["reason"]}]


def blocked(store: Store, region: str, size: Size) -> str | None:
    """Why the subscription cannot deploy this size (regionally) here: unrestricted zones remain, or not."""
    if region.lower() not in size.regions:
        return "NotOffered"
    for restriction in restrictions(store, region, size):
        zones = set(restriction["restrictionInfo"].get("zones") or [])
        if restriction["type"] == "Location" or region.lower() in NO_ZONES or zones >= {"1", "2", "3"}:
            return str(restriction["reasonCode"])
    return None


def _failed(store: Store, row: Row) -> bool:
    op = store.operation(row.operation) if row.operation else None
    return op is not None and op.outcome == "Failed"


def usage(store: Store, subscription: str, region: str, *, excluding: str = "") -> dict[str, dict[str, Any]]:
    """Quota name -> {current, limit, label}: the vCPUs of the VMs in the region, per family and in total."""
    limits = settings(store)["limits"]
    found: dict[str, dict[str, Any]] = {
        name: {"current": 0, "limit": limits.get(f"{region.lower()}/{name.lower()}", limit), "label": label}
        for name, (limit, label) in LIMITS.items()
    }
    for size in SIZES:
        if size.family not in found:
            limit = limits.get(f"{region.lower()}/{size.family.lower()}", FAMILY_LIMIT)
            label = f"Standard {size.family.removeprefix('standard').removesuffix('Family')} Family vCPUs"
            found[size.family] = {"current": 0, "limit": limit, "label": label}
    for row in store.find(subscription=subscription, type_=VM_TYPE):
        if row.key == excluding or row.body.get("location") != region.lower() or _failed(store, row):
            continue
        size = size_named(((row.body.get("properties") or {}).get("hardwareProfile") or {}).get("vmSize", ""))
        if size:
            found[TOTAL]["current"] += size.vcpus
            found[size.family]["current"] += size.vcpus
    return found


# Routes


def _sku(store: Store, region: str, size: Size) -> dict[str, Any]:
    capabilities = {
        "MaxResourceVolumeMB": str(size.vcpus * 8192),
        "OSVhdSizeMB": "1047552",
        "vCPUs": str(size.vcpus),
        "MemoryPreservingMaintenanceSupported": "True",
        "HyperVGenerations": size.generations,
        "MemoryGB": f"{size.memory_gb:g}",
        "MaxDataDiskCount": str(min(size.vcpus * 2, 32)),
        "CpuArchitectureType": "x64",
        "LowPriorityCapable": "True",
        "PremiumIO": "True",
        "VMDeploymentTypes": "IaaS",
        "vCPUsAvailable": str(size.vcpus),
        "vCPUsPerCore": "1" if size.family.startswith("standardB") else "2",
        "EphemeralOSDiskSupported": "True",
        "AcceleratedNetworkingEnabled": "True",
        "RdmaEnabled": "False",
        "MaxNetworkInterfaces": "2",
    }
    if size.gpus:
        capabilities["GPUs"] = str(size.gpus)
    location_info: dict[str, Any] = {"location": region, "zones": [], "zoneDetails": []}
    if region not in NO_ZONES:
        location_info["zones"] = ["1", "2", "3"]
    return {
        "resourceType": "virtualMachines",
        "locations": [region],
        "capabilities": [{"name": name, "value": value} for name, value in capabilities.items()],
        "locationInfo": [location_info],
        "name": size.name,
        "tier": "Standard",
        "size": size.name.removeprefix("Standard_"),
        "family": size.family,
        "restrictions": restrictions(store, region, size),
    }


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.Compute/skus", type_="Microsoft.Compute/skus")
def resource_skus(ctx: Ctx, subscription: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    expression = ctx.request.query.get("$filter", "")
    wanted = None
    if expression.strip():
        match = _LOCATION_FILTER.match(expression)
        if match is None:
            raise ArmError(400, "InvalidFilterInQueryString", f"The $filter '{expression}' is not supported.")
        wanted = match.group(1).replace(" ", "").lower()
    regions = [region.name for region in catalogue.REGIONS if wanted in (None, region.name)]
    value = [_sku(ctx.store, region, size) for region in regions for size in SIZES if region in size.regions]
    return Reply(200, {"value": value, "nextLink": None})


@route(
    "GET",
    "/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/usages",
    type_="Microsoft.Compute/locations/usages",
)
def usages(ctx: Ctx, subscription: str, location: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    value = [
        {
            "unit": "Count",
            "currentValue": entry["current"],
            "limit": entry["limit"],
            "name": {"value": name, "localizedValue": entry["label"]},
        }
        for name, entry in usage(ctx.store, subscription, region).items()
    ]
    return Reply(200, {"value": value})


def _region(location: str) -> str:
    found = catalogue.region(location)
    if found is None:
        raise ArmError(404, "LocationNotAvailableForResourceType", f"The location '{location}' is not available.")
    return found.name


def _not_found(what: str) -> ArmError:
    return ArmError(404, "NotFound", f"Artifact: {what} was not found.")


_PUBLISHERS = "Microsoft.Compute/locations/publishers"
_IMAGES = "/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/publishers/{publisher}"


def _entry(ctx: Ctx, subscription: str, region: str, path: str, name: str) -> dict[str, Any]:
    base = f"/Subscriptions/{subscription}/Providers/Microsoft.Compute/Locations/{region}/Publishers"
    return {"location": region, "name": name, "id": f"{base}/{path}/{name}" if path else f"{base}/{name}"}


@route(
    "GET",
    "/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/publishers",
    type_=_PUBLISHERS,
)
def image_publishers(ctx: Ctx, subscription: str, location: str) -> Reply:
    """The publishers offering images in the region (a bare array, as the API answers)."""
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    publishers = [name for name in IMAGES if _publisher(region, name) is not None]
    return Reply(200, [_entry(ctx, subscription, region, "", name) for name in publishers])


@route(
    "GET",
    "/subscriptions/{subscription}/providers/Microsoft.Compute/locations/{location}/vmSizes",
    type_="Microsoft.Compute/locations/vmSizes",
)
def vm_sizes(ctx: Ctx, subscription: str, location: str) -> Reply:
    """The sizes offered in the region, in the VirtualMachineSize shape."""
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    value = [
        {
            "name": size.name,
            "numberOfCores": size.vcpus,
            "osDiskSizeInMB": 1047552,
            "resourceDiskSizeInMB": size.vcpus * 8192,
            "memoryInMB": int(size.memory_gb * 1024),
            "maxDataDiskCount": size.vcpus * 2,
        }
        for size in SIZES
        if region in size.regions
    ]
    return Reply(200, {"value": value})


@route("GET", _IMAGES + "/artifacttypes/vmimage/offers", type_=_PUBLISHERS)
def image_offers(ctx: Ctx, subscription: str, location: str, publisher: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    offers = _publisher(region, publisher)
    if offers is None:
        raise _not_found("VMImagePublisher")
    path = f"{publisher}/ArtifactTypes/VMImage/Offers"
    return Reply(200, [_entry(ctx, subscription, region, path, offer) for offer in offers])


@route("GET", _IMAGES + "/artifacttypes/vmimage/offers/{offer}/skus", type_=_PUBLISHERS)
def image_skus(ctx: Ctx, subscription: str, location: str, publisher: str, offer: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    skus = next((v for k, v in (_publisher(region, publisher) or {}).items() if k.lower() == offer.lower()), None)
    if skus is None:
        raise _not_found("VMImageOffer")
    path = f"{publisher}/ArtifactTypes/VMImage/Offers/{offer}/Skus"
    return Reply(200, [_entry(ctx, subscription, region, path, sku) for sku in skus])


@route("GET", _IMAGES + "/artifacttypes/vmimage/offers/{offer}/skus/{sku}/versions", type_=_PUBLISHERS)
def image_versions_list(ctx: Ctx, subscription: str, location: str, publisher: str, offer: str, sku: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    versions = list(image_versions(region, publisher, offer, sku))
    if not versions:
        raise _not_found("VMImage")
    if "desc" in ctx.request.query.get("$orderby", "").lower():
        versions.reverse()
    top = ctx.request.query.get("$top")
    if top and top.isdigit():
        versions = versions[: int(top)]
    path = f"{publisher}/ArtifactTypes/VMImage/Offers/{offer}/Skus/{sku}/Versions"
    return Reply(200, [_entry(ctx, subscription, region, path, version) for version in versions])


@route("GET", _IMAGES + "/artifacttypes/vmimage/offers/{offer}/skus/{sku}/versions/{version}", type_=_PUBLISHERS)
def image_version(
    ctx: Ctx, subscription: str, location: str, publisher: str, offer: str, sku: str, version: str
) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Compute")
    region = _region(location)
    versions = image_versions(region, publisher, offer, sku)
    if version.lower() == "latest" and versions:
        version = versions[-1]
    if version not in versions:
        raise _not_found("VMImage")
    path = f"{publisher}/ArtifactTypes/VMImage/Offers/{offer}/Skus/{sku}/Versions"
    body = _entry(ctx, subscription, region, path, version) | {
        "properties": {
            "osDiskImage": {"operatingSystem": image_os(offer), "sizeInGb": 150},
            "dataDiskImages": [],
            "hyperVGeneration": image_generation(sku),
            "architecture": "x64",
            "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": False},
            "imageDeprecationStatus": {"imageState": "Active"},
        }
    }
    return Reply(200, body)


@route("POST", "/_emulator/compute/restrictions", arm=False)
def add_restriction(ctx: Ctx) -> Reply:
    fields = ctx.request.json_object()
    try:
        restrict_size(
            ctx.store,
            str(fields["region"]),
            str(fields["size"]),
            str(fields.get("reason") or "NotAvailableForSubscription"),
            fields.get("zones"),
        )
    except KeyError as exc:
        raise ArmError(400, "InvalidRestriction", f"missing {exc}") from exc
    return Reply(204)


@route("POST", "/_emulator/compute/quotas", arm=False)
def add_quota(ctx: Ctx) -> Reply:
    fields = ctx.request.json_object()
    try:
        set_quota(ctx.store, str(fields["region"]), str(fields["name"]), int(fields["limit"]))
    except (KeyError, ValueError) as exc:
        raise ArmError(400, "InvalidQuota", f"region, name and an integer limit are needed ({exc})") from exc
    return Reply(204)
