"""Microsoft.Insights: Application Insights components, workspace-based only.

Classic Application Insights was retired on 29 February 2024; Azure now refuses a component without a Log
Analytics workspace (400 "Region doesn't support Classic resource mode..."), and so does the emulator. The
workspace must exist. Create and update answer 200 only, synchronously (the SDK rejects 201). Property names are
PascalCase on the wire, as the spec examples show.
"""

import uuid

from wizard.emulator.behaviour import SYNC_OK, Behaviour, Put, register
from wizard.emulator.metadata import DNS_SUFFIX
from wizard.emulator.providers.operationalinsights import WORKSPACE_TYPE
from wizard.emulator.wire import ArmError, iso

COMPONENT_TYPE = "Microsoft.Insights/components"
CLASSIC_REFUSED = (
    "Region doesn't support Classic resource mode for Application Insights resources. Please use Workspace-based mode."
)


@register
class Component(Behaviour):
    type = COMPONENT_TYPE
    on_create = SYNC_OK
    on_update = SYNC_OK
    requires_location = True

    def fill(self, put: Put) -> None:
        properties = put.properties
        if not put.resource.get("kind") or not properties.get("Application_Type"):
            raise ArmError(400, "BadRequest", "The 'kind' and 'properties.Application_Type' fields are required.")
        workspace = str(properties.get("WorkspaceResourceId") or "")
        if not workspace:
            raise ArmError(400, "BadRequest", CLASSIC_REFUSED)
        found = put.store.get(workspace) if put.store is not None else None
        if found is None or found.type.lower() != WORKSPACE_TYPE.lower():
            raise ArmError(400, "BadRequest", f"The Log Analytics workspace '{workspace}' could not be found.")
        if "key" not in put.private:
            put.private |= {"key": str(uuid.uuid4()), "appId": str(uuid.uuid4()), "created": iso(put.now)}
        key, location = put.private["key"], put.resource.get("location", "")
        properties |= {
            "ApplicationId": put.address.name,
            "AppId": put.private["appId"],
            "InstrumentationKey": key,
            "ConnectionString": (
                f"InstrumentationKey={key};IngestionEndpoint=https://{location}.in.applicationinsights.{DNS_SUFFIX}/;"
                f"ApplicationId={put.private['appId']}"
            ),
            "CreationDate": put.private["created"],
            "IngestionMode": "LogAnalytics",
            "TenantId": put.address.subscription,  # the subscription, as Application Insights reports it
            "HockeyAppId": "",
            "HockeyAppToken": "",
        }
        properties.setdefault("DisableIpMasking", False)
        properties.setdefault("Flow_Type", "Bluefield")
        properties.setdefault("Request_Source", "rest")
        properties.setdefault("SamplingPercentage", 100.0)
        properties.setdefault("publicNetworkAccessForIngestion", "Enabled")
        properties.setdefault("publicNetworkAccessForQuery", "Enabled")
        put.resource.setdefault("tags", {})
