"""Microsoft.Resources and the tenant-level ARM surface: tenants, subscriptions, locations, resource provider
registration, the resource group behaviour (groups themselves are stored by the generic store), and template
deployments as ARM runs them (asynchronously, with what it derives from the template)."""

import hashlib
import json
import re
import uuid
from typing import Any

from wizard.emulator import access, catalogue, identity, latency
from wizard.emulator.address import GROUP_TYPE, Address
from wizard.emulator.behaviour import Answer, Behaviour, Call, Put, action, register
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.providers import authorization
from wizard.emulator.routing import route
from wizard.emulator.wire import ArmError, Reply, iso

_GROUP_NAME = re.compile(r"^[-\w.()]{1,90}$")
_PROVIDERS = "Microsoft.Resources/providers"
_CAPABILITIES = "CrossResourceGroupResourceMove, CrossSubscriptionResourceMove, SupportsTags, SupportsLocation"


@register
class ResourceGroup(Behaviour):
    """Groups: synchronous 201/200 create; delete is 202 + Location and takes the group's content with it."""

    type = GROUP_TYPE
    requires_location = True
    system_data = False
    etag = False
    on_delete = Answer(202, body=False, monitor="location", done=200)
    delete_latency = 2.0
    delete_missing = None

    def fill(self, put: Put) -> None:
        name = put.address.name or ""
        if not _GROUP_NAME.match(name) or name.endswith("."):
            bad = sorted({char for char in name if not re.match(r"[-\w.()]", char)})
            raise ArmError(
                400,
                "InvalidResourceGroup",
                f"The provided resource group name '{name}' has these invalid characters: '{''.join(bad)}'. "
                "The name can only be a letter, digit, '-', '.', '(', ')' or '_', at most 90 characters, and "
                "cannot end with a period. For more details, visit https://aka.ms/ResourceGroupNamingRestrictions.",
            )
        if put.existing and put.existing.get("location") != put.resource.get("location"):
            raise ArmError(
                409,
                "InvalidResourceGroupLocation",
                f"Invalid resource group location '{put.resource.get('location')}'. The Resource group already "
                f"exists in location '{put.existing.get('location')}'.",
            )
        kept = ("id", "name", "type", "location", "managedBy", "tags")
        for key in [key for key in put.resource if key not in kept]:
            del put.resource[key]
        put.resource["properties"] = {}

    def not_found(self, address: Address) -> ArmError:
        return access.group_not_found(address.name or "")


@register
class Deployment(Behaviour):
    """A deployment always answers 201 with Azure-AsyncOperation and walks Accepted, Running, Succeeded. ARM
    shows the template's hash, the providers and dependencies it names, when it started and how long it ran.
    The resources a template describes are not created here (a linked template is not fetched either): the
    deployment records the request and its outcome. As in ARM, an inline template is not shown with the
    deployment (its hash is): ``exportTemplate`` gives it back."""

    type = "Microsoft.Resources/deployments"
    on_create = on_update = Answer(201, monitor="azure-async")
    latency = 2.0
    create_states = update_states = ("Accepted", "Running")
    etag = False
    system_data = False

    def fill(self, put: Put) -> None:
        properties = put.properties
        template = properties.get("template")
        if not isinstance(template, dict) and not isinstance(properties.get("templateLink"), dict):
            raise ArmError(400, "InvalidRequestContent", "The deployment must have a template or a templateLink.")
        if properties.setdefault("mode", "Incremental") not in ("Incremental", "Complete"):
            raise ArmError(400, "InvalidDeploymentMode", f"The deployment mode '{properties['mode']}' is not valid.")
        described = json.dumps(template or properties["templateLink"], sort_keys=True).encode()
        resources = [item for item in (template or {}).get("resources") or [] if isinstance(item, dict)]
        put.private["started"] = put.now
        put.private["template"] = properties.pop("template", None)
        properties.update(
            templateHash=str(int.from_bytes(hashlib.sha256(described).digest()[:8], "big")),
            parameters=properties.get("parameters") or {},
            timestamp=iso(put.now),
            duration="PT0S",
            correlationId=str(uuid.uuid4()),
            providers=_providers(resources, put.resource.get("location")),
            dependencies=[],
        )

    def shown(self, call: Call) -> dict[str, Any]:
        row = call.ctx.store.get(call.address.key) if call.ctx else None
        op = call.ctx.store.operation(row.operation) if call.ctx and row and row.operation else None
        started = float(call.private.get("started", call.now))
        ended = min(call.now, op.ready_at) if op else call.now
        call.resource["properties"]["duration"] = f"PT{max(ended - started, 0):.7f}S"
        if call.resource["properties"].get("provisioningState") == "Succeeded":
            call.resource["properties"].setdefault("outputResources", [])
        return call.resource

    @action("exportTemplate")
    def export_template(self, call: Call) -> Reply:
        return Reply(200, {"template": call.private.get("template") or {}})


