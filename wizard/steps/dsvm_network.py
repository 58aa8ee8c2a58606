"""The DSVM's private network: a virtual network with one subnet, which its network interface joins.

The address space is private and fixed (10.0.0.0/16, subnet 10.0.0.0/24): the setup's resource group holds
nothing else that could overlap, and fixed values keep a resume addressing the very same network.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

ADDRESS_SPACE = "10.0.0.0/16"
SUBNET = "default"
SUBNET_PREFIX = "10.0.0.0/24"


class DsvmNetwork(ArmResource):
    key = "dsvm-network"
    title = "DSVM virtual network"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "subnet_id", "summary")
    providers = ("Microsoft.Network",)
    client = "azure.mgmt.network:NetworkManagementClient"
    collection = "virtual_networks"
    resource_type = "Microsoft.Network/virtualNetworks"
    api_version = "2026-03-01"

    def describe(self, names: Names) -> str:
        return f"Virtual network {names.vnet} ({ADDRESS_SPACE}) with subnet {SUBNET} ({SUBNET_PREFIX})"

    def resource_name(self, names: Names) -> str:
        return names.vnet

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        return super().as_wanted(ctx, existing) and any(s.name == SUBNET for s in existing.subnets or [])

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.network.models import AddressSpace, Subnet, VirtualNetwork

        return VirtualNetwork(
            location=ctx.answers.region,
            tags=TAGS,
            address_space=AddressSpace(address_prefixes=[ADDRESS_SPACE]),
            subnets=[Subnet(name=SUBNET, address_prefix=SUBNET_PREFIX)],
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        subnet = next(s for s in result.subnets if s.name == SUBNET)
        return {
            "id": result.id,
            "name": result.name,
            "subnet_id": subnet.id,
            "summary": f"{result.name} ({ADDRESS_SPACE}), subnet {SUBNET} ({SUBNET_PREFIX})",
        }
