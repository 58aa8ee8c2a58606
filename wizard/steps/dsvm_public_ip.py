"""The DSVM's public address: a Standard, static IPv4 address with a DNS name.

Standard rather than Basic because Basic public IPs are retired and Standard ones are closed until a network
security group opens them; static so the address the user's firewall or RDP file knows does not change when
the VM is deallocated by the auto-shutdown; a DNS label (globally unique, derived from the setup) so the
connection instructions name a host rather than an address.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.network import NetworkManagementClient
from azure.mgmt.network.models import PublicIPAddress, PublicIPAddressDnsSettings, PublicIPAddressSku

from wizard.names import Names
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS


class DsvmPublicIp(Step):
    key = "dsvm-public-ip"
    title = "DSVM public IP address"
    needs = ("resource-group", "register-providers")
    providers = ("Microsoft.Network",)

    def describe(self, names: Names) -> str:
        return f"Public IP {names.child('dsvm-ip')} (Standard, static) with DNS label {names.global_name('dsvm')}"

    def find(self, ctx: StepContext) -> Outputs | None:
        client = ctx.clients.get(NetworkManagementClient)
        try:
            address = client.public_ip_addresses.get(ctx.names.resource_group, ctx.names.child("dsvm-ip"))
        except ResourceNotFoundError:
            return None
        label = address.dns_settings.domain_name_label if address.dns_settings else None
        if address.provisioning_state != "Succeeded" or label != ctx.names.global_name("dsvm"):
            return None
        return self.outputs(ctx, address)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(NetworkManagementClient)
        name = ctx.names.child("dsvm-ip")
        body = PublicIPAddress(
            location=ctx.answers.region,
            tags=TAGS,
            sku=PublicIPAddressSku(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            dns_settings=PublicIPAddressDnsSettings(domain_name_label=ctx.names.global_name("dsvm")),
        )
        ctx.progress(f"PUT Microsoft.Network/publicIPAddresses/{name}")
        return client.public_ip_addresses.begin_create_or_update(
            ctx.names.resource_group, name, body, continuation_token=continuation_token
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        fqdn = result.dns_settings.fqdn if result.dns_settings else None
        return {
            "id": result.id,
            "name": result.name,
            "ip_address": result.ip_address,
            "fqdn": fqdn,
            "summary": f"{fqdn} ({result.ip_address})",
        }
