"""Cloud metadata (``/metadata/endpoints``): how tools that take a custom cloud learn the emulator's endpoints.

Same shape as ARM's: api-version 2022-09-01 and later answer one object for the current cloud (what go-azure-sdk
and azure-ai-ml read); older api-versions answer a list of clouds (what azure-cli's ``cloud.py`` iterates). The
sign-in and management endpoints are the emulator itself; the DNS suffixes are fictional ``*.emulator.local``.
"""

from typing import Any

from wizard.emulator import prices
from wizard.emulator.context import Ctx
from wizard.emulator.routing import route
from wizard.emulator.wire import ArmError, Reply

CLOUD_NAME = "AzureEmulator"
DNS_SUFFIX = "emulator.local"
STORAGE_SUFFIX = f"core.{DNS_SUFFIX}"
SINGLE_OBJECT_SINCE = "2022-09-01"


def cloud(base_url: str) -> dict[str, Any]:
    """The metadata document for an emulator reachable at ``base_url``."""
    root = base_url + "/"
    return {
        "portal": base_url,
        "retailPrices": base_url + prices.PREFIX,  # not in Azure's document: there the public API is assumed
        "authentication": {
            "loginEndpoint": base_url,
            "audiences": [root],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "media": root,
        "graphAudience": root,
        "graph": root,
        "name": CLOUD_NAME,
        "suffixes": {
            "azureDataLakeStoreFileSystem": f"azuredatalakestore.{DNS_SUFFIX}",
            "acrLoginServer": f"azurecr.{DNS_SUFFIX}",
            "sqlServerHostname": f"database.{DNS_SUFFIX}",
            "azureDataLakeAnalyticsCatalogAndJob": f"azuredatalakeanalytics.{DNS_SUFFIX}",
            "keyVaultDns": f"vault.{DNS_SUFFIX}",
            "storage": STORAGE_SUFFIX,
            "azureFrontDoorEndpointSuffix": f"azurefd.{DNS_SUFFIX}",
            "storageSyncEndpointSuffix": f"afs.{DNS_SUFFIX}",
            "mhsmDns": f"managedhsm.{DNS_SUFFIX}",
            "mysqlServerEndpoint": f"mysql.database.{DNS_SUFFIX}",
            "postgresqlServerEndpoint": f"postgres.database.{DNS_SUFFIX}",
            "mariadbServerEndpoint": f"mariadb.database.{DNS_SUFFIX}",
            "synapseAnalytics": f"dev.azuresynapse.{DNS_SUFFIX}",
            "attestationEndpoint": f"attest.{DNS_SUFFIX}",
        },
        "batch": root,
        "resourceManager": root,
        "vmImageAliasDoc": f"{base_url}/metadata/vm-image-aliases.json",
        "activeDirectoryDataLake": root,
        "sqlManagement": root,
        "gallery": root,
        "microsoftGraphResourceId": root,
        "appInsightsResourceId": base_url,
        "appInsightsTelemetryChannelResourceId": f"{base_url}/v2/track",
        "attestationResourceId": base_url,
        "synapseAnalyticsResourceId": base_url,
        "logAnalyticsResourceId": base_url,
        "ossrDbmsResourceId": base_url,
    }


@route("GET", "/metadata/endpoints", arm=False)
def endpoints(ctx: Ctx) -> Reply:
    version = ctx.request.api_version
    if not version:
        raise ArmError(
            400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required."
        )
    document = cloud(ctx.base_url)
    return Reply(200, document if version >= SINGLE_OBJECT_SINCE else [document])
