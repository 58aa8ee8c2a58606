"""Microsoft.Compute virtual machines, as the compute resource provider answers for them.

The longest operation of a setup: 201 (200 on update) with the VM Creating and an Azure-AsyncOperation monitor,
Succeeded after about 30 (scaled) seconds. The PUT is validated the way Azure validates it before accepting:
the size must be offered to the subscription in the region (SkuNotAvailable) and fit the vCPU quota
(QuotaExceeded), the marketplace image must exist and match the size's Hyper-V generation, the sign-in must be
complete (an SSH key, or a complex enough password) and the network interface must exist and be free.
The admin password is part of the request only: like Azure, the emulator never echoes it (nor stores it).
userData is kept apart and shown only to ``$expand=userData``; a GET shows the VM's extensions (a child type,
each a long-running write) as ``resources``. A system-assigned identity gets a principal id and the tenant.
AllocationFailed is an injected asynchronous failure of the operation (``inject_fault(..., async_failure=True)``).
Sizes, images and quotas are in ``compute_catalogue``.
"""

import base64
import binascii
import re
import uuid
from typing import Any

from wizard.emulator import operations
from wizard.emulator.behaviour import (
    CREATED_ASYNC,
    DELETE_ACCEPTED_ASYNC,
    OK_ASYNC,
    Answer,
    Behaviour,
    Call,
    Put,
    action,
    register,
)
from wizard.emulator.providers import compute_catalogue as offered
from wizard.emulator.wire import ArmError, Reply, iso
from wizard.rules import RESERVED_ADMIN_NAMES

_KEY_PREFIXES = ("ssh-rsa ", "ssh-ed25519 ")
_POWER_ACTION = Answer(202, body=False, monitor="both", done=200)
# action -> (power state while it runs, power state after); a restart passes through "starting"
_POWER = {
    "start": ("starting", "running"),
    "powerOff": ("stopping", "stopped"),
    "deallocate": ("deallocating", "deallocated"),
    "restart": ("starting", "running"),
}
_POWER_LABELS = {
    "running": "VM running",
    "starting": "VM starting",
    "stopping": "VM stopping",
    "stopped": "VM stopped",
    "deallocating": "VM deallocating",
    "deallocated": "VM deallocated",
}


def _invalid(message: str, target: str) -> ArmError:
    return ArmError(400, "InvalidParameter", f"{message} Target: '{target}'.")


def _complex_enough(password: str, low: int, high: int) -> bool:
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    return low <= len(password) <= high and classes >= 3 and not any(ord(c) < 32 for c in password)


