"""The live lists a person chooses from: their subscriptions, the regions that can host the setup, their CLI login.

Both faces (the Textual wizard and the --plain prompts) offer what Azure actually has for this user rather
than a table baked into the wizard, so a subscription without Azure ML in a region never gets that region
offered. Everything here is a blocking SDK call: callers run it off their UI thread.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from azure.core.exceptions import ResourceNotFoundError

from wizard.answers import CloudName, SignIn
from wizard.azure import clouds, regions
from wizard.azure.clients import ClientFactory
from wizard.azure.errors import StepError
from wizard.connect import Connection
from wizard.dsvm import images, sizes

# Clients by import path, imported on first use: the screens import this module, and their first paint must
# not wait for the management SDKs.
COMPUTE = "azure.mgmt.compute:ComputeManagementClient"
RESOURCES = "azure.mgmt.resource.resources:ResourceManagementClient"
SUBSCRIPTIONS = "azure.mgmt.resource.subscriptions:SubscriptionClient"

# What the plan creates, as (provider namespace, resource type): a region must offer all of them.
NEEDED_RESOURCE_TYPES = (
    ("Microsoft.MachineLearningServices", "workspaces"),
    ("Microsoft.Compute", "virtualMachines"),
)


@dataclass(frozen=True)
class SubscriptionChoice:
    id: str
    name: str
    tenant_id: str
    state: str = "Enabled"


@dataclass(frozen=True)
class RegionChoice:
    name: str
    display_name: str
    geography: str = ""


@dataclass(frozen=True)
class CliLogin:
    """Who the Azure CLI is signed in as, so the wizard can offer to reuse that login."""

    user: str
    subscription_id: str
    tenant_id: str


def sign_in(cloud: CloudName, method: SignIn, tenant_id: str | None = None, **options) -> Connection:
    """A connection that is not yet bound to a subscription, enough to list the user's subscriptions."""
    target = clouds.KNOWN[cloud.value]
    from wizard.azure import credentials  # azure.identity, when signing in

    credential = credentials.for_sign_in(method, target, tenant_id, **options)
    return Connection(target, credential, ClientFactory(target, credential, ""))


def for_subscription(connection: Connection, subscription_id: str) -> ClientFactory:
    """Clients bound to `subscription_id`, reusing the connection's cloud and credential."""
    if connection.clients.subscription_id == subscription_id:
        return connection.clients
    return ClientFactory(connection.cloud, connection.credential, subscription_id)


def subscriptions(connection: Connection) -> list[SubscriptionChoice]:
    """The subscriptions this sign-in can see, enabled ones first, then by name."""
    client = connection.clients.get(SUBSCRIPTIONS)
    found = [
        SubscriptionChoice(
            id=item.subscription_id or "",
            name=item.display_name or item.subscription_id or "",
            tenant_id=item.tenant_id or "",
            state=str(getattr(item.state, "value", item.state) or "Enabled"),
        )
        for item in client.subscriptions.list()
    ]
    return sorted(found, key=lambda s: (s.state.lower() != "enabled", s.name.lower()))


def _offered_locations(clients: ClientFactory) -> set[str] | None:
    """Normalized regions offering every needed resource type, or None when the providers do not say."""
    client = clients.get(RESOURCES)
    offered: set[str] | None = None
    for namespace, resource_type in NEEDED_RESOURCE_TYPES:
        provider = client.providers.get(namespace)
        locations = next(
            (
                rt.locations
                for rt in provider.resource_types or []
                if (rt.resource_type or "").lower() == resource_type.lower()
            ),
            None,
        )
        if not locations:
            return None
        here = {regions.normalize(name) for name in locations}
        offered = here if offered is None else offered & here
    return offered


def regions_for(connection: Connection, subscription_id: str) -> list[RegionChoice]:
    """Physical regions of the subscription that offer what the plan needs (Azure ML, VMs, a DSVM image).

    The filters are refinements: when the providers or the image catalogue cannot be read, the region is kept
    rather than the list coming back empty.
    """
    clients = for_subscription(connection, subscription_id)
    listed = [
        RegionChoice(
            name=item.name or "",
            display_name=item.display_name or item.name or "",
            geography=(item.metadata.geography_group or "") if item.metadata else "",
        )
        for item in clients.get(SUBSCRIPTIONS).subscriptions.list_locations(subscription_id)
        if not item.metadata or (item.metadata.region_type or "Physical") == "Physical"
    ]
    try:
        offered = _offered_locations(clients)
    except Exception:
        offered = None
    if offered:
        kept = [r for r in listed if r.name in offered or regions.normalize(r.display_name) in offered]
        listed = kept or listed
    if _register_compute(clients):
        with ThreadPoolExecutor(8) as pool:
            has_image = list(pool.map(lambda r: _offers_dsvm(clients, r.name), listed))
        listed = [region for region, ok in zip(listed, has_image, strict=True) if ok] or listed
    return sorted(listed, key=lambda r: r.display_name.lower())


