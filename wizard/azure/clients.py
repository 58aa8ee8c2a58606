"""Building the official SDK clients for one cloud, subscription and credential.

Every client gets the cloud's ARM endpoint, token scope and CA bundle, so the same step code reaches the public
cloud, a sovereign cloud or the emulator. Retries are azure-core's RetryPolicy (429/5xx with Retry-After), each
told to the step (retries.py); the polling interval only matters when a service sends no Retry-After. A 401 for
an expired token is answered once with a new token (see renewal.py).
"""

from __future__ import annotations

import importlib
import inspect
import threading
from typing import Any, TypeVar, overload

from azure.core.credentials import TokenCredential

from wizard import __version__
from wizard.azure.clouds import Cloud
from wizard.azure.retries import ReportingRetryPolicy

ClientT = TypeVar("ClientT")


class ClientFactory:
    """Makes (and reuses) SDK management clients bound to one cloud and subscription."""

    def __init__(
        self,
        cloud: Cloud,
        credential: TokenCredential,
        subscription_id: str,
        *,
        polling_interval: float = 5.0,
        retry_total: int = 6,
        read_timeout: float | None = None,
    ):
        self.cloud = cloud
        self.credential = credential
        self.subscription_id = subscription_id
        self.read_timeout = read_timeout  # also for the clients built elsewhere (azure-ai-ml's MLClient)
        self._retry_total = retry_total
        self._options: dict[str, Any] = {
            "base_url": cloud.resource_manager,
            "credential_scopes": [cloud.arm_scope],
            "connection_verify": cloud.connection_verify,
            "polling_interval": polling_interval,
            "retry_policy": ReportingRetryPolicy(retry_total=retry_total),
            "user_agent": f"scoring-wizard/{__version__}",
        }
        if read_timeout is not None:  # azure-core's default is 300 s per read
            self._options["read_timeout"] = read_timeout
        self._clients: dict[type, Any] = {}
        self._lock = threading.Lock()

    @overload
    def get(self, client_class: type[ClientT]) -> ClientT: ...
    @overload
    def get(self, client_class: str) -> Any: ...

    def get(self, client_class: type[ClientT] | str) -> ClientT | Any:
        """The client of this class (or "module:Class" import path, imported now) for this subscription, built
        once and shared between steps."""
        if isinstance(client_class, str):
            module, _, name = client_class.partition(":")
            client_class = getattr(importlib.import_module(module), name)
        with self._lock:
            if client_class not in self._clients:
                from wizard.azure.renewal import RenewingAuthenticationPolicy

                kwargs = dict(self._options)
                kwargs["authentication_policy"] = RenewingAuthenticationPolicy(self.credential, self.cloud.arm_scope)
                if "subscription_id" in inspect.signature(client_class.__init__).parameters:
                    kwargs["subscription_id"] = self.subscription_id
                self._clients[client_class] = client_class(self.credential, **kwargs)
            return self._clients[client_class]

    def arm_pipeline(self) -> Any:
        """An azure-core client for the few ARM calls no SDK makes (a data asset's pending upload), with the SDK
        clients' sign-in, retries (told to the step) and timeouts; `send_request(HttpRequest(...))` sends one."""
        from azure.core import PipelineClient
        from azure.core.pipeline.policies import HeadersPolicy, UserAgentPolicy
        from azure.core.pipeline.transport import RequestsTransport

        from wizard.azure.renewal import RenewingAuthenticationPolicy

        timeouts = {"read_timeout": self.read_timeout} if self.read_timeout is not None else {}
        return PipelineClient(
            self.cloud.resource_manager,
            policies=[
                HeadersPolicy(),
                UserAgentPolicy(f"scoring-wizard/{__version__}"),
                ReportingRetryPolicy(retry_total=self._retry_total),
                RenewingAuthenticationPolicy(self.credential, self.cloud.arm_scope),
            ],
            transport=RequestsTransport(connection_verify=self.cloud.connection_verify, **timeouts),
        )

    def token(self) -> str:
        """An ARM access token, for the few calls made with `requests` (never logged or stored)."""
        return self.credential.get_token(self.cloud.arm_scope).token
