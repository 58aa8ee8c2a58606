"""Cloud metadata: the document custom-cloud tools read to find the emulator's endpoints."""

import requests


def test_metadata_endpoints_2022_09_01_is_one_cloud(emulator):
    meta = requests.get(
        f"{emulator.url}/metadata/endpoints", params={"api-version": "2022-09-01"}, verify=str(emulator.ca_path)
    ).json()
    assert meta["name"] == "AzureEmulator"
    assert meta["resourceManager"] == emulator.url + "/"
    assert meta["authentication"] == {
        "loginEndpoint": emulator.url,
        "audiences": [emulator.url + "/"],
        "tenant": "common",
        "identityProvider": "AAD",
    }
    assert meta["suffixes"]["storage"] == "core.emulator.local"
    expected_suffixes = {
        "azureDataLakeStoreFileSystem", "acrLoginServer", "sqlServerHostname", "azureDataLakeAnalyticsCatalogAndJob",
        "keyVaultDns", "storage", "azureFrontDoorEndpointSuffix", "storageSyncEndpointSuffix", "mhsmDns",
        "mysqlServerEndpoint", "postgresqlServerEndpoint", "mariadbServerEndpoint", "synapseAnalytics",
        "attestationEndpoint",
    }  # fmt: skip
    assert set(meta["suffixes"]) == expected_suffixes
    for key in ("portal", "media", "graphAudience", "graph", "sqlManagement", "gallery", "batch"):
        assert meta[key].startswith(emulator.url)
    assert meta["activeDirectoryDataLake"].startswith(emulator.url)


def test_older_api_versions_list_clouds_and_api_version_is_required(emulator):
    url, verify = f"{emulator.url}/metadata/endpoints", str(emulator.ca_path)
    clouds = requests.get(url, params={"api-version": "2019-05-01"}, verify=verify).json()
    assert [cloud["name"] for cloud in clouds] == ["AzureEmulator"]
    assert requests.get(url, verify=verify).json()["error"]["code"] == "MissingApiVersionParameter"
