"""The fixed identity the emulator's cloud is made of.

Constants rather than generated values so that answers files, checkpoints and screenshots taken against one
emulator stay valid against any other: every emulator has the same tenant, app and subscription.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoIdentity:
    """The tenant, service principal and subscription every emulator serves."""

    tenant_id: str = "7e4a1c2b-9d3f-4b8e-a6c5-2f1d0e9b8a73"
    tenant_domain: str = "scoringwizarddemo.onmicrosoft.com"
    client_id: str = "3c9f6e21-5b7a-4d08-9e4c-81a2b3c4d5e6"
    client_secret: str = "emu~Demo.Secret-0123456789abcdefABCDEF"
    object_id: str = "a51c7f0e-2d4b-4e6a-9c8d-1f2e3d4c5b6a"  # the service principal's object id: Owner of the sub
    subscription_id: str = "5d2e8f40-1a3b-4c6d-8e9f-0a1b2c3d4e5f"
    subscription_name: str = "Scoring Wizard Demo Subscription"


DEMO = DemoIdentity()
