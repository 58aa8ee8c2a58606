"""How long emulated operations run before they settle, by profile; either is multiplied by the latency scale.

`quick` is each behaviour's own base latency: seconds that keep tests (at latency scale 0.01) and the demo fast
while every operation still goes through its transitional states. `realistic` is what Azure typically takes per
resource type, so that bench/provision.py measures the wizard against the waits its users really have: a plan
whose wall time is close to its critical path under this profile adds nothing to them.

Sources: the figures marked [issue 14] are the typical durations issue 14 states from observed Azure runs (VM 2-4
min, workspace 1-2 min, compute cluster about 1 min, batch deployment several minutes, provider registration
about 1 min); the others, marked [estimate], are orders of magnitude not measured against Azure here (seconds for
network resources, under half a minute for storage and Log Analytics). Role assignment propagation (up to
a few minutes [issue 14]; two minutes here) is emulated under the realistic profile only: a new assignment
grants nothing until then, on ARM as on the data planes, so the wizard's own retries of a 403 are exercised
(the quick profile grants at once). A min-0 cluster's first node (4-6 min [issue 14]; five minutes here, then a
minute [estimate] to pull the job's image) is emulated under the realistic profile only: a job on a cold
cluster stays Queued until its node is up, then Preparing, and the node stays for the cluster's idle time
(job_runner).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.emulator.behaviour import Behaviour

QUICK, REALISTIC = "quick", "realistic"
PROFILES = (QUICK, REALISTIC)

# Resource type (lower case) -> (create or update, delete) in seconds under the realistic profile.
REALISTIC_SECONDS: dict[str, tuple[float, float]] = {
    "microsoft.compute/virtualmachines": (180.0, 90.0),  # [issue 14] 2-4 min
    "microsoft.compute/virtualmachines/extensions": (90.0, 60.0),  # [estimate] the VM agent installs it: 1-2 min
    "microsoft.machinelearningservices/workspaces": (90.0, 60.0),  # [issue 14] 1-2 min
    "microsoft.machinelearningservices/workspaces/computes": (60.0, 30.0),  # [issue 14] about 1 min
    "microsoft.machinelearningservices/workspaces/batchendpoints": (60.0, 30.0),  # [estimate] about 1 min
    "microsoft.machinelearningservices/workspaces/batchendpoints/deployments": (300.0, 60.0),  # [issue 14]
    "microsoft.machinelearningservices/workspaces/schedules": (5.0, 5.0),  # [estimate] seconds
    "microsoft.storage/storageaccounts": (25.0, 10.0),  # [estimate] 20-30 s
    "microsoft.operationalinsights/workspaces": (20.0, 10.0),  # [estimate] 15-30 s
    "microsoft.network/virtualnetworks": (5.0, 10.0),  # [estimate] seconds, for the network types below too
    "microsoft.network/virtualnetworks/subnets": (3.0, 5.0),
    "microsoft.network/publicipaddresses": (5.0, 10.0),
    "microsoft.network/networksecuritygroups": (5.0, 10.0),
    "microsoft.network/networkinterfaces": (5.0, 10.0),
    "microsoft.resources/resourcegroups": (0.0, 300.0),  # [estimate] a delete takes what is in the group: minutes
    "microsoft.resources/deployments": (15.0, 5.0),  # [estimate] an empty or linked template: seconds
}
REALISTIC_REGISTRATION_SECONDS = 60.0  # [issue 14] a resource provider registers in about a minute
REALISTIC_PROPAGATION_SECONDS = 120.0  # [issue 14] a role assignment takes effect within a few minutes
REALISTIC_FIRST_NODE_SECONDS = 300.0  # [issue 14] a min-0 cluster's first node: 4-6 min
REALISTIC_IMAGE_PULL_SECONDS = 60.0  # [estimate] a curated environment's image pulled onto a new node: a minute


def first_node_seconds(profile: str) -> float:
    """Base seconds a cold min-0 cluster takes to bring up a node for a job (before the latency scale)."""
    return REALISTIC_FIRST_NODE_SECONDS if profile == REALISTIC else 0.0


def image_pull_seconds(profile: str) -> float:
    """Base seconds a new node takes to pull a job's image before the job runs (before the latency scale)."""
    return REALISTIC_IMAGE_PULL_SECONDS if profile == REALISTIC else 0.0


def propagation_seconds(profile: str) -> float:
    """Base seconds before a new role assignment grants anything (before the latency scale)."""
    return REALISTIC_PROPAGATION_SECONDS if profile == REALISTIC else 0.0


def create_seconds(profile: str, behaviour: Behaviour) -> float:
    """Base seconds a create or update of this type runs (before the latency scale)."""
    if profile == REALISTIC and behaviour.latency:
        return REALISTIC_SECONDS.get(behaviour.type.lower(), (behaviour.latency, 0.0))[0]
    return behaviour.latency


def delete_seconds(profile: str, behaviour: Behaviour) -> float:
    """Base seconds a delete of this type runs (before the latency scale)."""
    if profile == REALISTIC and behaviour.delete_latency:
        return REALISTIC_SECONDS.get(behaviour.type.lower(), (0.0, behaviour.delete_latency))[1]
    return behaviour.delete_latency


def registration_seconds(profile: str, quick_seconds: float) -> float:
    """Base seconds a provider (un)registration runs (before the latency scale)."""
    return REALISTIC_REGISTRATION_SECONDS if profile == REALISTIC else quick_seconds
