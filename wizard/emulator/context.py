"""What a handler is given: the request, the store, the request's clock reading, latency scale and token lifetime."""

from dataclasses import dataclass

from wizard.emulator import latency
from wizard.emulator.store import Store
from wizard.emulator.wire import Request

POLL_SECONDS = 1.0  # what ARM typically answers in Retry-After, before scaling
TOKEN_SECONDS = 3599.0  # Entra's usual access token lifetime; an emulator can be told a shorter one


@dataclass(frozen=True)
class Ctx:
    """One request being handled. ``now`` is read once so a handler sees a consistent instant."""

    request: Request
    store: Store
    now: float
    latency_scale: float
    token_lifetime: float = TOKEN_SECONDS
    latency_profile: str = latency.QUICK

    @property
    def base_url(self) -> str:
        return self.request.base_url

    def delay(self, base_seconds: float) -> float:
        """A behaviour's base latency as experienced on this emulator."""
        return base_seconds * self.latency_scale

    @property
    def poll_seconds(self) -> float:
        """How long a client should wait before polling again: scaled, never 0 (azure-core ignores 0)."""
        return max(0.02, POLL_SECONDS * self.latency_scale)
