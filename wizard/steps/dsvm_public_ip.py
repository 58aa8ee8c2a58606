"""The DSVM's public address: a Standard, static IPv4 address with a DNS name.

Standard rather than Basic because Basic public IPs are retired and Standard ones are closed until a network
security group opens them; static so the address the user's firewall or RDP file knows does not change when
the VM is deallocated by the auto-shutdown; a DNS label (globally unique, derived from the setup) so the
connection instructions name a host rather than an address.
"""

from __future__ import annotations

from typing import Any

from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS


class DsvmPublicIp(ArmResource):
    key = "dsvm-public-ip"
    title = "DSVM public IP address"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "ip_address", "fqdn", "summary")
    providers = ("Microsoft.Network",)
    client = "azure.mgmt.network:NetworkManagementClient"
    collection = "public_ip_addresses"
    resource_type = "Microsoft.Network/publicIPAddresses"
    api_version = "2026-03-01"

    def describe(self, names: Names) -> str:
        return f"Public IP {names.public_ip} (Standard, static) with DNS label {names.dns_label}"

    def resource_name(self, names: Names) -> str:
        return names.public_ip

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        label = existing.dns_settings.domain_name_label if existing.dns_settings else None
        return super().as_wanted(ctx, existing) and label == ctx.names.dns_label

    def preflight(self, ctx: StepContext) -> None:
        """DNS labels are unique per region across all of Azure: one taken elsewhere fails the PUT."""
        if self._get(ctx) is not None:
            return
        label = ctx.names.dns_label
        ctx.progress(f"GET Microsoft.Network/locations/{ctx.answers.region}/checkDnsNameAvailability {label}")
        if (
            not ctx.clients.get(self.client)
            .check_dns_name_availability(ctx.answers.region, domain_name_label=label)
            .available
        ):
            raise StepError("DnsRecordInUse", f"the DNS label {label} is taken in {ctx.answers.region}")

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.network.models import PublicIPAddress, PublicIPAddressDnsSettings, PublicIPAddressSku

        return PublicIPAddress(
            location=ctx.answers.region,
            tags=TAGS,
            sku=PublicIPAddressSku(name="Standard", tier="Regional"),
            public_ip_allocation_method="Static",
            public_ip_address_version="IPv4",
            dns_settings=PublicIPAddressDnsSettings(domain_name_label=ctx.names.dns_label),
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
