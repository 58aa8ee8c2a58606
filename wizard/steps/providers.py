"""Registering the subscription with every resource provider the plan uses (the recipe's ACI registration).

ARM refuses to create a resource in an unregistered namespace (MissingSubscriptionRegistration), and the SDK's
automatic registration does not cover long-running PUTs, so the plan registers them up front, in parallel
with the resource group.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.base import Operation, Outputs, Step, StepContext, Waiting

REGISTERED = "registered"
CLIENT = "azure.mgmt.resource.resources:ResourceManagementClient"


class RegisterProviders(Step):
    """Given the namespaces by the plan, which knows every step's; the step itself knows no other step."""

    key = "register-providers"
    title = "Resource providers"
    provides = ("registered",)

    def __init__(self, namespaces: tuple[str, ...] = ()):
        self.namespaces = namespaces

    def describe(self, names: Names) -> str:
        return "Register the resource providers the plan uses (incl. Microsoft.ContainerInstance)"

    def _states(self, ctx: StepContext) -> dict[str, str]:
        client = ctx.clients.get(CLIENT)
        return {ns: (client.providers.get(ns).registration_state or "") for ns in self.namespaces}

    def find(self, ctx: StepContext) -> Outputs | None:
        states = self._states(ctx)
        if all(state.lower() == REGISTERED for state in states.values()):
            return self.outputs(ctx, states)
        return None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(CLIENT)
        for namespace, state in self._states(ctx).items():
            if state.lower() not in (REGISTERED, "registering"):
                ctx.progress(f"POST providers/{namespace}/register")
                client.providers.register(namespace)

        def check() -> dict[str, str] | None:
            states = self._states(ctx)
            waiting = sorted(ns for ns, state in states.items() if state.lower() != REGISTERED)
            if waiting:
                ctx.progress(f"waiting for {', '.join(waiting)} to be Registered")
                return None
            return states

        return Waiting(check, interval=ctx.poll_interval)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {"registered": sorted(result)}
