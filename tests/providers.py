"""Registering resource providers on an emulated subscription, as a first run (or an admin) would beforehand."""

from __future__ import annotations

import time

from azure.mgmt.resource.resources import ResourceManagementClient


def register(resources: ResourceManagementClient, *namespaces: str, timeout: float = 10.0) -> None:
    """Register the namespaces and wait until ARM reports each of them Registered."""
    for namespace in namespaces:
        resources.providers.register(namespace)
    deadline = time.monotonic() + timeout
    while any(resources.providers.get(ns).registration_state != "Registered" for ns in namespaces):
        assert time.monotonic() < deadline, f"{', '.join(namespaces)} did not register"
        time.sleep(0.02)
