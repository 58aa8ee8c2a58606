"""The clouds the wizard can target, each a set of endpoints.

Azure China, US Government and the local emulator differ from the public cloud only in these endpoints, so
every client is built from a `Cloud` and nothing else in the engine knows which cloud it is talking to.
A custom cloud (the emulator) is read from ARM's own `/metadata/endpoints`, as azure-cli does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wizard.azure import regions

METADATA_API_VERSION = "2022-09-01"


RETAIL_PRICES = "https://prices.azure.com/api/retail/prices"


@dataclass(frozen=True)
class Cloud:
    """Endpoints of one Azure cloud."""

    name: str
    resource_manager: str
    authority_host: str
    portal: str
    storage_suffix: str
    regions: tuple[str, ...] = field(default=tuple(regions.PUBLIC))
    # True (the system's trust store) for every public and sovereign cloud; a CA bundle path for the emulator.
    # Never False: a falsy value is refused, so verification cannot be switched off by configuration.
    connection_verify: str | bool = True
    retail_prices: str = RETAIL_PRICES  # public and keyless; one API for every cloud's list prices

    def __post_init__(self) -> None:
        if self.connection_verify is not True and not (
            isinstance(self.connection_verify, str) and self.connection_verify
        ):
            raise ValueError(f"{self.name}: TLS verification must be on (True or a CA bundle path)")

    @property
    def arm_scope(self) -> str:
        """The OAuth scope that ARM tokens are requested for."""
        return self.resource_manager.rstrip("/") + "/.default"

    def portal_link(self, resource_id: str) -> str:
        """A browser link to a resource in this cloud's portal."""
        return f"{self.portal.rstrip('/')}/#@/resource{resource_id}"

    def knows_region(self, region: str) -> bool:
        return regions.normalize(region) in self.regions


AZURE_PUBLIC = Cloud(
    name="AzureCloud",
    resource_manager="https://management.azure.com",
    authority_host="https://login.microsoftonline.com",
    portal="https://portal.azure.com",
    storage_suffix="core.windows.net",
)
AZURE_CHINA = Cloud(
    name="AzureChinaCloud",
    resource_manager="https://management.chinacloudapi.cn",
    authority_host="https://login.chinacloudapi.cn",
    portal="https://portal.azure.cn",
    storage_suffix="core.chinacloudapi.cn",
    regions=tuple(regions.CHINA),
)
AZURE_US_GOVERNMENT = Cloud(
    name="AzureUSGovernment",
    resource_manager="https://management.usgovcloudapi.net",
    authority_host="https://login.microsoftonline.us",
    portal="https://portal.azure.us",
    storage_suffix="core.usgovcloudapi.net",
    regions=tuple(regions.US_GOVERNMENT),
)
KNOWN = {c.name: c for c in (AZURE_PUBLIC, AZURE_CHINA, AZURE_US_GOVERNMENT)}


def from_metadata(arm_url: str, *, ca_bundle: str) -> Cloud:
    """Build a Cloud from an ARM endpoint's `/metadata/endpoints`, the way custom clouds are registered.

    Only the emulator is a custom cloud, so its CA bundle is required: the public clouds use the trust store.
    """
    if not ca_bundle:
        raise ValueError("a custom cloud needs the CA bundle that signs its certificate")
    verify = ca_bundle
    import requests  # only when a cloud's metadata is fetched

    response = requests.get(
        f"{arm_url.rstrip('/')}/metadata/endpoints",
        params={"api-version": METADATA_API_VERSION},
        verify=verify,
        timeout=10,
    )
    response.raise_for_status()
    meta = response.json()
    return Cloud(
        name=meta["name"],
        resource_manager=meta["resourceManager"].rstrip("/"),
        authority_host=meta["authentication"]["loginEndpoint"].rstrip("/"),
        portal=meta.get("portal") or meta["resourceManager"],
        storage_suffix=meta["suffixes"]["storage"],
        connection_verify=verify,
        retail_prices=meta.get("retailPrices") or RETAIL_PRICES,
    )
