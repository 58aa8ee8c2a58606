"""Seed data of the emulated cloud: its regions and its resource provider namespaces.

Data, not state: a reset returns every subscription to exactly this. A namespace missing here is unknown to the
emulator (ARM answers InvalidResourceNamespace); a type missing from a known namespace is still accepted by the
generic resource store, so later wizard steps work before anyone writes their behaviour.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A public Azure region, with the metadata ARM's location list carries."""

    name: str
    display_name: str
    geography_group: str
    geography: str
    physical_location: str
    longitude: str
    latitude: str
    paired: str
    recommended: bool = True

    @property
    def regional_display_name(self) -> str:
        return f"({self.geography_group}) {self.display_name}"


REGIONS: tuple[Region, ...] = (
    Region("eastus", "East US", "US", "United States", "Virginia", "-79.8164", "37.3719", "westus"),
    Region("eastus2", "East US 2", "US", "United States", "Virginia", "-78.3889", "36.6681", "centralus"),
    Region("westus2", "West US 2", "US", "United States", "Washington", "-119.852", "47.233", "westcentralus"),
    Region("westus3", "West US 3", "US", "United States", "Phoenix", "-112.074036", "33.448376", "eastus"),
    Region("centralus", "Central US", "US", "United States", "Iowa", "-93.6208", "41.5908", "eastus2"),
    Region("southcentralus", "South Central US", "US", "United States", "Texas", "-98.5", "29.4167", "northcentralus"),
    Region("westus", "West US", "US", "United States", "California", "-122.417", "37.783", "eastus", False),
    Region("northeurope", "North Europe", "Europe", "Europe", "Ireland", "-6.2597", "53.3478", "westeurope"),
    Region("westeurope", "West Europe", "Europe", "Europe", "Netherlands", "4.9", "52.3667", "northeurope"),
    Region("uksouth", "UK South", "Europe", "United Kingdom", "London", "-0.799", "50.941", "ukwest"),
    Region("francecentral", "France Central", "Europe", "France", "Paris", "2.373", "46.3772", "francesouth"),
    Region(
        "germanywestcentral",
        "Germany West Central",
        "Europe",
        "Germany",
        "Frankfurt",
        "8.682127",
        "50.110924",
        "germanynorth",
    ),
    Region("swedencentral", "Sweden Central", "Europe", "Sweden", "Gävle", "17.14127", "60.67488", "swedensouth"),
    Region("japaneast", "Japan East", "Asia Pacific", "Japan", "Tokyo, Saitama", "139.77", "35.68", "japanwest"),
    Region(
        "southeastasia", "Southeast Asia", "Asia Pacific", "Asia Pacific", "Singapore", "103.833", "1.283", "eastasia"
    ),
    Region(
        "australiaeast",
        "Australia East",
        "Asia Pacific",
        "Australia",
        "New South Wales",
        "151.2094",
        "-33.86",
        "australiasoutheast",
    ),
    Region("canadacentral", "Canada Central", "Canada", "Canada", "Toronto", "-79.383", "43.653", "canadaeast"),
    Region(
        "brazilsouth", "Brazil South", "South America", "Brazil", "Sao Paulo", "-46.633", "-23.55", "southcentralus"
    ),
)

ALL_REGIONS = tuple(region.display_name for region in REGIONS)
GLOBAL = ("global",)


@dataclass(frozen=True)
class ResourceType:
    """One entry of a provider's resourceTypes list."""

    name: str  # e.g. "storageAccounts" or "virtualNetworks/subnets"
    api_versions: tuple[str, ...]
    locations: tuple[str, ...] = ALL_REGIONS


@dataclass(frozen=True)
class Namespace:
    """A resource provider namespace and whether a fresh subscription has it registered."""

    name: str
    types: tuple[ResourceType, ...]
    registered: bool = False  # True: registration-free, always Registered (ARM does this for a few)

    def type_named(self, name: str) -> ResourceType | None:
        return next((entry for entry in self.types if entry.name.lower() == name.lower()), None)