def _providers(resources: list[dict[str, Any]], location: Any) -> list[dict[str, Any]]:
    """The namespaces and types a template's resources name, as a deployment lists them."""
    types: dict[str, dict[str, set[str]]] = {}
    for resource in resources:
        namespace, _, kind = str(resource.get("type") or "").partition("/")
        where = resource.get("location") or location
        if kind:
            types.setdefault(namespace, {}).setdefault(kind, set()).update([str(where)] if where else [])
    return [
        {
            "namespace": namespace,
            "resourceTypes": [{"resourceType": kind, "locations": sorted(places)} for kind, places in kinds.items()],
        }
        for namespace, kinds in types.items()
    ]


def _subscription() -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{DEMO.subscription_id}",
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": DEMO.subscription_id,
        "tenantId": DEMO.tenant_id,
        "displayName": DEMO.subscription_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
        "tags": {},
    }


@route("GET", "/tenants", type_="Microsoft.Resources/tenants")
def tenants(ctx: Ctx) -> Reply:
    tenant = {
        "id": f"/tenants/{DEMO.tenant_id}",
        "tenantId": DEMO.tenant_id,
        "tenantCategory": "Home",
        "countryCode": "US",
        "displayName": "Scoring Wizard Demo",
        "domains": [DEMO.tenant_domain],
        "defaultDomain": DEMO.tenant_domain,
        "tenantType": "AAD",
    }
    return Reply(200, {"value": [tenant]})


@route("GET", "/subscriptions", type_="Microsoft.Resources/subscriptions")
def subscriptions(ctx: Ctx) -> Reply:
    return Reply(200, {"value": [_subscription()]})


@route("GET", "/subscriptions/{subscription}", type_="Microsoft.Resources/subscriptions")
def subscription(ctx: Ctx, subscription: str) -> Reply:
    access.require_subscription(subscription)
    return Reply(200, _subscription())


@route("GET", "/subscriptions/{subscription}/locations", type_="Microsoft.Resources/locations")
def locations(ctx: Ctx, subscription: str) -> Reply:
    access.require_subscription(subscription)
    base = f"/subscriptions/{DEMO.subscription_id}/locations"
    value = [
        {
            "id": f"{base}/{region.name}",
            "name": region.name,
            "type": "Region",
            "displayName": region.display_name,
            "regionalDisplayName": region.regional_display_name,
            "metadata": {
                "regionType": "Physical",
                "regionCategory": "Recommended" if region.recommended else "Other",
                "geography": region.geography,
                "geographyGroup": region.geography_group,
                "longitude": region.longitude,
                "latitude": region.latitude,
                "physicalLocation": region.physical_location,
                "pairedRegion": [{"name": region.paired, "id": f"{base}/{region.paired}"}],
            },
        }
        for region in catalogue.REGIONS
    ]
    return Reply(200, {"value": value})


def _provider(ctx: Ctx, namespace: catalogue.Namespace) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{DEMO.subscription_id}/providers/{namespace.name}",
        "namespace": namespace.name,
        "registrationState": access.registration_state(ctx, DEMO.subscription_id, namespace),
        "registrationPolicy": "RegistrationFree" if namespace.registered else "RegistrationRequired",
        "resourceTypes": [
            {
                "resourceType": entry.name,
                "locations": list(entry.locations),
                "apiVersions": list(entry.api_versions),
                "capabilities": _CAPABILITIES,
            }
            for entry in namespace.types
        ],
    }


@route("GET", "/subscriptions/{subscription}/providers", type_=_PROVIDERS)
def providers(ctx: Ctx, subscription: str) -> Reply:
    access.require_subscription(subscription)
    return Reply(200, {"value": [_provider(ctx, namespace) for namespace in catalogue.NAMESPACES]})


@route("GET", "/subscriptions/{subscription}/providers/{namespace}", type_=_PROVIDERS)
def provider(ctx: Ctx, subscription: str, namespace: str) -> Reply:
    access.require_subscription(subscription)
    return Reply(200, _provider(ctx, access.require_namespace(namespace)))


@route("POST", "/subscriptions/{subscription}/providers/{namespace}/register", type_=_PROVIDERS)
def register_provider(ctx: Ctx, subscription: str, namespace: str) -> Reply:
    """Registering now, Registered after a few (scaled) seconds; registering again changes nothing."""
    return _move(ctx, subscription, namespace, registered=True)


@route("POST", "/subscriptions/{subscription}/providers/{namespace}/unregister", type_=_PROVIDERS)
def unregister_provider(ctx: Ctx, subscription: str, namespace: str) -> Reply:
    return _move(ctx, subscription, namespace, registered=False)


def _move(ctx: Ctx, subscription: str, name: str, *, registered: bool) -> Reply:
    access.require_subscription(subscription)
    namespace = access.require_namespace(name)
    caller = identity.authenticate(ctx)
    action = f"{namespace.name}/{'register' if registered else 'unregister'}/action"
    authorization.require(ctx, caller.principal_id, f"/subscriptions/{subscription}", action)
    state = access.registration_state(ctx, subscription, namespace)
    settled_or_moving = ("Registered", "Registering") if registered else ("NotRegistered", "Unregistering")
    if not namespace.registered and state not in settled_or_moving:
        ready_at = ctx.now + ctx.delay(latency.registration_seconds(ctx.latency_profile, access.REGISTRATION_SECONDS))
        ctx.store.set_registration(subscription, namespace.name, registered, ready_at)
    return Reply(200, _provider(ctx, namespace))
