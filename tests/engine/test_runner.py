"""The runner against the in-process emulator: parallelism, resume, re-attach, failures with remedies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azure.mgmt.network import NetworkManagementClient

from tests.interrupt import stop_once_accepted
from wizard import events
from wizard import plan as planning
from wizard.answers import parse
from wizard.checkpoint import StepStatus
from wizard.connect import EmulatorEndpoint
from wizard.emulator import DEMO, Emulator
from wizard.session import open_session
from wizard.steps.base import Operation, Outputs, Step, StepContext, Waiting
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup


class VirtualNetwork(Step):
    """A test-only step with a real long-running PUT, to exercise re-attaching by continuation token."""

    key = "vnet"
    title = "Virtual network"
    needs = ("resource-group", "register-providers")
    providers = ("Microsoft.Network",)

    def _client(self, ctx: StepContext) -> NetworkManagementClient:
        return ctx.clients.get(NetworkManagementClient)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        body = {"location": ctx.answers.region, "address_space": {"address_prefixes": ["10.0.0.0/16"]}}
        return self._client(ctx).virtual_networks.begin_create_or_update(
            ctx.names.resource_group, "test-vnet", body, continuation_token=continuation_token
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {"id": result.id}


@pytest.fixture
def emulator(tmp_path: Path):
    with Emulator(tmp_path / "emulator", latency_scale=0.01) as emu:
        yield emu


@pytest.fixture
def answers():
    return parse(
        {
            "cloud": "AzureEmulator",
            "subscription_id": DEMO.subscription_id,
            "region": "eastus",
            "resource_group": "rg-runner",
            "prefix": "run",
        }
    )


@pytest.fixture(autouse=True)
def spine_steps(monkeypatch):
    """The runner is tested on the spine's two steps (plus a test LRO step), not on the product's plan."""
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))


@pytest.fixture
def with_vnet(monkeypatch):
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders, VirtualNetwork))


def _endpoint(emu: Emulator) -> EmulatorEndpoint:
    return EmulatorEndpoint(**emu.endpoint())


def _run(answers, path: Path, emu: Emulator, **options) -> tuple[bool, list[events.Event]]:
    seen: list[events.Event] = []
    with open_session(answers, checkpoint_path=path, emulator=_endpoint(emu)) as session:
        ok = session.runner(seen.append, poll_interval=0.02, **options).run()
    return ok, seen


def _writes(emu: Emulator, fragment: str) -> list[dict]:
    return [r for r in emu.request_log() if r["method"] == "PUT" and fragment in r["path"].lower()]


def test_independent_steps_start_before_either_finishes(emulator, answers, tmp_path):
    ok, seen = _run(answers, tmp_path / "cp.json", emulator)
    assert ok
    kinds = [(type(e).__name__, e.key) for e in seen]
    first_finish = min(i for i, (kind, _) in enumerate(kinds) if kind == "StepSucceeded")
    started_before = {key for kind, key in kinds[:first_finish] if kind == "StepStarted"}
    assert started_before == {"resource-group", "register-providers"}
    assert isinstance(seen[-1], events.RunFinished) and seen[-1].ok


def test_stopped_operation_is_reattached_not_recreated(answers, tmp_path, with_vnet, request):
    path = tmp_path / "cp.json"
    emulator = Emulator(tmp_path / "slow-emulator", latency_scale=0.5).start()
    request.addfinalizer(emulator.stop)
    seen: list[events.Event] = []
    with open_session(answers, checkpoint_path=path, emulator=_endpoint(emulator)) as session:
        stop_once_accepted(session, "vnet", seen.append)
        record = session.checkpoint.step("vnet")
    assert record.status is StepStatus.RUNNING and record.continuation_token
    assert isinstance(seen[-1], events.RunFinished) and seen[-1].stopped

    ok, seen = _run(answers, path, emulator)
    assert ok
    assert len(_writes(emulator, "/virtualnetworks/test-vnet")) == 1
    assert any(isinstance(e, events.StepLog) and "re-attaching" in e.line for e in seen)
    assert any(isinstance(e, events.StepSucceeded) and e.key == "resource-group" and e.reused for e in seen)


def test_failure_explains_itself_blocks_dependents_and_retry_finishes(emulator, answers, tmp_path, with_vnet):
    path = tmp_path / "cp.json"
    emulator.inject_fault(
        method="PUT",
        path_pattern="virtualNetworks/test-vnet",
        status=403,
        code="RequestDisallowedByPolicy",
        message="Resource 'test-vnet' was disallowed by policy.",
        times=1,
    )
    ok, seen = _run(answers, path, emulator)
    assert not ok
    (failure,) = [e for e in seen if isinstance(e, events.StepFailed)]
    assert failure.key == "vnet" and failure.error.code == "RequestDisallowedByPolicy"
    assert "Policy" in failure.error.todo and failure.error.link

    ok, seen = _run(answers, path, emulator)
    assert ok
    assert not any(isinstance(e, events.StepSucceeded) and e.key == "resource-group" and not e.reused for e in seen)


def test_async_failure_of_an_operation_is_reported_with_its_code(emulator, answers, tmp_path, with_vnet):
    emulator.inject_fault(
        method="PUT",
        path_pattern="virtualNetworks/test-vnet",
        status=200,
        code="InternalServerError",
        message="boom",
        times=1,
        async_failure=True,
    )
    ok, seen = _run(answers, tmp_path / "cp.json", emulator)
    assert not ok
    (failure,) = [e for e in seen if isinstance(e, events.StepFailed)]
    assert failure.error.code == "InternalServerError"


def test_a_group_deleted_behind_our_back_is_recreated(emulator, answers, tmp_path):
    from azure.mgmt.resource.resources import ResourceManagementClient

    path = tmp_path / "cp.json"
    assert _run(answers, path, emulator)[0]
    with open_session(answers, checkpoint_path=path, emulator=_endpoint(emulator)) as session:
        session.connection.clients.get(ResourceManagementClient).resource_groups.begin_delete("rg-runner").result()
    ok, seen = _run(answers, path, emulator)
    assert ok
    assert any(isinstance(e, events.StepLog) and "gone now" in e.line for e in seen)
    assert len(_writes(emulator, "/resourcegroups/rg-runner")) == 2


def test_past_the_deadline_the_operation_is_kept_for_a_resume(answers, tmp_path, with_vnet, request):
    path = tmp_path / "cp.json"
    emulator = Emulator(tmp_path / "slow-emulator", latency_scale=0.5).start()
    request.addfinalizer(emulator.stop)
    emulator.inject_fault(method="PUT", path_pattern="virtualNetworks/test-vnet", status=403, code="Denied", times=1)
    assert not _run(answers, path, emulator)[0]
    ok, seen = _run(answers, path, emulator, step_timeout=0.1)
    assert not ok
    (failure,) = [e for e in seen if isinstance(e, events.StepFailed)]
    assert (failure.key, failure.error.code) == ("vnet", "DeadlineExceeded")
    with open_session(answers, checkpoint_path=path, emulator=_endpoint(emulator)) as session:
        record = session.checkpoint.step("vnet")
    assert record.status is StepStatus.RUNNING and record.continuation_token

    ok, seen = _run(answers, path, emulator)
    assert ok
    assert any(isinstance(e, events.StepLog) and "re-attaching" in e.line for e in seen)


def test_a_failing_status_poll_keeps_the_operation_for_a_resume(emulator, answers, tmp_path, with_vnet):
    """Persistent 503s on the operation's monitor fail the step, but Azure still runs what it accepted: the
    token stays in the checkpoint and a resume re-attaches instead of creating the network again."""
    path = tmp_path / "cp.json"
    emulator.inject_fault(
        method="GET",
        path_pattern="operationStatuses",
        status=503,
        code="ServiceUnavailable",
        times=None,
        headers={"Retry-After": "0.05"},
    )
    ok, seen = _run(answers, path, emulator)
    assert not ok
    (failure,) = [e for e in seen if isinstance(e, events.StepFailed)]
    assert failure.key == "vnet" and failure.error.todo
    with open_session(answers, checkpoint_path=path, emulator=_endpoint(emulator)) as session:
        record = session.checkpoint.step("vnet")
    assert record.status is StepStatus.RUNNING and record.continuation_token

    emulator.clear_faults()
    ok, seen = _run(answers, path, emulator)
    assert ok
    assert any(isinstance(e, events.StepLog) and "re-attaching" in e.line for e in seen)
    assert len(_writes(emulator, "virtualnetworks/test-vnet")) == 1


def test_a_long_wait_is_never_silent(answers, tmp_path, with_vnet, request):
    """While Azure works, the log says every heartbeat that the step is still waiting, and for how long."""
    emulator = Emulator(tmp_path / "slow-emulator", latency_scale=0.2).start()
    request.addfinalizer(emulator.stop)
    ok, seen = _run(answers, tmp_path / "cp.json", emulator, heartbeat=0.5)
    assert ok
    beats = [e.line for e in seen if isinstance(e, events.StepLog) and e.key == "vnet" and "still waiting" in e.line]
    assert beats and "Azure says InProgress" in beats[0]


class SlowToSettle(Step):
    """A test-only step polled six times in the same state, then once in another, before it is done."""

    key = "settle"
    title = "Settles slowly"
    needs = ("resource-group",)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        polls = iter(["waiting for the thing"] * 6 + ["almost there"])

        def check() -> Outputs | None:
            message = next(polls, None)
            if message is None:
                return {}
            ctx.progress(message)
            return None

        return Waiting(check, interval=0.0)


def test_a_poll_that_sees_no_change_says_nothing_new(emulator, answers, tmp_path, monkeypatch):
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders, SlowToSettle))
    ok, seen = _run(answers, tmp_path / "cp.json", emulator)
    assert ok
    said = [e.message for e in seen if isinstance(e, events.StepProgress) and e.key == "settle"]
    assert said.count("waiting for the thing") == 1 and "almost there" in said
