"""Microsoft.OperationalInsights: Log Analytics workspaces.

Create answers 201 (200 on update) with the workspace still Creating and no monitor header, as the spec example
shows: the client follows the body's provisioningState by GETting the workspace. Each workspace gets its
customerId (the id agents and queries use) at creation, kept across updates.
"""

import re
import uuid

from wizard.emulator.behaviour import CREATED_POLL_BODY, OK_POLL_BODY, Behaviour, Put, register
from wizard.emulator.wire import ArmError

WORKSPACE_TYPE = "Microsoft.OperationalInsights/workspaces"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$")


@register
class LogAnalyticsWorkspace(Behaviour):
    type = WORKSPACE_TYPE
    on_create = CREATED_POLL_BODY
    on_update = OK_POLL_BODY
    latency = 3.0
    requires_location = True

    def fill(self, put: Put) -> None:
        name = put.address.name or ""
        if not _NAME.match(name):
            raise ArmError(
                400,
                "InvalidParameter",
                f"Workspace name '{name}' is not valid: it must be 4-63 letters, digits or '-', starting and ending "
                "with a letter or digit.",
            )
        put.private.setdefault("customerId", str(uuid.uuid4()))
        properties = put.properties
        properties["customerId"] = put.private["customerId"]
        properties["sku"] = {"name": (properties.get("sku") or {}).get("name") or "PerGB2018"}
        properties.setdefault("retentionInDays", 30)
        properties.setdefault("publicNetworkAccessForIngestion", "Enabled")
        properties.setdefault("publicNetworkAccessForQuery", "Enabled")
        put.resource.setdefault("tags", {})
