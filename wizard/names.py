"""Every resource name a setup uses, derived deterministically from the answers.

Names Azure wants globally unique carry a short hash of subscription and resource group, so the same answers
always address the same resources (a resume, a repeat run, a support engineer reproducing a setup).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from wizard.answers import Answers


@dataclass(frozen=True)
class Names:
    """Every resource name a setup uses."""

    resource_group: str
    unique: str
    prefix: str

    @property
    def storage_account(self) -> str:
        return f"{self.prefix}st{self.unique}"[:24]

    @property
    def key_vault(self) -> str:
        """Vault names are global (3-24 characters) and stay reserved while a deleted vault is kept: hashed."""
        return self._global("kv", 24)

    @property
    def log_analytics(self) -> str:
        return self._local("log")

    @property
    def app_insights(self) -> str:
        return self._local("appi")

    @property
    def workspace(self) -> str:
        return f"{self.prefix}-mlw"

    @property
    def cpu_cluster(self) -> str:
        return "cpu-cluster"

    @property
    def gpu_cluster(self) -> str:
        return "gpu-cluster"

    @property
    def batch_endpoint(self) -> str:
        """Batch endpoint names are unique per region (3-32 characters): hashed."""
        return f"{self.prefix}-score-{self.unique}"[:32]

    @property
    def batch_deployment(self) -> str:
        return "scoring-pipeline"

    @property
    def data_factory(self) -> str:
        """Factory names are unique across Azure (3-63 characters): hashed."""
        return self._global("adf", 63)

    @property
    def logic_workflow(self) -> str:
        return self._local("logic")

    @property
    def aml_schedule(self) -> str:
        """An Azure ML schedule, named within its workspace."""
        return self._local("schedule")

    @property
    def functions_storage(self) -> str:
        """The function app's own storage account (global, 3-24 lower-case letters and digits): hashed."""
        return f"{self.prefix}fn{self.unique}"[:24]

    @property
    def functions_plan(self) -> str:
        return self._local("flex-plan")

    @property
    def function_app(self) -> str:
        """Function app names are host names under azurewebsites.net (2-60 characters): hashed."""
        return self._global("func", 60)

    @property
    def vm(self) -> str:
        return f"{self.prefix}-dsvm"

    @property
    def vnet(self) -> str:
        return self._local("vnet")

    @property
    def nsg(self) -> str:
        return self._local("dsvm-nsg")

    @property
    def public_ip(self) -> str:
        return self._local("dsvm-ip")

    @property
    def dns_label(self) -> str:
        """The DSVM's DNS label: unique in the region across Azure, so it carries the hash."""
        return self._global("dsvm")

    @property
    def nic(self) -> str:
        return self._local("dsvm-nic")

    @property
    def shutdown_schedule(self) -> str:
        """DevTestLab finds a VM's auto-shutdown only under exactly this name."""
        return f"shutdown-computevm-{self.vm}"

    def _local(self, suffix: str) -> str:
        """A name local to the resource group: prefix and purpose, e.g. demo-vnet."""
        return f"{self.prefix}-{suffix}"

    def _global(self, suffix: str, limit: int = 60) -> str:
        """A name that must be unique across Azure (DNS labels, function apps): carries the hash."""
        return f"{self.prefix}-{suffix}-{self.unique}"[:limit]


def names_for(answers: Answers) -> Names:
    digest = hashlib.sha256(f"{answers.subscription_id}/{answers.resource_group}".lower().encode()).hexdigest()
    return Names(resource_group=answers.resource_group, unique=digest[:6], prefix=answers.prefix)
