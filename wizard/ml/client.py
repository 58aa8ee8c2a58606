"""azure-ai-ml's MLClient for one workspace, pointed at the wizard's cloud.

azure-ai-ml reads custom clouds only from explicit ``cloud_metadata`` (its metadata-URL route derives a wrong ML
audience), and three of its inner clients ignore ``connection_verify``: against the emulator, whose CA is a
file, ``REQUESTS_CA_BUNDLE`` must name that file too. It is never set for a real cloud.

azure-ai-ml also keeps its current cloud in ``AZUREML_CURRENT_CLOUD`` and reads it while it is imported: a value
inherited from another process (a user's own scripts, or a wizard run for another emulator port) names a cloud this
process has not registered, and the import itself fails with "Unknown cloud environment". The wizard always passes
its cloud explicitly, so it drops that inherited value before the first import; MLClient then sets its own.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING, Any

from wizard.azure.clouds import Cloud

if TYPE_CHECKING:
    from wizard.steps.base import StepContext

ML_SCOPE = "https://ml.azure.com/.default"
# azure-ai-ml registers a custom cloud in a process-wide table while an MLClient is built: two steps building
# theirs at the same moment (the cluster and the pipeline start together) would see it half-registered.
_BUILDING = threading.Lock()
CURRENT_CLOUD_VARIABLE = "AZUREML_CURRENT_CLOUD"


def ml_client(
    cloud: Cloud,
    credential: Any,
    subscription_id: str,
    group: str,
    workspace: str,
    read_timeout: float | None = None,
) -> Any:
    """`read_timeout` as the management clients have it: an answer later than that is a retry the step tells
    (azure-core retries a timed-out read of an idempotent call), not a silent wait."""
    from wizard.azure.renewal import RenewingAuthenticationPolicy
    from wizard.azure.retries import ReportingRetryPolicy

    options: dict[str, Any] = {
        "enable_telemetry": False,
        "show_progress": False,
        "retry_policy": ReportingRetryPolicy(),
        # Its service clients all sign in for ARM (the ML audience's tokens it asks the credential for itself).
        "authentication_policy": RenewingAuthenticationPolicy(credential, cloud.arm_scope),
    }
    if read_timeout is not None:  # azure-core's default is 300 s per read
        options["read_timeout"] = read_timeout
    if isinstance(cloud.connection_verify, str):  # the emulator: its own CA
        os.environ["REQUESTS_CA_BUNDLE"] = cloud.connection_verify
        base = cloud.resource_manager.rstrip("/")
        options["connection_verify"] = cloud.connection_verify
        options["cloud"] = f"{cloud.name}-{base.rsplit(':', 1)[-1]}"  # one registration per base URL
        options["cloud_metadata"] = {
            "azure_portal": cloud.portal.rstrip("/") + "/",
            "resource_manager": base + "/",
            "active_directory": cloud.authority_host.rstrip("/") + "/",
            "aml_resource_id": "https://ml.azure.com/",
            "storage_endpoint": cloud.storage_suffix,
            "registry_discovery_endpoint": base + "/",
        }
    elif cloud.name != "AzureCloud":
        options["cloud"] = cloud.name
    with _BUILDING:
        if "azure.ai.ml" not in sys.modules:
            os.environ.pop(CURRENT_CLOUD_VARIABLE, None)
        from azure.ai.ml import MLClient

        return MLClient(credential, subscription_id, group, workspace, **options)


def for_step(ctx: StepContext, workspace: str) -> Any:
    """The MLClient of a step: the run's cloud, credential, subscription and group, and this workspace."""
    clients = ctx.clients
    group, timeout = ctx.names.resource_group, clients.read_timeout
    return ml_client(ctx.cloud, clients.credential, clients.subscription_id, group, workspace, timeout)
