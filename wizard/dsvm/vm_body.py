"""The VirtualMachine request body: size, image, sign-in, network interface and a system-assigned identity.

The identity is what lets code on the DSVM reach the AML workspace and storage without keys in notebooks. The
OS disk is deleted with the VM (nothing on it outlives the dev box) and the interface is detached, so the
network steps' resources stay consistent with the checkpoint when a VM is recreated.
"""

from __future__ import annotations

from azure.mgmt.compute.models import (
    BootDiagnostics,
    DiagnosticsProfile,
    HardwareProfile,
    ImageReference,
    LinuxConfiguration,
    ManagedDiskParameters,
    NetworkInterfaceReference,
    NetworkProfile,
    OSDisk,
    OSProfile,
    SshConfiguration,
    SshPublicKey,
    StorageProfile,
    VirtualMachine,
    VirtualMachineIdentity,
    WindowsConfiguration,
)

from wizard.answers import Answers, VmOs
from wizard.dsvm.images import DsvmImage
from wizard.steps.resource_group import TAGS

OS_DISK_TYPE = "StandardSSD_LRS"  # works on every size; a dev box does not need Premium's IOPS


def os_profile(answers: Answers, computer_name: str, ssh_public_key: str | None, password: str | None) -> OSProfile:
    """Windows: the typed password. Linux: the SSH key, plus password sign-in only when the user asked for it."""
    user = answers.admin_username
    if answers.vm_os is VmOs.WINDOWS:
        return OSProfile(
            computer_name=computer_name,
            admin_username=user,
            admin_password=password,
            windows_configuration=WindowsConfiguration(provision_vm_agent=True, enable_automatic_updates=True),
        )
    keys = [SshPublicKey(path=f"/home/{user}/.ssh/authorized_keys", key_data=ssh_public_key)] if ssh_public_key else []
    return OSProfile(
        computer_name=computer_name,
        admin_username=user,
        admin_password=password,
        linux_configuration=LinuxConfiguration(
            disable_password_authentication=password is None,
            provision_vm_agent=True,
            ssh=SshConfiguration(public_keys=keys),
        ),
    )


def vm_body(
    answers: Answers, vm_name: str, size: str, image: DsvmImage, nic_id: str, profile: OSProfile
) -> VirtualMachine:
    return VirtualMachine(
        location=answers.region,
        tags=TAGS,
        identity=VirtualMachineIdentity(type="SystemAssigned"),
        hardware_profile=HardwareProfile(vm_size=size),
        storage_profile=StorageProfile(
            image_reference=ImageReference(**image.reference()),
            os_disk=OSDisk(
                name=f"{vm_name}-osdisk",
                create_option="FromImage",
                caching="ReadWrite",
                delete_option="Delete",
                managed_disk=ManagedDiskParameters(storage_account_type=OS_DISK_TYPE),
            ),
        ),
        os_profile=profile,
        network_profile=NetworkProfile(
            network_interfaces=[NetworkInterfaceReference(id=nic_id, primary=True, delete_option="Detach")]
        ),
        diagnostics_profile=DiagnosticsProfile(boot_diagnostics=BootDiagnostics(enabled=True)),
    )