def _types(*entries: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> tuple[ResourceType, ...]:
    """Compact spelling: (type, "v1 v2 ...") or (type, "v1 ...", locations)."""
    return tuple(ResourceType(entry[0], tuple(entry[1].split()), *entry[2:]) for entry in entries)


NAMESPACES: tuple[Namespace, ...] = (
    Namespace(
        "Microsoft.Resources",
        _types(
            ("resourceGroups", "2025-04-01 2024-11-01 2022-12-01 2021-04-01"),
            ("deployments", "2026-06-01 2025-04-01 2024-11-01 2022-12-01", GLOBAL),
            ("subscriptions", "2022-12-01 2021-01-01", GLOBAL),
            ("tenants", "2022-12-01 2021-01-01", GLOBAL),
            ("locations", "2022-12-01 2021-01-01", GLOBAL),
        ),
        registered=True,
    ),
    Namespace(
        "Microsoft.Authorization",
        _types(
            ("roleAssignments", "2022-04-01 2020-10-01-preview", GLOBAL),
            ("roleDefinitions", "2022-04-01 2018-01-01-preview", GLOBAL),
        ),
        registered=True,
    ),
    Namespace("Microsoft.Features", _types(("features", "2021-07-01 2015-12-01", GLOBAL)), registered=True),
    Namespace(
        "Microsoft.Compute",
        _types(
            ("virtualMachines", "2025-04-01 2024-11-01 2024-07-01 2024-03-01"),
            ("virtualMachines/extensions", "2025-04-01 2024-11-01 2024-07-01"),
            ("disks", "2025-01-02 2024-03-02"),
            ("availabilitySets", "2025-04-01 2024-11-01"),
            ("locations/vmSizes", "2025-04-01 2024-11-01"),
            ("skus", "2021-07-01 2019-04-01", GLOBAL),
        ),
    ),
    Namespace(
        "Microsoft.Network",
        _types(
            ("virtualNetworks", "2026-03-01 2025-05-01 2025-03-01 2024-05-01"),
            ("virtualNetworks/subnets", "2026-03-01 2025-05-01 2025-03-01 2024-05-01"),
            ("networkSecurityGroups", "2026-03-01 2025-05-01 2025-03-01 2024-05-01"),
            ("publicIPAddresses", "2026-03-01 2025-05-01 2025-03-01 2024-05-01"),
            ("networkInterfaces", "2026-03-01 2025-05-01 2025-03-01 2024-05-01"),
            ("privateEndpoints", "2026-03-01 2025-05-01 2024-05-01"),
        ),
    ),
    Namespace(
        "Microsoft.Storage",
        _types(
            (
                "storageAccounts",
                "2025-06-01 2025-01-01 2024-01-01 2023-05-01 2023-01-01 2022-09-01 2022-05-01 2021-09-01",
            ),
            ("storageAccounts/blobServices", "2025-06-01 2025-01-01 2024-01-01"),
            ("storageAccounts/blobServices/containers", "2025-06-01 2025-01-01 2024-01-01"),
            ("checkNameAvailability", "2025-06-01 2025-01-01 2024-01-01", GLOBAL),
        ),
    ),
    Namespace(
        "Microsoft.MachineLearningServices",
        _types(
            ("workspaces", "2025-09-01 2025-06-01 2024-10-01"),
            ("workspaces/computes", "2025-09-01 2025-06-01 2024-10-01"),
            ("workspaces/batchEndpoints", "2025-09-01 2025-06-01 2024-10-01"),
            ("workspaces/batchEndpoints/deployments", "2025-09-01 2025-06-01 2024-10-01"),
            ("workspaces/jobs", "2025-09-01 2025-06-01 2024-10-01"),
            ("workspaces/schedules", "2025-09-01 2025-06-01 2024-10-01"),
        ),
    ),
    Namespace("Microsoft.ContainerInstance", _types(("containerGroups", "2025-09-01 2023-05-01"))),
    Namespace(
        "Microsoft.DataFactory",
        _types(
            ("factories", "2018-06-01"),
            ("factories/pipelines", "2018-06-01"),
            ("factories/triggers", "2018-06-01"),
            ("factories/linkedservices", "2018-06-01"),
            ("factories/pipelineRuns", "2018-06-01"),
        ),
    ),
    Namespace(
        "Microsoft.Web",
        _types(("sites", "2025-05-01 2024-11-01 2023-12-01"), ("serverfarms", "2025-05-01 2024-11-01 2023-12-01")),
    ),
    Namespace(
        "Microsoft.Logic",
        _types(
            ("workflows", "2019-05-01 2016-06-01"),
            ("workflows/triggers", "2019-05-01 2016-06-01"),
            ("workflows/runs", "2019-05-01 2016-06-01"),
            ("workflows/runs/actions", "2019-05-01 2016-06-01"),
        ),
    ),
    Namespace(
        "Microsoft.DevTestLab",
        _types(("schedules", "2018-09-15 2016-05-15"), ("labs", "2018-09-15 2016-05-15")),
    ),
    Namespace("Microsoft.KeyVault", _types(("vaults", "2024-11-01 2023-07-01"))),
    Namespace("Microsoft.ContainerRegistry", _types(("registries", "2025-04-01 2023-07-01"))),
    Namespace(
        "Microsoft.Insights",
        _types(("components", "2020-02-02 2015-05-01"), ("diagnosticSettings", "2021-05-01-preview", GLOBAL)),
    ),
    Namespace("Microsoft.OperationalInsights", _types(("workspaces", "2025-02-01 2023-09-01 2022-10-01"))),
    Namespace("Microsoft.ManagedIdentity", _types(("userAssignedIdentities", "2024-11-30 2023-01-31"))),
)

_BY_NAME = {namespace.name.lower(): namespace for namespace in NAMESPACES}


def namespace(name: str) -> Namespace | None:
    """The namespace of that name, whatever its casing."""
    return _BY_NAME.get(name.lower())


def api_versions(type_: str) -> tuple[str, ...]:
    """The api-versions the catalogue lists for "Namespace/type[/child]" (empty if it lists none)."""
    namespace_name, _, rest = type_.partition("/")
    found = namespace(namespace_name)
    entry = found.type_named(rest) if found else None
    return entry.api_versions if entry else ()


def region(name: str) -> Region | None:
    """A region by name or display name ("East US", "eastus")."""
    wanted = name.replace(" ", "").lower()
    return next((entry for entry in REGIONS if entry.name == wanted), None)
