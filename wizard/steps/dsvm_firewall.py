"""The DSVM's network security group: one inbound rule, SSH (22) or RDP (3389), from the caller's address only.

A DSVM with a public IP is scanned within minutes, so nothing else is opened: Jupyter is reached through the
SSH tunnel (Linux) or from the remote desktop (Windows). The allowed source is the `allowed_source_ip`
answer, else the public address detected now (`wizard.dsvm.caller_ip`); a rerun from another network finds
the rule out of date and moves it. "*" opens the port to everyone, only when the answers say so, with a
warning on every run.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers, VmOs
from wizard.azure.errors import StepError
from wizard.dsvm import caller_ip
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

PORTS = {VmOs.LINUX: (22, "ssh"), VmOs.WINDOWS: (3389, "rdp")}
PRIORITY = 1000
ANYWHERE = "*"


def port_for(answers: Answers) -> tuple[int, str]:
    return PORTS[answers.vm_os]


def allowed_source(ctx: StepContext) -> str:
    """The address (or network) that may connect: the answer, else this machine's detected public address."""
    if ctx.answers.allowed_source_ip:
        return ctx.answers.allowed_source_ip
    detected = caller_ip.detect()
    if detected is None:
        raise StepError(
            "CallerIpUnknown",
            f"could not find your public IP address (asked {', '.join(caller_ip.echo_urls())})",
            todo=(
                "Set allowed_source_ip in the answers to the address you connect from (what "
                "https://api.ipify.org shows in your browser), then run again: finished steps are kept."
            ),
        )
    return detected


def _rule(port: int, protocol_name: str, source: str) -> Any:
    from azure.mgmt.network.models import SecurityRule

    return SecurityRule(
        name=f"allow-{protocol_name}-from-caller",
        protocol="Tcp",
        direction="Inbound",
        access="Allow",
        priority=PRIORITY,
        source_address_prefix=source,
        source_port_range="*",
        destination_address_prefix="*",
        destination_port_range=str(port),
    )


def _opens_only(nsg: Any, port: int, source: str | None) -> str | None:
    """The source of the group's only inbound Allow rule when it is TCP `port` (from `source`, if given)."""
    allowed = [r for r in nsg.security_rules or [] if r.direction == "Inbound" and r.access == "Allow"]
    if len(allowed) != 1:
        return None
    rule = allowed[0]
    if rule.protocol != "Tcp" or rule.destination_port_range != str(port):
        return None
    if source is not None and rule.source_address_prefix != source:
        return None
    return rule.source_address_prefix


class DsvmFirewall(ArmResource):
    key = "dsvm-firewall"
    title = "DSVM firewall (network security group)"
    needs = ("resource-group", "register-providers")
    provides = ("id", "name", "port", "allowed_source", "summary")
    providers = ("Microsoft.Network",)
    client = "azure.mgmt.network:NetworkManagementClient"
    collection = "network_security_groups"
    resource_type = "Microsoft.Network/networkSecurityGroups"
    api_version = "2026-03-01"

    def describe(self, names: Names) -> str:
        return f"Network security group {names.nsg}: SSH or RDP from your address only"

    def resource_name(self, names: Names) -> str:
        return names.nsg

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        """Kept while its one rule still opens the port to the caller's address (a move elsewhere updates it)."""
        if not super().as_wanted(ctx, existing):
            return False
        port, _ = port_for(ctx.answers)
        source = ctx.answers.allowed_source_ip or caller_ip.detect()
        if source is None:
            kept = _opens_only(existing, port, None)
            if kept:
                ctx.log(f"could not detect your public IP address; keeping the rule for {kept}")
            return kept is not None
        return _opens_only(existing, port, source) is not None

    def lookups(self, ctx: StepContext) -> dict[str, Any]:
        port, protocol_name = port_for(ctx.answers)
        source = allowed_source(ctx)
        ctx.log(f"allowing {protocol_name.upper()} (TCP {port}) from {source} only")
        return {"source": source}

    def template_lookups(self, ctx: StepContext) -> dict[str, Any]:
        return {"source": "[parameters('allowedSourceIp')]"}

    def body(self, ctx: StepContext, source: str) -> Any:
        from azure.mgmt.network.models import NetworkSecurityGroup

        port, protocol_name = port_for(ctx.answers)
        return NetworkSecurityGroup(
            location=ctx.answers.region, tags=TAGS, security_rules=[_rule(port, protocol_name, source)]
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        port, protocol_name = port_for(ctx.answers)
        rule = next(r for r in result.security_rules if r.direction == "Inbound" and r.access == "Allow")
        source = rule.source_address_prefix
        who = f"{source} only"
        if source == ANYWHERE:
            who = "anywhere"
            ctx.log(
                f'WARNING: allowed_source_ip is "*", so {protocol_name.upper()} (TCP {port}) is open to the whole '
                "internet. Use your own address in a setup you keep."
            )
        return {
            "id": result.id,
            "name": result.name,
            "port": port,
            "allowed_source": source,
            "summary": f"{protocol_name.upper()} (TCP {port}) from {who}",
        }