@register
class VirtualMachine(Behaviour):
    type = offered.VM_TYPE
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED_ASYNC
    latency = 30.0
    delete_latency = 10.0
    requires_location = True

    def fill(self, put: Put) -> None:
        region = put.resource["location"]
        properties = put.properties
        size = self._size(put, region)
        operating_system = self._image(put, region, size)
        self._network(put)
        if put.existing is None:
            self._sign_in(put, operating_system)
        else:
            properties["osProfile"] = (put.existing.get("properties") or {}).get("osProfile", {})
        (properties.get("osProfile") or {}).pop("adminPassword", None)
        put.private.setdefault("vmId", str(uuid.uuid4()))
        put.private.setdefault("timeCreated", iso(put.now))
        properties["vmId"] = put.private["vmId"]
        properties["timeCreated"] = put.private["timeCreated"]
        put.private["etag"] = int(put.private.get("etag", 0)) + 1  # Compute counts writes: "1", "2", ...
        put.resource["etag"] = f'"{put.private["etag"]}"'
        properties.setdefault("diagnosticsProfile", {"bootDiagnostics": {"enabled": False}})
        _keep_user_data(put)

    def shown(self, call: Call) -> dict[str, Any]:
        """A GET shows the VM's extensions as ``resources``, and what ``$expand`` asks for: the instance view, or
        the userData no other answer shows."""
        expand = call.request.query.get("$expand", "").lower()
        if expand == "instanceview":
            call.resource["properties"]["instanceView"] = _instance_view(call)
        if expand == "userdata" and "userData" in call.private:
            call.resource["properties"]["userData"] = call.private["userData"]
        extensions = call.ctx.store.find(parent=call.address.id, type_=EXTENSION_TYPE) if call.ctx else []
        if extensions:
            call.resource["resources"] = [operations.render(call.ctx, row) for row in extensions]
        return call.resource

    @action("instanceView", "GET")
    def instance_view(self, call: Call) -> Reply:
        return Reply(200, _instance_view(call))

    @action("start")
    def start(self, call: Call) -> Reply:
        return _power(call, "start")

    @action("powerOff")
    def power_off(self, call: Call) -> Reply:
        return _power(call, "powerOff")

    @action("deallocate")
    def deallocate(self, call: Call) -> Reply:
        return _power(call, "deallocate")

    @action("restart")
    def restart(self, call: Call) -> Reply:
        return _power(call, "restart")

    # checks, in the order Azure reports them

    @staticmethod
    def _size(put: Put, region: str) -> offered.Size:
        name = (put.properties.get("hardwareProfile") or {}).get("vmSize") or ""
        size = offered.size_named(name)
        if size is None:
            raise _invalid(f"The value {name or '(none)'} provided for the VM size is not valid.", "vmSize")
        store = put.store
        if store is None:
            return size
        if offered.blocked(store, region, size):
            raise ArmError(
                409,
                "SkuNotAvailable",
                f"The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions: "
                f"{size.name}' is currently not available in location '{region}'. Please try another size or "
                "deploy to a different location or different zone. See https://aka.ms/azureskunotavailable for "
                "details.",
            )
        quotas = offered.usage(store, put.address.subscription.lower(), region, excluding=put.address.key)
        for quota_name in (size.family, offered.TOTAL):
            quota = quotas[quota_name]
            if quota["current"] + size.vcpus > quota["limit"]:
                raise ArmError(
                    409,
                    "QuotaExceeded",
                    f"Operation could not be completed as it results in exceeding approved {quota_name} Cores "
                    f"quota. Additional details - Deployment Model: Resource Manager, Location: {region}, Current "
                    f"Limit: {quota['limit']}, Current Usage: {quota['current']}, Additional Required: "
                    f"{size.vcpus}, (Minimum) New Limit Required: {quota['current'] + size.vcpus}. Submit a "
                    "request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/"
                    "UsageAndQuota.ReactView.",
                )
        return size

    @staticmethod
    def _image(put: Put, region: str, size: offered.Size) -> str:
        storage = put.properties.setdefault("storageProfile", {})
        reference = storage.get("imageReference") or {}
        parts = [str(reference.get(key) or "") for key in ("publisher", "offer", "sku", "version")]
        versions = offered.image_versions(region, *parts[:3])
        version = versions[-1] if parts[3].lower() == "latest" and versions else parts[3]
        if version not in versions:
            raise ArmError(
                404,
                "PlatformImageNotFound",
                f"The platform image '{':'.join(parts)}' is not available. Verify that all fields in the storage "
                "profile are correct. For more details about storage profile information, please refer to "
                "https://aka.ms/storageprofile",
            )
        generation = offered.image_generation(parts[2])
        if generation not in size.generations:
            raise ArmError(
                400,
                "BadRequest",
                f"The selected VM size '{size.name}' cannot boot Hypervisor Generation '{generation[1]}'. If this "
                "was a Create operation please check that the Hypervisor Generation of the Image matches the "
                "Hypervisor Generation of the selected VM Size.",
            )
        reference["exactVersion"] = version
        operating_system = offered.image_os(parts[1])
        disk = storage.setdefault("osDisk", {})
        suffix = put.private.setdefault("diskSuffix", uuid.uuid4().hex)
        disk.setdefault("name", f"{put.address.name}_OsDisk_1_{suffix}")
        disk["osType"] = operating_system
        disk.setdefault("createOption", "FromImage")
        disk.setdefault("caching", "ReadWrite")
        disk.setdefault("diskSizeGB", 150 if operating_system == "Linux" else 128)
        managed = disk.setdefault("managedDisk", {"storageAccountType": "Premium_LRS"})
        group_id = put.resource["id"].split("/providers/", 1)[0]
        managed["id"] = f"{group_id}/providers/Microsoft.Compute/disks/{disk['name']}"
        storage.setdefault("dataDisks", [])
        return operating_system

    @staticmethod
    def _network(put: Put) -> None:
        interfaces = (put.properties.get("networkProfile") or {}).get("networkInterfaces") or []
        if not interfaces:
            raise _invalid("At least one network interface is required.", "networkProfile")
        if put.store is None:
            return
        for interface in interfaces:
            nic_id = str(interface.get("id") or "")
            if put.store.get(nic_id) is None:
                raise ArmError(
                    400,
                    "InvalidResourceReference",
                    f"Resource {nic_id} referenced by resource {put.resource['id']} was not found. Please make sure "
                    "that the referenced resource exists, and that both resources are in the same region.",
                )
            for row in put.store.find(type_=offered.VM_TYPE):
                theirs = ((row.body.get("properties") or {}).get("networkProfile") or {}).get("networkInterfaces")
                used = any(nic_id.lower() == str(n.get("id", "")).lower() for n in theirs or [])
                if used and row.key != put.address.key:
                    raise ArmError(
                        400,
                        "NicInUse",
                        f"Network Interface {nic_id} is used by existing resource {row.id}. In order to use it for "
                        "this resource, delete the existing resource first.",
                    )

    @staticmethod
    def _sign_in(put: Put, operating_system: str) -> None:
        profile = put.properties.get("osProfile") or {}
        user = str(profile.get("adminUsername") or "")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{0,63}", user) or user.lower() in RESERVED_ADMIN_NAMES:
            raise _invalid("The Admin Username specified is not allowed.", "adminUsername")
        password = str(profile.get("adminPassword") or "")
        profile["computerName"] = str(profile.get("computerName") or put.address.name or "")
        profile.setdefault("secrets", [])
        profile.setdefault("allowExtensionOperations", True)
        profile.setdefault("requireGuestProvisionSignal", True)
        if operating_system == "Windows":
            _windows_sign_in(profile, password)
        else:
            _linux_sign_in(profile, user, password)


