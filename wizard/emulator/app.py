"""The request pipeline in front of every route, in ARM's order: faults, authentication, api-version, then the
route (or the generic resource store), then the common ARM headers and the request log."""

import json
import time
import uuid
from typing import Any

from wizard.emulator import (
    access,
    admin,
    arm,
    blobs,
    entra,
    identity,
    latency,
    listing,
    metadata,
    operations,
    prices,
    providers,
    routing,
)
from wizard.emulator.behaviour import behaviour_for
from wizard.emulator.context import TOKEN_SECONDS, Ctx
from wizard.emulator.store import Fault, Store
from wizard.emulator.wire import ArmError, Disconnect, Reply, Request

# The modules above register their routes when imported; providers are found on disk.
_ROUTE_MODULES = (admin, entra, listing, metadata, operations)
providers.load_all()


class App:
    """Turns a Request into a Reply against one store, at one latency scale."""

    def __init__(
        self,
        store: Store,
        latency_scale: float,
        token_lifetime: float = TOKEN_SECONDS,
        latency_profile: str = latency.QUICK,
    ) -> None:
        self.store = store
        self.latency_scale = latency_scale
        self.token_lifetime = token_lifetime
        self.latency_profile = latency_profile

    def handle(self, request: Request) -> Reply:
        ctx = Ctx(request, self.store, time.time(), self.latency_scale, self.token_lifetime, self.latency_profile)
        is_admin = request.path.startswith(admin.PREFIX)
        fault = None if is_admin else self.store.take_fault(request.method, request.path, async_failure=False)
        try:
            reply = (self._misbehave(ctx, fault) if fault else None) or self._dispatch(ctx, is_admin)
        except ArmError as error:
            reply = error.reply()
        except Disconnect:
            self.store.log_request(request.method, request.path, request.query_string, 0, ctx.now)
            raise
        if not is_admin:
            reply.headers.setdefault("x-ms-request-id", str(uuid.uuid4()))
            correlation = request.headers.get("x-ms-correlation-request-id") or str(uuid.uuid4())
            reply.headers.setdefault("x-ms-correlation-request-id", correlation)
            self.store.log_request(
                request.method, request.path, request.query_string, reply.status, ctx.now, _put_body(request)
            )
        if fault and fault.effect == "slow":  # done and logged; only the answer is late
            time.sleep(fault.delay)
        return reply

    def _misbehave(self, ctx: Ctx, fault: Fault) -> Reply | None:
        """A fault's effect before the route runs: an answer of its own, or None to go on to the route."""
        if fault.effect == "reset":
            raise Disconnect()
        if fault.effect == "expire":  # every token ends now: this request (and any other) gets its 401
            self.store.expire_tokens(ctx.now)
        if fault.effect == "throttle" and fault.allowance >= 0:  # still within the allowance: counting down
            reply = self._dispatch(ctx, False)
            reply.headers["x-ms-ratelimit-remaining-subscription-writes"] = str(fault.allowance)
            return reply
        if fault.effect in ("answer", "throttle"):
            raise ArmError(fault.status, fault.code, fault.message, fault.headers)
        return None

    def _dispatch(self, ctx: Ctx, is_admin: bool) -> Reply:
        request = ctx.request
        if request.path.startswith(blobs.PREFIX):  # a data plane: authorised by SAS, not by ARM tokens
            return blobs.handle(ctx)
        if request.path.startswith(prices.PREFIX):  # public, as prices.azure.com: no token
            return prices.handle(ctx)
        found = routing.resolve(request.method, request.segments)
        if found is None or found[0].arm:
            identity.authenticate(ctx)
            if not request.api_version:
                raise ArmError(
                    400,
                    "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.",
                )
            self.store.settle(ctx.now, lambda row: behaviour_for(row.type).removed(self.store, row, ctx.now))
        if found is not None:
            route, params = found
            if route.type_:
                access.require_api_version(ctx, route.type_)
            return route.handler(ctx, **params)
        if request.segments[:1] and request.segments[0].lower() == "subscriptions":
            return arm.handle(ctx)
        raise arm.unknown_route(request.path)


def _put_body(request: Request) -> Any:
    """A PUT's JSON body, for the request log (None for other methods and for a body that is not JSON)."""
    if request.method != "PUT" or not request.body:
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        return None
