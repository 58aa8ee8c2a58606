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
from wizard.emulator.faults import KINDS, FaultKind
from wizard.emulator.routing import route
from wizard.emulator.store import Fault
from wizard.emulator.wire import ArmError, Reply

PREFIX = "/_emulator/"


def new_fault(
    method: str | None = "PUT",
    path_pattern: str = ".*",
    status: int | None = None,
    code: str | None = None,
    message: str | None = None,
    times: int | None = 1,
    headers: Mapping[str, str] | None = None,
    async_failure: bool = False,
    *,
    kind: str | None = None,
    probability: float = 1.0,
    seed: int | None = None,
    allowance: int = 0,
) -> Fault:
    """A validated fault: a ``kind`` from the table in faults.py (whose answer the other fields may override), or
    an error answer (409 Conflict unless told). ``async_failure`` faults let the write be accepted and make its
    operation end Failed. ``probability`` (with ``seed``) fires on that share of matching requests."""
    try:
        re.compile(path_pattern)
    except re.error as exc:
        raise ValueError(f"path_pattern is not a regular expression: {exc}") from exc
    if times is not None and times < 1:
        raise ValueError("times must be at least 1, or None for ever")
    if not 0.0 < probability <= 1.0:
        raise ValueError("probability must be more than 0 and at most 1")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
    base = KINDS[kind] if kind else FaultKind("", "fail_later" if async_failure else "answer", False, 409, "Conflict")
    return Fault(
        id=0,
        method=(method or "*").upper(),
        pattern=path_pattern,
        status=int(status if status is not None else base.status),
        code=code if code is not None else base.code,
        message=message if message is not None else (base.message or "Injected fault."),
        remaining=times,
        headers={str(k): str(v) for k, v in (headers if headers is not None else base.headers).items()},
        effect=base.effect,
        probability=float(probability),
        seed=seed,
        delay=base.delay,
        allowance=int(allowance),
    )


@route("GET", "/_emulator/fault-kinds", arm=False)
def fault_kinds(ctx: Ctx) -> Reply:
    return Reply(200, {"value": [asdict(kind) for kind in KINDS.values()]})


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