def foreign_group(connection: Connection, subscription_id: str, name: str) -> bool:
    """Whether the resource group exists in Azure without this tool's tag: the setup would add to it, and
    deleting the group to tear down would delete whatever else it holds. False when it cannot be told."""
    from wizard.steps.resource_group import TAGS

    try:
        group = for_subscription(connection, subscription_id).get(RESOURCES).resource_groups.get(name)
    except Exception:
        return False
    return not TAGS.items() <= (group.tags or {}).items()


@dataclass(frozen=True)
class SizeVerdict:
    """Whether Azure could tell, and if so what stops the size (None: it can be created)."""

    known: bool
    problem: str | None = None


def check_size(connection: Connection, subscription_id: str, region: str, size: str) -> SizeVerdict:
    """Can this subscription create `size` in `region` now (offered, not restricted, within quota)?

    The problem names sizes that would work. Unknown while Microsoft.Compute is not registered or Azure does not
    answer: the VM step checks again before creating anything.
    """
    clients = for_subscription(connection, subscription_id)
    if not _compute_registered(clients):
        return SizeVerdict(known=False)
    try:
        sizes.check_size(clients.get(COMPUTE), region, size)
    except StepError as error:
        return SizeVerdict(known=True, problem=error.info.message)
    except Exception:
        return SizeVerdict(known=False)
    return SizeVerdict(known=True)


def _compute_registered(clients: ClientFactory) -> bool:
    """Image listings need Microsoft.Compute registered; otherwise the SDK would stop to register it (slowly)."""
    try:
        state = clients.get(RESOURCES).providers.get("Microsoft.Compute").registration_state
    except Exception:
        return False
    return (state or "").lower() == "registered"


def _register_compute(clients: ClientFactory, timeout: float = 300.0) -> bool:
    """Register Microsoft.Compute (the plan would anyway) so that the image listing can answer; False when
    this identity may not or Azure takes too long, and then the VM step is the one to check the image."""
    if _compute_registered(clients):
        return True
    try:
        clients.get(RESOURCES).providers.register("Microsoft.Compute")
    except Exception:
        return False
    deadline, pause = time.monotonic() + timeout, 0.25
    while time.monotonic() < deadline:
        if _compute_registered(clients):
            return True
        time.sleep(pause)
        pause = min(5.0, pause * 2)
    return False


def _offers_dsvm(clients: ClientFactory, region: str) -> bool:
    """Whether the region has a Data Science VM image; True when it cannot be told (the VM step checks again)."""
    try:
        offers = clients.get(COMPUTE).virtual_machine_images.list_offers(region, images.PUBLISHER)
    except ResourceNotFoundError:
        return False
    except Exception:
        return True
    patterns = images.OFFER_PATTERNS.values()
    return any(pattern.fullmatch(offer.name or "") for offer in offers for pattern in patterns)


def detect_cli_login(timeout: float = 8.0) -> CliLogin | None:
    """The Azure CLI's current login, or None when az is missing, logged out, slow or broken."""
    az = shutil.which("az")
    if az is None:
        return None
    try:
        done = subprocess.run(
            [az, "account", "show", "--output", "json"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            return None
        data = json.loads(done.stdout)
        return CliLogin(
            user=str((data.get("user") or {}).get("name", "")),
            subscription_id=str(data.get("id", "")),
            tenant_id=str(data.get("tenantId", "")),
        )
    except (OSError, subprocess.SubprocessError, ValueError, AttributeError):
        return None


def has_browser() -> bool:
    """Whether an interactive browser sign-in can work here; over SSH or without a display it cannot."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def suggested_sign_in(login: CliLogin | None) -> SignIn:
    """Reuse the CLI login when there is one; otherwise the browser, or a device code on headless terminals."""
    if login is not None:
        return SignIn.CLI
    return SignIn.BROWSER if has_browser() else SignIn.DEVICE_CODE
