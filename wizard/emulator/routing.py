"""Route table: method + path template → handler, matched case-insensitively as ARM does.

Modules register their routes with the ``route`` decorator when imported; the most specific template (the one
with the most literal segments) wins, so ``/subscriptions/{s}/providers/Microsoft.Storage/checkNameAvailability``
beats a template with a placeholder in that place. Paths no template matches fall to the generic resource store.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wizard.emulator.wire import Reply

Handler = Callable[..., Reply]


@dataclass(frozen=True)
class Route:
    """One template. ``arm`` routes need a bearer token and an api-version; the others (sign-in, metadata,
    admin) do not."""

    methods: frozenset[str]
    segments: tuple[str, ...]  # lower-cased literals, or "{name}" placeholders
    handler: Handler
    arm: bool
    type_: str = ""  # the catalogue type whose api-versions the request must use ("" checks none)

    @property
    def literals(self) -> int:
        return sum(not segment.startswith("{") for segment in self.segments)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for template, actual in zip(self.segments, segments, strict=True):
            if template.startswith("{"):
                params[template[1:-1]] = actual
            elif template != actual.lower():
                return None
        return params


_ROUTES: list[Route] = []


def route(methods: str, template: str, *, arm: bool = True, type_: str = "") -> Callable[[Handler], Handler]:
    """Register ``handler(ctx, **placeholders) -> Reply`` for space-separated methods on a path template.

    ``type_`` names the catalogue type the route serves; its api-versions gate every request. Only monitor URLs
    (which echo the version of the request that started them) and non-ARM routes go without."""

    def register(handler: Handler) -> Handler:
        segments = tuple(
            part if part.startswith("{") else part.lower() for part in template.strip("/").split("/") if part
        )
        _ROUTES.append(Route(frozenset(methods.upper().split()), segments, handler, arm, type_))
        return handler

    return register


def resolve(method: str, segments: list[str]) -> tuple[Route, dict[str, str]] | None:
    """The most specific route for this request, with its placeholder values."""
    best: tuple[Route, dict[str, str]] | None = None
    for candidate in _ROUTES:
        if method not in candidate.methods:
            continue
        params = candidate.match(segments)
        if params is not None and (best is None or candidate.literals > best[0].literals):
            best = (candidate, params)
    return best
