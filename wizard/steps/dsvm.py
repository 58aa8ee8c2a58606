"""The Data Science VM itself: checked, imaged and signed into as decided in `wizard.dsvm`, with a managed identity.

Before the (long, billable) create, the size is checked against what the region offers this subscription and
against the vCPU quota, and the newest DSVM image is looked up; either problem stops the step with sizes or
regions that would work, before anything is created. Re-attaching to a create already accepted needs none of
that, and no password.
"""

from __future__ import annotations

from typing import Any

from wizard import secret_inputs
from wizard.answers import Answers, VmOs
from wizard.dsvm import admin_password, how_to_connect, images, sizes
from wizard.names import Names
from wizard.secret_inputs import SecretSpec
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext


def _text(value: Any) -> str:
    """An SDK enum or string as plain text, for the checkpoint."""
    return str(getattr(value, "value", value) or "")


class Dsvm(ArmResource):
    key = "dsvm"
    title = "Data Science VM"
    needs = ("dsvm-nic", "dsvm-public-ip")
    provides = ("id", "name", "os", "size", "image", "host", "admin_username", "principal_id", "portal", "summary")
    providers = ("Microsoft.Compute",)
    client = "azure.mgmt.compute:ComputeManagementClient"
    collection = "virtual_machines"
    resource_type = "Microsoft.Compute/virtualMachines"
    api_version = "2026-04-01"
    deadline = 60 * 60.0  # a DSVM usually takes 3-5 minutes; a busy region far longer

    def describe(self, names: Names) -> str:
        return f"Data Science VM {names.vm} (newest DSVM image, system-assigned managed identity)"

    def resource_name(self, names: Names) -> str:
        return names.vm

    def secrets(self, answers: Answers) -> tuple[SecretSpec, ...]:
        return (admin_password.spec(answers),) if admin_password.needed(answers) else ()

    def preflight(self, ctx: StepContext) -> None:
        if self._get(ctx) is None:
            sizes.check_size(ctx.clients.get(self.client), ctx.answers.region, ctx.answers.effective_vm_size)

    def lookups(self, ctx: StepContext) -> dict[str, Any]:
        """The size offered and within quota, the newest image for it, the SSH key and the typed password."""
        from wizard.dsvm import ssh_keys

        client = ctx.clients.get(self.client)
        name, region = ctx.names.vm, ctx.answers.region
        password = secret_inputs.value(admin_password.spec(ctx.answers)) if admin_password.needed(ctx.answers) else None
        wanted = ctx.answers.effective_vm_size
        ctx.progress(f"checking {wanted} in {region}: offered to this subscription, vCPU quota")
        size = sizes.check_size(client, region, wanted)
        ctx.progress(f"finding the newest {ctx.answers.vm_os.value} Data Science VM image in {region}")
        image = images.find_dsvm_image(client, region, ctx.answers.vm_os, gen2=size.gen2)
        ctx.log(f"image {image}, size {size.label()}")
        key = ssh_keys.ssh_key(ctx.files_dir, name) if ctx.answers.vm_os is VmOs.LINUX else None
        if key is not None and key.generated:
            ctx.log(f"SSH key for this setup: {key.identity_file} (no key found in ~/.ssh)")
        return {"size": size.name, "image": image, "ssh_public_key": key.public if key else None, "password": password}

    def template_lookups(self, ctx: StepContext) -> dict[str, Any]:
        """The finished run's image (a replay gets the very same one); the size, key and password as parameters."""
        publisher, offer, sku, version = ctx.previous["image"].split(":")
        return {
            "size": "[parameters('vmSize')]",
            "image": images.DsvmImage(publisher, offer, sku, version),
            "ssh_public_key": "[parameters('sshPublicKey')]" if ctx.answers.vm_os is VmOs.LINUX else None,
            "password": "[parameters('adminPassword')]" if admin_password.needed(ctx.answers) else None,
        }

    def body(
        self, ctx: StepContext, size: str, image: images.DsvmImage, ssh_public_key: str | None, password: str | None
    ) -> Any:
        from wizard.dsvm.vm_body import os_profile, vm_body

        profile = os_profile(ctx.answers, ctx.names.vm, ssh_public_key, password)
        return vm_body(ctx.answers, ctx.names.vm, size, image, ctx.outputs["dsvm-nic"]["id"], profile)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        answers = ctx.answers
        host = ctx.outputs["dsvm-public-ip"]["fqdn"]
        user = answers.admin_username
        portal = ctx.cloud.portal_link(result.id)
        ref = result.storage_profile.image_reference
        image = ":".join(_text(part) for part in (ref.publisher, ref.offer, ref.sku, ref.version))
        size = _text(result.hardware_profile.vm_size)
        found: Outputs = {
            "id": result.id,
            "name": result.name,
            "os": answers.vm_os.value,
            "size": size,
            "image": image,
            "host": host,
            "admin_username": user,
            "identity": _text(result.identity.type) if result.identity else "",
            "principal_id": result.identity.principal_id if result.identity else None,
            "portal": portal,
            "summary": f"{result.name} ({size}, {image}) at {host}",
        }
        if answers.vm_os is VmOs.WINDOWS:
            rdp = how_to_connect.write_rdp_file(ctx.files_dir, result.name, host, user)
            found["rdp_file"] = str(rdp)
            found["instructions"] = how_to_connect.windows_instructions(rdp, host, user, portal)
            return found
        from wizard.dsvm import ssh_keys

        key_file = ssh_keys.generated_key_path(ctx.files_dir, result.name)
        identity_file = key_file if key_file.exists() else None
        command = how_to_connect.ssh_tunnel_command(host, user, identity_file)
        found["ssh_command"] = command
        found["jupyter_url"] = how_to_connect.JUPYTER_URL
        if identity_file is not None:
            found["ssh_identity_file"] = str(identity_file)
        found["instructions"] = how_to_connect.linux_instructions(
            command, portal, user, has_password=answers.linux_password_login
        )
        return found
