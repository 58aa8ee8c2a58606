"""Finding the current Data Science VM image in a region, at run time.

Microsoft publishes the DSVM as marketplace images under the `microsoft-dsvm` publisher and retires old offers
(Windows 2016, Ubuntu 18.04 ...) about every year, so a hard-coded image reference goes stale. Instead the
wizard lists the publisher's offers in the chosen region and takes the newest offer for the OS, its
generation-2 SKU when the size supports it, and that SKU's newest version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from azure.core.exceptions import ResourceNotFoundError

from wizard.answers import VmOs
from wizard.azure.errors import StepError

if TYPE_CHECKING:
    from azure.mgmt.compute import ComputeManagementClient

PUBLISHER = "microsoft-dsvm"
# The offers that are the DSVM itself, newest first by the number they carry (the year, or the Ubuntu release).
OFFER_PATTERNS = {
    VmOs.WINDOWS: re.compile(r"dsvm-win-(\d{4})"),
    VmOs.LINUX: re.compile(r"ubuntu-(\d{4})"),
}
GEN2 = re.compile(r"(gen2|-g2)$", re.IGNORECASE)


@dataclass(frozen=True)
class DsvmImage:
    """A marketplace image reference, pinned to the version found."""

    publisher: str
    offer: str
    sku: str
    version: str

    def reference(self) -> dict[str, str]:
        return {"publisher": self.publisher, "offer": self.offer, "sku": self.sku, "version": self.version}

    def __str__(self) -> str:
        return f"{self.publisher}:{self.offer}:{self.sku}:{self.version}"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def _offers(client: ComputeManagementClient, region: str, os: VmOs) -> list[str]:
    """The DSVM offers for this OS in the region, newest first."""
    try:
        listed = client.virtual_machine_images.list_offers(region, PUBLISHER)
    except ResourceNotFoundError:
        return []
    found = []
    for offer in listed:
        match = OFFER_PATTERNS[os].fullmatch(offer.name or "")
        if match:
            found.append((int(match.group(1)), offer.name))
    return [name for _, name in sorted(found, reverse=True)]


def _pick_sku(skus: list[str], gen2: bool) -> list[str]:
    """SKUs in order of preference: the generation the size runs first, then the others."""
    preferred = [sku for sku in skus if bool(GEN2.search(sku)) == gen2]
    return sorted(preferred) + sorted(sku for sku in skus if sku not in preferred)


def find_dsvm_image(client: ComputeManagementClient, region: str, os: VmOs, *, gen2: bool = True) -> DsvmImage:
    """The newest DSVM image for `os` in `region`, or a StepError naming what to do when there is none."""
    for offer in _offers(client, region, os):
        skus = [sku.name for sku in client.virtual_machine_images.list_skus(region, PUBLISHER, offer) if sku.name]
        for sku in _pick_sku(skus, gen2):
            versions = [v.name for v in client.virtual_machine_images.list(region, PUBLISHER, offer, sku) if v.name]
            if versions:
                return DsvmImage(PUBLISHER, offer, sku, max(versions, key=_version_key))
    label = "Windows" if os is VmOs.WINDOWS else "Ubuntu"
    raise StepError(
        "DsvmImageNotFound",
        f"region {region} offers no {label} Data Science VM image (publisher {PUBLISHER})",
        todo=(
            f"Choose a region that has it (az vm image list --publisher {PUBLISHER} --all --location <region> "
            "lists them), or the other operating system, then start a new setup."
        ),
    )
