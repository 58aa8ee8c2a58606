"""The DSVM's network interface: joins the subnet, carries the public IP and is guarded by the firewall.

The network security group is attached here, on the interface, so its single rule applies to exactly this VM.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import (
    NetworkInterface,
    NetworkInterfaceIPConfiguration,
    NetworkSecurityGroup,
    PublicIPAddress,
    Subnet,
)

from wizard.names import Names
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS

IP_CONFIGURATION = "ipconfig1"


def _same_id(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower()


class DsvmNic(Step):
    key = "dsvm-nic"
    title = "DSVM network interface"
    needs = ("dsvm-network", "dsvm-firewall", "dsvm-public-ip")
    providers = ("Microsoft.Network",)

    def describe(self, names: Names) -> str:
        return f"Network interface {names.child('dsvm-nic')} (subnet, public IP, firewall)"

    def find(self, ctx: StepContext) -> Outputs | None:
        client = ctx.clients.get(NetworkManagementClient)
        try:
            nic = client.network_interfaces.get(ctx.names.resource_group, ctx.names.child("dsvm-nic"))
        except ResourceNotFoundError:
            return None
        config = next((c for c in nic.ip_configurations or [] if c.name == IP_CONFIGURATION), None)
        wired = (
            config is not None
            and _same_id(config.subnet.id if config.subnet else None, ctx.outputs["dsvm-network"]["subnet_id"])
            and _same_id(
                config.public_ip_address.id if config.public_ip_address else None,
                ctx.outputs["dsvm-public-ip"]["id"],
            )
            and _same_id(
                nic.network_security_group.id if nic.network_security_group else None,
                ctx.outputs["dsvm-firewall"]["id"],
            )
        )
        if nic.provisioning_state != "Succeeded" or not wired:
            return None
        return self.outputs(ctx, nic)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(NetworkManagementClient)
        name = ctx.names.child("dsvm-nic")
        body = NetworkInterface(
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
        ctx.progress(f"PUT Microsoft.Network/networkInterfaces/{name}")
        return client.network_interfaces.begin_create_or_update(
            ctx.names.resource_group, name, body, continuation_token=continuation_token
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        config = next(c for c in result.ip_configurations if c.name == IP_CONFIGURATION)
        return {
            "id": result.id,
            "name": result.name,
            "private_ip": config.private_ip_address,
            "summary": f"{result.name} ({config.private_ip_address})",
        }