EXTENSION_TYPE = f"{offered.VM_TYPE}/extensions"


@register
class VirtualMachineExtension(Behaviour):
    """An extension (a custom script, the AAD login agent) is installed by the VM agent: a long-running write."""

    type = EXTENSION_TYPE
    on_create = CREATED_ASYNC
    on_update = OK_ASYNC
    on_delete = DELETE_ACCEPTED_ASYNC
    latency = 10.0
    delete_latency = 5.0
    requires_location = True

    def fill(self, put: Put) -> None:
        missing = [key for key in ("publisher", "type", "typeHandlerVersion") if not put.properties.get(key)]
        if missing:
            raise _invalid(f"Required parameter '{missing[0]}' is missing (null).", missing[0])


def _keep_user_data(put: Put) -> None:
    """userData is base64 of at most 64 KB; Azure keeps it apart and shows it only to ``$expand=userData``. A
    write that sends none keeps what the VM has."""
    if "userData" not in put.properties:
        return
    value = str(put.properties.pop("userData") or "")
    try:
        size = len(base64.b64decode(value, validate=True))
    except binascii.Error:
        raise _invalid("The userData provided is not a valid base64 string.", "userData") from None
    if size > 64 * 1024:
        raise _invalid("The userData provided exceeds the maximum size of 64 KB.", "userData")
    put.private["userData"] = value


def _windows_sign_in(profile: dict[str, Any], password: str) -> None:
    if len(profile["computerName"]) > 15:
        raise _invalid("Windows computer name cannot be more than 15 characters long.", "computerName")
    if not password:
        raise _invalid("Required parameter 'adminPassword' is missing (null).", "adminPassword")
    if not _complex_enough(password, 8, 123):
        raise _invalid(
            "The supplied password must be between 8-123 characters long and must satisfy at least 3 of password "
            "complexity requirements from the following: 1) Contains an uppercase character 2) Contains a "
            "lowercase character 3) Contains a numeric digit 4) Contains a special character 5) Control "
            "characters are not allowed",
            "adminPassword",
        )
    profile.setdefault("windowsConfiguration", {"provisionVMAgent": True, "enableAutomaticUpdates": True})


