"""An Azure Resource Manager emulator: the real Azure SDK clients, pointed at loopback instead of Azure.

The emulator is a cloud, not a mock: it speaks ARM's wire protocol over HTTPS (status codes, long-running
operations, error bodies) and Entra ID's client-credentials flow, so the SDKs run their real code paths and only the
endpoints differ, as for Azure China. State lives in a directory and survives restarts.

    from wizard.emulator import DEMO, Emulator

    with Emulator(state_dir, latency_scale=0.01) as emu:
        credential = ClientSecretCredential(DEMO.tenant_id, DEMO.client_id, DEMO.client_secret,
                                            authority=emu.url, disable_instance_discovery=True,
                                            connection_verify=str(emu.ca_path))
        client = ResourceManagementClient(credential, DEMO.subscription_id, base_url=emu.url,
                                          credential_scopes=[emu.url + "/.default"],
                                          connection_verify=str(emu.ca_path))

Per-type behaviour (status codes, latency, defaults, actions) sits in one module per provider namespace under
``providers/``; see ``behaviour.py`` for how to add one.
"""

from wizard.emulator.demo import DEMO, DemoIdentity
from wizard.emulator.server import Emulator

__all__ = ["DEMO", "DemoIdentity", "Emulator"]
