"""The regions each cloud offers, so a mistyped region is caught before the first Azure call.

The live list (subscriptions.list_locations) is what the wizard offers; this table is the offline check for
answers files. Names are ARM's programmatic names ("eastus"); `normalize` accepts display names too.
"""

from __future__ import annotations

PUBLIC = [
    "australiacentral",
    "australiaeast",
    "australiasoutheast",
    "brazilsouth",
    "canadacentral",
    "canadaeast",
    "centralindia",
    "centralus",
    "eastasia",
    "eastus",
    "eastus2",
    "francecentral",
    "germanywestcentral",
    "israelcentral",
    "italynorth",
    "japaneast",
    "japanwest",
    "koreacentral",
    "koreasouth",
    "mexicocentral",
    "northcentralus",
    "northeurope",
    "norwayeast",
    "polandcentral",
    "qatarcentral",
    "southafricanorth",
    "southcentralus",
    "southeastasia",
    "southindia",
    "spaincentral",
    "swedencentral",
    "switzerlandnorth",
    "uaenorth",
    "uksouth",
    "ukwest",
    "westcentralus",
    "westeurope",
    "westindia",
    "westus",
    "westus2",
    "westus3",
]
CHINA = ["chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3"]
US_GOVERNMENT = ["usgovarizona", "usgovtexas", "usgovvirginia", "usdodcentral", "usdodeast"]


def normalize(region: str) -> str:
    """Turn "East US 2" or " eastus2 " into ARM's "eastus2"."""
    return "".join(region.split()).lower()
