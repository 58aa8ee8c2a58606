"""Seed data of the emulated cloud: its regions and its resource provider namespaces.

Data, not state: a reset returns every subscription to exactly this. This is the ONE table of what the emulator
serves and at which api-versions; every ARM request is checked against it before any route or behaviour runs:

* a namespace missing here is unknown (404 InvalidResourceNamespace);
* a type missing from a known namespace is refused (400 InvalidResourceType) and never stored, so a provider
  module that serves a new type (a behaviour, an action's collection, an explicit route's ``type_``) must declare
  it here first, with the api-versions the pinned SDKs really send (grep ``"api-version", "`` in
  .venv/lib/.../azure/mgmt/<package>), those of the spec examples and those the Azure CLI sends for the reads
  tests/cli/test_outside_clients.py makes;
* an api-version the type does not list is refused (400 NoRegisteredProviderFound, or InvalidApiVersionParameter
  for Microsoft.Resources itself) with the supported versions in the message.
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
    Region(
        "australiasoutheast",
        "Australia Southeast",
        "Asia Pacific",
        "Australia",
        "Victoria",
        "144.9631",
        "-37.8136",
        "australiaeast",
        False,
    ),
    Region("canadacentral", "Canada Central", "Canada", "Canada", "Toronto", "-79.383", "43.653", "canadaeast"),
    Region(
        "brazilsouth", "Brazil South", "South America", "Brazil", "Sao Paulo", "-46.633", "-23.55", "southcentralus"
    ),
    # The early-access (canary) regions ARM lists beside the public ones; the ML spec examples create there.
    Region("eastus2euap", "East US 2 EUAP", "US", "United States", "", "-78.3889", "36.6681", "centraluseuap", False),
    Region("centraluseuap", "Central US EUAP", "US", "United States", "", "-93.6208", "41.5908", "eastus2euap", False),
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


# ARM's own surface answers every api-version it ever shipped; the pinned azure-mgmt-resource sends 2025-04-01
# (resources) and 2022-12-01 (subscriptions), azure-identity and azure-ai-ml older ones.
_RESOURCES_VERSIONS = (
    "2025-04-01 2025-03-01 2024-11-01 2024-07-01 2024-03-01 2023-07-01 2022-12-01 2022-09-01 2021-04-01 2021-01-01 "
    "2020-10-01 2020-06-01 2020-01-01 2019-11-01 2019-10-01 2019-08-01 2019-07-01 2019-06-01 2019-05-10 2019-05-01 "
    "2019-03-01 2018-05-01 2018-02-01 2017-05-10 2016-09-01 2016-06-01 2016-02-01 2015-11-01 2015-01-01 2014-04-01"
)
_VM_VERSIONS = "2026-04-01 2025-04-01 2024-11-01 2024-07-01 2024-03-01 2023-09-01 2023-07-01 2023-03-01"
_NETWORK_VERSIONS = (
    "2026-03-01 2025-09-01 2025-05-01 2025-03-01 2025-01-01 2024-07-01 2024-05-01 2024-03-01 2024-01-01 2022-01-01"
)

NAMESPACES: tuple[Namespace, ...] = (
    Namespace(
        "Microsoft.Resources",
        _types(
            ("resourceGroups", _RESOURCES_VERSIONS),
            ("resources", _RESOURCES_VERSIONS),
            ("providers", _RESOURCES_VERSIONS, GLOBAL),
            ("deployments", "2026-06-01 " + _RESOURCES_VERSIONS, GLOBAL),
            ("subscriptions", _RESOURCES_VERSIONS, GLOBAL),
            ("tenants", _RESOURCES_VERSIONS, GLOBAL),
            ("locations", _RESOURCES_VERSIONS, GLOBAL),
        ),
        registered=True,
    ),
    Namespace(
        "Microsoft.Authorization",
        _types(
            ("roleAssignments", "2022-04-01 2020-10-01-preview", GLOBAL),
            ("roleDefinitions", "2022-04-01 2018-01-01-preview", GLOBAL),
            ("permissions", "2022-04-01", GLOBAL),
            ("policyAssignments", "2023-04-01", GLOBAL),
        ),
        registered=True,
    ),
    Namespace("Microsoft.Features", _types(("features", "2021-07-01 2015-12-01", GLOBAL)), registered=True),
    Namespace(
        "Microsoft.Compute",
        _types(
            ("virtualMachines", _VM_VERSIONS),
            ("virtualMachines/extensions", _VM_VERSIONS),
            ("disks", "2026-03-02 2025-01-02 2024-03-02 2023-10-02"),
            ("availabilitySets", _VM_VERSIONS),
            ("locations", _VM_VERSIONS, GLOBAL),
            ("locations/vmSizes", _VM_VERSIONS),
            ("locations/usages", _VM_VERSIONS),
            ("locations/publishers", _VM_VERSIONS),
            ("locations/virtualMachines", _VM_VERSIONS),
            ("skus", "2021-07-01 2019-04-01", GLOBAL),
        ),
    ),
    Namespace(
        "Microsoft.Network",
        _types(
            ("virtualNetworks", _NETWORK_VERSIONS),
            ("virtualNetworks/subnets", _NETWORK_VERSIONS),
            ("networkSecurityGroups", _NETWORK_VERSIONS),
            ("publicIPAddresses", _NETWORK_VERSIONS),
            ("networkInterfaces", _NETWORK_VERSIONS),
            ("privateEndpoints", _NETWORK_VERSIONS),
            ("networkSecurityGroups/securityRules", _NETWORK_VERSIONS),
            ("locations", _NETWORK_VERSIONS, GLOBAL),
            ("locations/checkDnsNameAvailability", _NETWORK_VERSIONS),
        ),
    ),
    Namespace(
        "Microsoft.Storage",
        _types(
            (
                "storageAccounts",
                "2026-09-01 2025-08-01 2025-06-01 2025-01-01 2024-01-01 2023-05-01 2023-01-01 2022-09-01 2022-05-01 "
                "2021-09-01",
            ),
            ("storageAccounts/blobServices", "2026-09-01 2025-06-01 2025-01-01 2024-01-01"),
            ("storageAccounts/blobServices/containers", "2026-09-01 2025-06-01 2025-01-01 2024-01-01"),
            ("checkNameAvailability", "2026-09-01 2025-06-01 2025-01-01 2024-01-01", GLOBAL),
        ),
    ),
    Namespace(
        "Microsoft.MachineLearningServices",
        _types(
            ("workspaces", "2025-09-01 2025-06-01 2024-10-01-preview 2024-10-01 2024-04-01 2023-08-01-preview"),
            ("workspaces/computes", "2025-09-01 2025-06-01 2024-10-01 2023-08-01-preview"),
            ("workspaces/datastores", "2025-09-01 2024-10-01-preview 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/codes", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/codes/versions", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/components", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/components/versions", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/data", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01-preview 2023-04-01"),
            ("workspaces/data/versions", "2025-09-01 2024-10-01 2024-01-01-preview 2023-04-01-preview 2023-04-01"),
            ("workspaces/batchEndpoints", "2025-09-01 2025-06-01 2024-10-01 2024-01-01-preview 2023-10-01"),
            (
                "workspaces/batchEndpoints/deployments",
                "2025-09-01 2025-06-01 2024-10-01 2024-01-01-preview 2023-10-01 2023-02-01-preview",
            ),
            ("workspaces/jobs", "2025-09-01 2025-06-01 2024-10-01 2024-01-01-preview 2023-04-01"),
            ("workspaces/schedules", "2025-09-01 2025-06-01 2024-10-01 2024-01-01-preview 2023-06-01-preview"),
            ("locations/usages", "2025-09-01 2024-10-01 2023-08-01-preview 2023-04-01", ALL_REGIONS),
            ("locations/vmSizes", "2025-09-01 2024-10-01 2023-08-01-preview 2023-04-01", ALL_REGIONS),
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
        _types(
            ("sites", "2025-05-01 2024-11-01 2023-12-01"),
            ("sites/config", "2025-05-01 2024-11-01 2023-12-01"),
            ("serverfarms", "2025-05-01 2024-11-01 2023-12-01"),
        ),
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
        _types(
            ("schedules", "2018-09-15 2016-05-15"),
            ("labs", "2018-09-15 2016-05-15"),
            ("labs/schedules", "2018-09-15 2016-05-15"),
        ),
    ),
    Namespace(
        "Microsoft.KeyVault",
        _types(
            ("vaults", "2026-05-15 2025-05-01 2024-11-01 2023-07-01"),
            ("vaults/secrets", "2026-05-15 2025-05-01 2024-11-01 2023-07-01"),
            ("deletedVaults", "2026-05-15 2025-05-01 2024-11-01 2023-07-01", GLOBAL),
            ("locations/deletedVaults", "2026-05-15 2025-05-01 2024-11-01 2023-07-01", GLOBAL),
            ("checkNameAvailability", "2026-05-15 2025-05-01 2024-11-01 2023-07-01", GLOBAL),
        ),
    ),
    Namespace(
        "Microsoft.ContainerRegistry",
        _types(
            ("registries", "2025-04-01 2024-11-01 2023-07-01"),
            ("registries/webhooks", "2025-04-01 2024-11-01 2023-07-01"),
        ),
    ),
    Namespace(
        "Microsoft.Insights",
        _types(("components", "2020-02-02 2015-05-01"), ("diagnosticSettings", "2021-05-01-preview", GLOBAL)),
    ),
    Namespace("Microsoft.OperationalInsights", _types(("workspaces", "2025-07-01 2025-02-01 2023-09-01 2022-10-01"))),
    Namespace("Microsoft.ManagedIdentity", _types(("userAssignedIdentities", "2024-11-30 2023-01-31"))),
)

_BY_NAME = {namespace.name.lower(): namespace for namespace in NAMESPACES}


def namespace(name: str) -> Namespace | None:
    """The namespace of that name, whatever its casing."""
    return _BY_NAME.get(name.lower())


def resource_type(type_: str) -> ResourceType | None:
    """The catalogue entry of "Namespace/type[/child]", whatever its casing."""
    namespace_name, _, rest = type_.partition("/")
    found = namespace(namespace_name)
    return found.type_named(rest) if found else None


def api_versions(type_: str) -> tuple[str, ...]:
    """The api-versions the catalogue lists for "Namespace/type[/child]" (empty if it lists none)."""
    entry = resource_type(type_)
    return entry.api_versions if entry else ()


def region(name: str) -> Region | None:
    """A region by name or display name ("East US", "eastus")."""
    wanted = name.replace(" ", "").lower()
    return next((entry for entry in REGIONS if entry.name == wanted), None)
