"""The DSVM's private network: a virtual network with one subnet, which its network interface joins.

The address space is private and fixed (10.0.0.0/16, subnet 10.0.0.0/24): the setup's resource group holds
nothing else that could overlap, and fixed values keep a resume addressing the very same network.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import AddressSpace, Subnet, VirtualNetwork

from wizard.names import Names
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS

ADDRESS_SPACE = "10.0.0.0/16"
SUBNET = "default"
SUBNET_PREFIX = "10.0.0.0/24"


class DsvmNetwork(Step):
    key = "dsvm-network"
    title = "DSVM virtual network"
    needs = ("resource-group", "register-providers")
    providers = ("Microsoft.Network",)

    def describe(self, names: Names) -> str:
        return f"Virtual network {names.child('vnet')} ({ADDRESS_SPACE}) with subnet {SUBNET} ({SUBNET_PREFIX})"

    def find(self, ctx: StepContext) -> Outputs | None:
        client = ctx.clients.get(NetworkManagementClient)
        try:
            vnet = client.virtual_networks.get(ctx.names.resource_group, ctx.names.child("vnet"))
        except ResourceNotFoundError:
            return None
        if vnet.provisioning_state != "Succeeded" or not any(s.name == SUBNET for s in vnet.subnets or []):
            return None
        return self.outputs(ctx, vnet)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(NetworkManagementClient)
        name = ctx.names.child("vnet")
        body = VirtualNetwork(
            location=ctx.answers.region,
            tags=TAGS,
            address_space=AddressSpace(address_prefixes=[ADDRESS_SPACE]),
            subnets=[Subnet(name=SUBNET, address_prefix=SUBNET_PREFIX)],
        )
        ctx.progress(f"PUT Microsoft.Network/virtualNetworks/{name}")
        return client.virtual_networks.begin_create_or_update(
            ctx.names.resource_group, name, body, continuation_token=continuation_token
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        subnet = next(s for s in result.subnets if s.name == SUBNET)
        return {
            "id": result.id,
            "name": result.name,
            "subnet_id": subnet.id,
            "summary": f"{result.name} ({ADDRESS_SPACE}), subnet {SUBNET} ({SUBNET_PREFIX})",
        }
