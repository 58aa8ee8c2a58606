"""Admin routes under the reserved ``/_emulator/`` prefix: request log, faults, reset, health.

For tests and demos driven from another process (the Python API on ``Emulator`` does the same in-process). They
need no token: the server only ever listens on loopback. They are neither logged nor subject to faults, so a test
reading the log sees exactly the traffic of the code under test.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from wizard.emulator.context import Ctx
from wizard.emulator.routing import route
from wizard.emulator.store import Fault
from wizard.emulator.wire import ArmError, Reply

PREFIX = "/_emulator/"


def new_fault(
    method: str | None = "PUT",
    path_pattern: str = ".*",
    status: int = 409,
    code: str = "Conflict",
    message: str = "Injected fault.",
    times: int | None = 1,
    headers: Mapping[str, str] | None = None,
    async_failure: bool = False,
) -> Fault:
    """A validated fault. ``async_failure`` faults let the write be accepted and make its operation end Failed."""
    try:
        re.compile(path_pattern)
    except re.error as exc:
        raise ValueError(f"path_pattern is not a regular expression: {exc}") from exc
    if times is not None and times < 1:
        raise ValueError("times must be at least 1, or None for ever")
    return Fault(
        id=0,
        method=(method or "*").upper(),
        pattern=path_pattern,
        status=int(status),
        code=code,
        message=message,
        remaining=times,
        headers={str(k): str(v) for k, v in (headers or {}).items()},
        async_failure=bool(async_failure),
    )


@route("GET", "/_emulator/health", arm=False)
def health(ctx: Ctx) -> Reply:
    return Reply(200, {"status": "ok", "url": ctx.base_url})


@route("GET", "/_emulator/requests", arm=False)
def requests_log(ctx: Ctx) -> Reply:
    return Reply(200, {"value": ctx.store.requests()})


@route("POST", "/_emulator/reset", arm=False)
def reset(ctx: Ctx) -> Reply:
    ctx.store.reset()
    return Reply(204)


@route("GET", "/_emulator/faults", arm=False)
def list_faults(ctx: Ctx) -> Reply:
    return Reply(200, {"value": [asdict(fault) for fault in ctx.store.faults()]})


@route("POST", "/_emulator/faults", arm=False)
def add_fault(ctx: Ctx) -> Reply:
    fields: dict[str, Any] = ctx.request.json_object()
    try:
        fault_id = ctx.store.add_fault(new_fault(**fields))
    except (TypeError, ValueError) as exc:
        raise ArmError(400, "InvalidFault", str(exc)) from exc
    return Reply(201, {"id": fault_id})


@route("DELETE", "/_emulator/faults", arm=False)
def clear_faults(ctx: Ctx) -> Reply:
    ctx.store.clear_faults()
    return Reply(204)
