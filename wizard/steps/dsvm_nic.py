"""The DSVM's network interface: joins the subnet, carries the public IP and is guarded by the firewall.

The network security group is attached here, on the interface, so its single rule applies to exactly this VM.
"""

from __future__ import annotations

from typing import Any

from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

IP_CONFIGURATION = "ipconfig1"


def _same_id(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


class DsvmNic(ArmResource):
    key = "dsvm-nic"
    title = "DSVM network interface"
    needs = ("dsvm-network", "dsvm-firewall", "dsvm-public-ip")
    provides = ("id", "name", "private_ip", "summary")
    providers = ("Microsoft.Network",)
    client = "azure.mgmt.network:NetworkManagementClient"
    collection = "network_interfaces"
    resource_type = "Microsoft.Network/networkInterfaces"
    api_version = "2026-03-01"

    def describe(self, names: Names) -> str:
        return f"Network interface {names.nic} (subnet, public IP, firewall)"

    def resource_name(self, names: Names) -> str:
        return names.nic

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        """Kept while it is still wired to this setup's subnet, public IP and firewall."""
        config = next((c for c in existing.ip_configurations or [] if c.name == IP_CONFIGURATION), None)
        group = existing.network_security_group
        return (
            super().as_wanted(ctx, existing)
            and config is not None
            and _same_id(config.subnet.id if config.subnet else None, ctx.outputs["dsvm-network"]["subnet_id"])
            and _same_id(
                config.public_ip_address.id if config.public_ip_address else None,
                ctx.outputs["dsvm-public-ip"]["id"],
            )
            and _same_id(group.id if group else None, ctx.outputs["dsvm-firewall"]["id"])
        )

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.network.models import (
            NetworkInterface,
            NetworkInterfaceIPConfiguration,
            NetworkSecurityGroup,
            PublicIPAddress,
            Subnet,
        )

        return NetworkInterface(
            location=ctx.answers.region,
            tags=TAGS,
            network_security_group=NetworkSecurityGroup(id=ctx.outputs["dsvm-firewall"]["id"]),
            ip_configurations=[
                NetworkInterfaceIPConfiguration(
                    name=IP_CONFIGURATION,
                    subnet=Subnet(id=ctx.outputs["dsvm-network"]["subnet_id"]),
                    public_ip_address=PublicIPAddress(id=ctx.outputs["dsvm-public-ip"]["id"]),
                    private_ip_allocation_method="Dynamic",
                    primary=True,
                )
            ],
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        config = next(c for c in result.ip_configurations if c.name == IP_CONFIGURATION)
        return {
            "id": result.id,
            "name": result.name,
            "private_ip": config.private_ip_address,
            "summary": f"{result.name} ({config.private_ip_address})",
        }
