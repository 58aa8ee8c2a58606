"""Microsoft.Network: virtual networks and subnets, network security groups, public IPs and network interfaces.

Every write answers as the network resource provider does: 201 (200 on update) with the resource in state
Updating and an Azure-AsyncOperation monitor, then Succeeded. Nested objects (subnets, rules, IP configurations)
get their ids and states; subnets are also stored as child resources. References to other resources are checked
(InvalidResourceReference), a security group gets the six default rules, a public IP gets an address and the
DNS name `<label>.<region>.cloudapp.emulator.local`, and a network interface gets the next private address of
its subnet.
"""

import hashlib
import ipaddress
import re
import uuid
from typing import Any

from wizard.emulator import access
from wizard.emulator.behaviour import CREATED_ASYNC, DELETE_ACCEPTED_ASYNC, OK_ASYNC, Behaviour, Call, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.metadata import DNS_SUFFIX
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply

VNET = "Microsoft.Network/virtualNetworks"
SUBNET = "Microsoft.Network/virtualNetworks/subnets"
NSG = "Microsoft.Network/networkSecurityGroups"
PUBLIC_IP = "Microsoft.Network/publicIPAddresses"
NIC = "Microsoft.Network/networkInterfaces"
_DNS_LABEL = re.compile(r"^[a-z][a-z0-9-]{1,61}[a-z0-9]$")
_PROTOCOLS = ("Tcp", "Udp", "Icmp", "Esp", "Ah", "*")
_DEFAULT_RULES = (
    ("AllowVnetInBound", "Inbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
    ("AllowAzureLoadBalancerInBound", "Inbound", "Allow", 65001, "AzureLoadBalancer", "*"),
    ("DenyAllInBound", "Inbound", "Deny", 65500, "*", "*"),
    ("AllowVnetOutBound", "Outbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
    ("AllowInternetOutBound", "Outbound", "Allow", 65001, "*", "Internet"),
    ("DenyAllOutBound", "Outbound", "Deny", 65500, "*", "*"),
)


def _etag() -> str:
    return f'W/"{uuid.uuid4()}"'


def _stamp(put: Put) -> None:
    """What every network resource carries: an etag that changes on each write, a stable resourceGuid."""
    put.resource["etag"] = _etag()
    put.private.setdefault("resourceGuid", str(uuid.uuid4()))
    put.properties["resourceGuid"] = put.private["resourceGuid"]


def _require(put: Put, reference: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The stored resource a reference points at, or ARM's InvalidResourceReference."""
    target = (reference or {}).get("id", "")
    row = put.store.get(target) if put.store and target else None
    if row is None:
        raise ArmError(
            400,
            "InvalidResourceReference",
            f"Resource {target or '(no id)'} referenced by resource {put.resource['id']} was not found. Please make "
            f"sure that the referenced resource exists, and that both resources are in the same region ({what}).",
        )
    return row.body


class _NetworkResource(Behaviour):
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED_ASYNC
    create_states = ("Updating",)
    latency = 2.0
    delete_latency = 2.0
    requires_location = True


@register
class VirtualNetwork(_NetworkResource):
    type = VNET
    latency = 3.0

    def fill(self, put: Put) -> None:
        _stamp(put)
        properties = put.properties
        try:
            spaces = [
                ipaddress.ip_network(p) for p in (properties.get("addressSpace") or {}).get("addressPrefixes", [])
            ]
        except ValueError as exc:
            raise ArmError(400, "InvalidAddressPrefixFormat", f"Address prefix is not valid: {exc}") from exc
        properties.setdefault("virtualNetworkPeerings", [])
        properties.setdefault("enableDdosProtection", False)
        for subnet in properties.get("subnets") or []:
            name = subnet.get("name") or ""
            subnet_properties = subnet.setdefault("properties", {})
            try:
                prefix = ipaddress.ip_network(subnet_properties.get("addressPrefix", ""))
            except ValueError as exc:
                raise ArmError(400, "InvalidAddressPrefixFormat", f"Subnet '{name}': {exc}") from exc
            if spaces and not any(prefix.subnet_of(space) for space in spaces if space.version == prefix.version):
                raise ArmError(
                    400,
                    "NetcfgSubnetRangeOutsideVnet",
                    f"Subnet '{name}' is not valid because its IP address range is outside the IP address range of "
                    "virtual network.",
                )
            subnet["id"] = f"{put.resource['id']}/subnets/{name}"
            subnet["type"] = SUBNET
            subnet["etag"] = put.resource["etag"]
            subnet_properties["provisioningState"] = "Succeeded"
            subnet_properties.setdefault("privateEndpointNetworkPolicies", "Disabled")
            subnet_properties.setdefault("privateLinkServiceNetworkPolicies", "Enabled")
            put.add_child("subnets", name, {"etag": subnet["etag"], "properties": dict(subnet_properties)})


@register
class Subnet(_NetworkResource):
    """A subnet PUT on its own (the wizard sends them inside the network): synchronous, like a child resource."""

    type = SUBNET
    requires_location = False
    on_create = OK_ASYNC
    latency = 1.0


def _rule(nsg_id: str, collection: str, name: str, properties: dict[str, Any], etag: str) -> dict[str, Any]:
    return {
        "name": name,
        "id": f"{nsg_id}/{collection}/{name}",
        "etag": etag,
        "type": f"{NSG}/{collection}",
        "properties": {**properties, "provisioningState": "Succeeded"},
    }


def _check_rules(rules: list[dict[str, Any]]) -> None:
    seen: dict[tuple[str, int], str] = {}
    for rule in rules:
        name, properties = rule.get("name") or "", rule.get("properties") or {}
        priority = properties.get("priority")
        if not isinstance(priority, int) or not 100 <= priority <= 4096:
            raise ArmError(
                400,
                "SecurityRuleInvalidPriority",
                f"Security rule {name} has invalid Priority. Value provided: {priority}. Allowed range 100-4096.",
            )
        for field, allowed in (("direction", ("Inbound", "Outbound")), ("access", ("Allow", "Deny"))):
            if properties.get(field) not in allowed:
                raise ArmError(
                    400,
                    "SecurityRuleParameterContainsUnsupportedValue",
                    f"Security rule parameter {field} for rule with Id {name} cannot be "
                    f"'{properties.get(field)}'. Allowed values are {', '.join(allowed)}.",
                )
        if properties.get("protocol") not in _PROTOCOLS:
            raise ArmError(
                400,
                "SecurityRuleParameterContainsUnsupportedValue",
                f"Security rule parameter Protocol for rule with Id {name} cannot be '{properties.get('protocol')}'.",
            )
        key = (properties["direction"], priority)
        if key in seen:
            raise ArmError(
                400,
                "SecurityRuleConflict",
                f"Security rule {name} conflicts with rule {seen[key]}. Rules cannot have the same Priority and "
                "Direction.",
            )
        seen[key] = name


@register
class NetworkSecurityGroup(_NetworkResource):
    type = NSG

    def fill(self, put: Put) -> None:
        _stamp(put)
        nsg_id, etag, properties = put.resource["id"], put.resource["etag"], put.properties
        rules = properties.get("securityRules") or []
        _check_rules(rules)
        properties["securityRules"] = [
            _rule(nsg_id, "securityRules", r["name"], r.get("properties") or {}, etag) for r in rules
        ]
        properties["defaultSecurityRules"] = [
            _rule(
                nsg_id,
                "defaultSecurityRules",
                name,
                {
                    "description": f"Default rule {name}",
                    "protocol": "*",
                    "sourcePortRange": "*",
                    "destinationPortRange": "*",
                    "sourceAddressPrefix": source,
                    "destinationAddressPrefix": destination,
                    "access": access,
                    "priority": priority,
                    "direction": direction,
                },
                etag,
            )
            for name, direction, access, priority, source, destination in _DEFAULT_RULES
        ]
        for rule in properties["securityRules"]:
            put.add_child("securityRules", rule["name"], {"etag": etag, "properties": rule["properties"]})


def _public_address(resource_id: str) -> str:
    """A stable address in a range Azure uses for public IPs, derived from the resource id."""
    digest = hashlib.sha256(resource_id.lower().encode()).digest()
    return f"20.{digest[0] % 128 + 64}.{digest[1]}.{digest[2] % 254 + 1}"


@register
class PublicIpAddress(_NetworkResource):
    type = PUBLIC_IP
    latency = 3.0

    def fill(self, put: Put) -> None:
        _stamp(put)
        properties = put.properties
        sku = put.resource.setdefault("sku", {"name": "Standard", "tier": "Regional"})
        sku.setdefault("tier", "Regional")
        default_method = "Static" if sku.get("name") == "Standard" else "Dynamic"
        method = properties.setdefault("publicIPAllocationMethod", default_method)
        if sku.get("name") == "Standard" and method != "Static":
            raise ArmError(
                400,
                "StandardSkuPublicIPAddressesMustBeStatic",
                f"Standard sku publicIp {put.resource['id']} must be Static.",
            )
        properties.setdefault("publicIPAddressVersion", "IPv4")
        properties.setdefault("idleTimeoutInMinutes", 4)
        properties.setdefault("ipTags", [])
        properties.setdefault("ddosSettings", {"protectionMode": "VirtualNetworkInherited"})
        properties["ipAddress"] = (put.existing or {}).get("properties", {}).get("ipAddress") or _public_address(
            put.resource["id"]
        )
        dns = properties.get("dnsSettings")
        if dns:
            self._dns_name(put, dns)
        _show_attachment(put.store, put.resource)

    def shown(self, call: Call) -> dict[str, Any]:
        _show_attachment(call.ctx.store if call.ctx else None, call.resource)
        return call.resource

    @staticmethod
    def _dns_name(put: Put, dns: dict[str, Any]) -> None:
        label = str(dns.get("domainNameLabel") or "")
        region = put.resource["location"]
        if not _DNS_LABEL.match(label):
            raise ArmError(
                400,
                "InvalidDomainNameLabel",
                f"The domain name label {label} is invalid. It must conform to the following regular expression: "
                "^[a-z][a-z0-9-]{1,61}[a-z0-9]$.",
            )
        owner = _label_owner(put.store, region, label) if put.store else None
        if owner is not None and owner.key != put.address.key:
            raise ArmError(
                400,
                "DnsRecordInUse",
                f"DNS record {label}.{region}.cloudapp.{DNS_SUFFIX} is already used by another public IP.",
            )
        dns["fqdn"] = f"{label}.{region}.cloudapp.{DNS_SUFFIX}"


@register
class NetworkInterface(_NetworkResource):
    type = NIC

    def fill(self, put: Put) -> None:
        _stamp(put)
        properties = put.properties
        configs = properties.get("ipConfigurations") or []
        if not configs:
            raise ArmError(400, "InvalidRequestFormat", "A network interface must have at least one IP configuration.")
        if properties.get("networkSecurityGroup"):
            _require(put, properties["networkSecurityGroup"], "network security group")
        previous = {
            c.get("name"): (c.get("properties") or {}).get("privateIPAddress")
            for c in ((put.existing or {}).get("properties") or {}).get("ipConfigurations") or []
        }
        primary_subnet = (configs[0].get("properties") or {}).get("subnet")
        for index, config in enumerate(configs):
            name = config.get("name") or f"ipconfig{index + 1}"
            config_properties = config.setdefault("properties", {})
            if index and not config_properties.get("subnet") and primary_subnet:
                config_properties["subnet"] = dict(primary_subnet)  # Azure puts a secondary one in the primary's
            subnet = _require(put, config_properties.get("subnet"), "subnet")
            if config_properties.get("publicIPAddress"):
                _require(put, config_properties["publicIPAddress"], "public IP address")
            config["name"] = name
            config["id"] = f"{put.resource['id']}/ipConfigurations/{name}"
            config["type"] = f"{NIC}/ipConfigurations"
            config["etag"] = put.resource["etag"]
            config_properties.setdefault("privateIPAllocationMethod", "Dynamic")
            config_properties.setdefault("privateIPAddressVersion", "IPv4")
            config_properties.setdefault("primary", index == 0)
            config_properties["privateIPAddress"] = previous.get(name) or self._next_address(put, subnet)
            config_properties["provisioningState"] = "Succeeded"
        properties.setdefault("dnsSettings", {"dnsServers": [], "appliedDnsServers": []})
        properties.setdefault("enableAcceleratedNetworking", False)
        properties.setdefault("enableIPForwarding", False)
        properties.setdefault("disableTcpStateTracking", False)
        properties.setdefault("nicType", "Standard")
        properties.setdefault("vnetEncryptionSupported", False)

    @staticmethod
    def _next_address(put: Put, subnet: dict[str, Any]) -> str:
        """Azure keeps the first four addresses of a subnet; interfaces get the following ones in order."""
        network = ipaddress.ip_network((subnet.get("properties") or {}).get("addressPrefix", "10.0.0.0/24"))
        used = 0
        for row in put.store.find(type_=NIC) if put.store else []:
            if row.key == put.address.key:
                continue
            for config in (row.body.get("properties") or {}).get("ipConfigurations") or []:
                subnet_id = ((config.get("properties") or {}).get("subnet") or {}).get("id", "")
                used += subnet_id.lower() == str(subnet.get("id", "")).lower()
        return str(network.network_address + 4 + used)


def _show_attachment(store: Store | None, address: dict[str, Any]) -> None:
    """A public IP shows the NIC IP configuration that uses it (read-only, kept by the service, not the client)."""
    properties = address.setdefault("properties", {})
    properties.pop("ipConfiguration", None)
    for row in store.find(type_=NIC) if store else []:
        for config in (row.body.get("properties") or {}).get("ipConfigurations") or []:
            used = ((config.get("properties") or {}).get("publicIPAddress") or {}).get("id", "")
            if used.lower() == str(address.get("id", "")).lower():
                properties["ipConfiguration"] = {"id": config["id"]}


def _label_owner(store: Store, region: str, label: str) -> Row | None:
    """The public IP holding ``label`` in ``region`` (labels are unique per region, as their DNS names)."""
    for row in store.find(type_=PUBLIC_IP):
        theirs = (row.body.get("properties") or {}).get("dnsSettings") or {}
        if row.body.get("location") == region and theirs.get("domainNameLabel") == label:
            return row
    return None


@route(
    "GET",
    "/subscriptions/{subscription}/providers/Microsoft.Network/locations/{location}/checkDnsNameAvailability",
    type_="Microsoft.Network/locations/checkDnsNameAvailability",
)
def check_dns_name_availability(ctx: Ctx, subscription: str, location: str) -> Reply:
    access.require_registered(ctx, subscription, "Microsoft.Network")
    label = ctx.request.query.get("domainnamelabel", "")
    if not _DNS_LABEL.match(label):
        raise ArmError(400, "InvalidDomainNameLabel", f"The domain name label {label} is invalid.")
    return Reply(200, {"available": _label_owner(ctx.store, location.lower(), label) is None})
