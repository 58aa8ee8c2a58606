"""The gates ARM puts before a resource provider: subscription exists, namespace known and registered,
api-version supported. Shared by the generic store and provider-level routes so all answer alike."""

from wizard.emulator import catalogue
from wizard.emulator.address import GROUPS_NAMESPACE
from wizard.emulator.catalogue import Namespace
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.wire import ArmError

REGISTRATION_SECONDS = 3.0  # base time a provider (un)registration takes


def require_subscription(subscription: str) -> None:
    if subscription.lower() != DEMO.subscription_id:
        raise ArmError(404, "SubscriptionNotFound", f"The subscription '{subscription}' could not be found.")


def group_key(subscription: str, group: str) -> str:
    return f"/subscriptions/{subscription}/resourcegroups/{group}".lower()


def group_not_found(name: str) -> ArmError:
    return ArmError(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")


def require_namespace(name: str) -> Namespace:
    found = catalogue.namespace(name)
    if found is None:
        raise ArmError(404, "InvalidResourceNamespace", f"The resource namespace '{name}' is invalid.")
    return found


def registration_state(ctx: Ctx, subscription: str, namespace: Namespace) -> str:
    """Registered / NotRegistered, or Registering / Unregistering until the change's time has come."""
    if namespace.registered:
        return "Registered"
    stored = ctx.store.registration(subscription, namespace.name)
    if stored is None:
        return "NotRegistered"
    registered, ready_at = stored
    if ctx.now < ready_at:
        return "Registering" if registered else "Unregistering"
    return "Registered" if registered else "NotRegistered"


def require_registered(ctx: Ctx, subscription: str, namespace_name: str) -> Namespace:
    """The namespace, if the subscription may use it; otherwise ARM's own refusal."""
    require_subscription(subscription)
    namespace = require_namespace(namespace_name)
    if registration_state(ctx, subscription, namespace) != "Registered":
        raise ArmError(
            409,
            "MissingSubscriptionRegistration",
            f"The subscription is not registered to use namespace '{namespace.name}'. "
            "See https://aka.ms/rps-not-found for how to register subscriptions.",
        )
    return namespace


def require_api_version(ctx: Ctx, type_: str) -> catalogue.ResourceType:
    """The catalogue entry of ``type_`` if the request's api-version is one it supports; ARM's refusal if the
    type is unknown to its namespace or the version is not one of its own."""
    namespace_name, _, rest = type_.partition("/")
    namespace = require_namespace(namespace_name)
    version = ctx.request.api_version
    entry = namespace.type_named(rest)
    if entry is None:
        raise ArmError(
            400,
            "InvalidResourceType",
            f"The resource type '{rest}' could not be found in the namespace '{namespace.name}' for api version "
            f"'{version}'.",
        )
    if version not in entry.api_versions:
        supported = ", ".join(entry.api_versions)
        if namespace.name == GROUPS_NAMESPACE:
            raise ArmError(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{version}' is invalid. The supported versions are '{supported}'.",
            )
        raise ArmError(
            400,
            "NoRegisteredProviderFound",
            f"No registered resource provider found for location 'global' and API version '{version}' for type "
            f"'{entry.name}'. The supported api-versions are '{supported}'. The supported locations are "
            f"'{', '.join(entry.locations)}'.",
        )
    return entry