def _linux_sign_in(profile: dict[str, Any], user: str, password: str) -> None:
    linux = profile.setdefault("linuxConfiguration", {})
    keys = (linux.get("ssh") or {}).get("publicKeys") or []
    if linux.get("disablePasswordAuthentication") and not keys:
        raise _invalid(
            "Authentication using either SSH or by user name and password must be enabled in Linux profile.",
            "linuxConfiguration",
        )
    if not keys and not password:
        raise _invalid("Required parameter 'adminPassword' is missing (null).", "adminPassword")
    if password and not _complex_enough(password, 6, 72):
        raise _invalid(
            "The supplied password must be between 6-72 characters long and must satisfy at least 3 of password "
            "complexity requirements.",
            "adminPassword",
        )
    for key in keys:
        if not str(key.get("keyData") or "").startswith(_KEY_PREFIXES):
            raise _invalid(
                "The value of parameter linuxConfiguration.ssh.publicKeys.keyData is invalid.",
                "linuxConfiguration.ssh.publicKeys.keyData",
            )
        if key.get("path") != f"/home/{user}/.ssh/authorized_keys":
            raise _invalid(
                "The value of parameter linuxConfiguration.ssh.publicKeys.path is invalid.",
                "linuxConfiguration.ssh.publicKeys.path",
            )
    linux.setdefault("provisionVMAgent", True)


def _power_state(call: Call) -> str:
    """Where the VM's power is now: the running power action's transitional state, else the last one reached."""
    ctx = call.ctx
    op = ctx.store.operation(call.private["powerOperation"]) if ctx and call.private.get("powerOperation") else None
    if op and op.running(call.now):
        return str(call.private["powerTransition"])
    return str(call.private.get("power", "running"))


def _power(call: Call, name: str) -> Reply:
    """A power action: 202 with both monitors; the power state moves through its transitional state."""
    ctx = call.ctx
    if ctx is None:
        raise AssertionError("power actions are started by the generic store, which passes its context")
    if call.resource["properties"]["provisioningState"] != "Succeeded":
        raise ArmError(
            409,
            "OperationNotAllowed",
            f"Operation '{name}' is not allowed since the virtual machine is being provisioned.",
        )
    transition, final = _POWER[name]
    op = operations.start(
        ctx,
        kind="action",
        target=call.address.key,
        namespace="Microsoft.Compute",
        latency=ctx.delay(5.0),
        states=(),
        answer=_POWER_ACTION,
        failure=ctx.store.take_fault(ctx.request.method, ctx.request.path, async_failure=True),
    )
    call.private |= {"power": final, "powerTransition": transition, "powerOperation": op.id}
    location = call.resource.get("location", "")
    return Reply(202, None, operations.monitor_headers(ctx, op, _POWER_ACTION, call.address.subscription, location))


def _status(code: str, display: str, when: str | None = None) -> dict[str, Any]:
    status = {"code": code, "level": "Info", "displayStatus": display}
    return status | {"time": when} if when else status


def _instance_view(call: Call) -> dict[str, Any]:
    """The VirtualMachineInstanceView: provisioning and power statuses, the VM agent, the OS disk."""
    properties = call.resource["properties"]
    provisioning = properties["provisioningState"]
    power = _power_state(call)
    created = str(call.private.get("timeCreated", ""))
    profile = properties.get("osProfile") or {}
    view: dict[str, Any] = {
        "computerName": profile.get("computerName", call.address.name),
        "osName": "ubuntu" if (profile.get("linuxConfiguration") is not None) else "Windows Server 2022 Datacenter",
        "vmAgent": {
            "vmAgentVersion": "2.13.1.1",
            "statuses": [_status("ProvisioningState/succeeded", "Ready", created)],
        },
        "disks": [
            {
                "name": ((properties.get("storageProfile") or {}).get("osDisk") or {}).get("name", ""),
                "statuses": [_status("ProvisioningState/succeeded", "Provisioning succeeded", created)],
            }
        ],
        "hyperVGeneration": "V2",
        "statuses": [
            _status(f"ProvisioningState/{provisioning.lower()}", f"Provisioning {provisioning.lower()}", created),
        ],
    }
    if provisioning == "Succeeded":
        view["statuses"].append(_status(f"PowerState/{power}", _POWER_LABELS[power]))
    return view
