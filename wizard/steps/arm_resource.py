"""The common case of a step: one ARM resource in the setup's resource group, made by its management SDK.

Every such resource is found the same way (GET; missing → create), created the same way (create-or-update,
re-attaching to an accepted operation through its continuation token) and resumed the same way, so a new
resource is a body and an outputs function. The SDK client is named by import path and imported only when the
step runs: the command line must not pay for SDKs a run does not use.
"""

from __future__ import annotations

from typing import Any, ClassVar

from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext, Waiting

# Azure accepted a create or update and is still working on it: wait for it rather than PUT again.
IN_PROGRESS = frozenset({"accepted", "creating", "updating", "provisioning", "running", "resolvingdns"})


def provisioning_state(resource: Any) -> str:
    """The resource's provisioningState, wherever its SDK model keeps it ("" when it has none); a generic
    resource (azure-mgmt-resource's by-id operations) keeps its properties as a plain dict."""
    state = getattr(resource, "provisioning_state", None)
    properties = getattr(resource, "properties", None)
    if state is None and properties is not None:
        state = getattr(properties, "provisioning_state", None)
    if state is None and isinstance(properties, dict):
        state = properties.get("provisioningState")
    return str(getattr(state, "value", state) or "")


class ArmResource(Step):
    """One ARM resource: subclasses name the client, the collection, the resource's name, its body and outputs."""

    client: ClassVar[str]  # "azure.mgmt.network:NetworkManagementClient"
    collection: ClassVar[str]  # the client's operations attribute, e.g. "virtual_networks"
    resource_type: ClassVar[str]  # "Microsoft.Network/virtualNetworks", for the progress line
    long_running: ClassVar[bool] = True  # begin_create_or_update; False: a synchronous create_or_update
    # The api-version its SDK operation sends, which an exported ARM template declares for it; a table here
    # rather than read from the SDK (some operation groups pick it per call), held against the wire by a test.
    api_version: ClassVar[str]

    def resource_name(self, names: Names) -> str:
        raise NotImplementedError

    def lookups(self, ctx: StepContext) -> dict[str, Any]:
        """Checks and reads just before the PUT (a name still free, the tenant, the newest image, this machine's
        address, a key): what the body takes from Azure or this machine rather than from the answers and the needs'
        outputs, handed to `body` by keyword. Apart from `body` so that an exported ARM template builds the very
        same body with `template_lookups` in their place; may raise StepError."""
        return {}

    def template_lookups(self, ctx: StepContext) -> dict[str, Any]:
        """`lookups` as an ARM template gives them (parameters, expressions, the finished run's values in
        `ctx.previous`), reading nothing from Azure; see wizard/arm_template.py."""
        return {}

    def body(self, ctx: StepContext, **found: Any) -> Any:
        """What is PUT (an SDK model or a dict), from the answers, the needs' outputs and `found` (the lookups)."""
        raise NotImplementedError

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        """Whether an existing resource can be kept as it is; by default, when it finished provisioning."""
        return provisioning_state(existing).lower() in ("", "succeeded")

    def operations(self, ctx: StepContext) -> Any:
        return getattr(ctx.clients.get(self.client), self.collection)

    def _get(self, ctx: StepContext) -> Any | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return self.operations(ctx).get(ctx.names.resource_group, self.resource_name(ctx.names))
        except ResourceNotFoundError:
            return None

    def find(self, ctx: StepContext) -> Outputs | None:
        existing = self._get(ctx)
        if existing is None or not self.as_wanted(ctx, existing):
            return None
        return self.outputs(ctx, existing)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        operations, group, name = self.operations(ctx), ctx.names.resource_group, self.resource_name(ctx.names)
        if continuation_token:
            return operations.begin_create_or_update(group, name, {}, continuation_token=continuation_token)
        earlier = self._earlier_operation(ctx)
        if earlier is not None:
            return earlier
        body = self.body(ctx, **self.lookups(ctx))
        ctx.progress(f"PUT {self.resource_type}/{name}")
        if not self.long_running:
            return Done(operations.create_or_update(group, name, body))
        return operations.begin_create_or_update(group, name, body)

    def _earlier_operation(self, ctx: StepContext) -> Operation | None:
        """A create an earlier run started (and was killed before it saved the token) is awaited, not PUT again."""
        existing = self._get(ctx)
        if existing is None or provisioning_state(existing).lower() not in IN_PROGRESS:
            return None
        name = self.resource_name(ctx.names)
        ctx.log(f"{name} is still being created by an earlier run; waiting for it")

        def check() -> Any:
            current = self._get(ctx)
            state = provisioning_state(current).lower() if current is not None else "deleted"
            if state in ("failed", "canceled", "deleted"):
                raise StepError("ProvisioningFailed", f"{name} ended in provisioning state {state}")
            return current if state in ("", "succeeded") else None

        return Waiting(check, interval=ctx.poll_interval)
