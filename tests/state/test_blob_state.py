"""The shared checkpoint against Azurite: the lease is the lock, writes are whole and conditional, versions kept."""

from __future__ import annotations

import getpass
import json
import os
import threading
from pathlib import Path

import pytest
from azure.core.exceptions import ServiceRequestError, ServiceResponseError
from azure.core.pipeline.transport import RequestsTransport
from azure.storage.blob import ExponentialRetry

from tests.state.conftest import StorageToken
from wizard import blob_state, events
from wizard import plan as planning
from wizard.answers import parse
from wizard.checkpoint import Checkpoint, CheckpointError, StepStatus
from wizard.cli import main
from wizard.connect import EmulatorEndpoint
from wizard.emulator import DEMO, Emulator
from wizard.session import open_session
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup


@pytest.fixture
def answers():
    return parse(
        {
            "cloud": "AzureEmulator",
            "subscription_id": DEMO.subscription_id,
            "region": "eastus",
            "resource_group": "rg-shared",
            "prefix": "shr",
        }
    )


def _store(location, path: Path, **options) -> blob_state.BlobStore:
    container = blob_state.container_client(location, StorageToken(), **options)
    return blob_state.BlobStore(location, container, path, **{k: v for k, v in options.items() if k == "force_unlock"})


def _another_machine(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Its own state folder, so this machine's per-setup lock (wizard.checkpoint._lock_setup) is not shared."""
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))


def _shared_text(location) -> dict:
    blob = blob_state.container_client(location, StorageToken()).get_blob_client(location.blob_name)
    return json.loads(blob.download_blob().readall())


def test_two_wizards_racing_for_one_setup_one_wins_the_other_is_told_who(shared, answers, tmp_path):
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def open_on(machine: str) -> None:
        store = _store(shared, tmp_path / machine / "cp.json")
        barrier.wait()
        try:
            results[machine] = Checkpoint.open(store.path, answers, store)
        except CheckpointError as error:
            results[machine] = error

    threads = [threading.Thread(target=open_on, args=(m,)) for m in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [r for r in results.values() if isinstance(r, Checkpoint)]
    (refusal,) = [r for r in results.values() if isinstance(r, CheckpointError)]
    assert len(winners) == 1
    assert f"in use by {getpass.getuser()}@" in str(refusal) and "pid" in str(refusal)
    assert "state unlock" in str(refusal)
    winners[0].close()
    Checkpoint.open(tmp_path / "c" / "cp.json", None, _store(shared, tmp_path / "c" / "cp.json")).close()


def test_a_lease_lost_mid_run_stops_writes_and_names_the_new_holder(shared, answers, tmp_path, monkeypatch):
    checkpoint = Checkpoint.open(tmp_path / "a.json", answers, _store(shared, tmp_path / "a.json"))
    checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
    _another_machine(monkeypatch, tmp_path / "machine-b")
    taker = _store(shared, tmp_path / "b.json", force_unlock=True)
    other = Checkpoint.open(taker.path, None, taker)
    assert taker.broken_holder and getpass.getuser() in taker.broken_holder
    other.update("register-providers", status=StepStatus.SUCCEEDED)

    with pytest.raises(CheckpointError, match=r"held by .*pid") as refused:
        checkpoint.update("resource-group", status=StepStatus.FAILED)
    assert "stopped writing" in str(refused.value)
    assert _shared_text(shared)["steps"]["resource-group"]["status"] == "succeeded"
    assert _shared_text(shared)["steps"]["register-providers"]["status"] == "succeeded"
    checkpoint.close()
    other.close()


def test_a_run_whose_lease_is_taken_over_stops_instead_of_overwriting(shared, answers, tmp_path, monkeypatch):
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))
    taken: list[Checkpoint] = []
    once = threading.Lock()

    def take_over(event: events.Event) -> None:
        """A colleague force-unlocks the setup as soon as the run starts its first step (steps start in parallel)."""
        with once:
            if isinstance(event, events.StepStarted) and not taken:
                _another_machine(monkeypatch, tmp_path / "machine-b")
                thief = _store(shared, tmp_path / "b.json", force_unlock=True)
                taken.append(Checkpoint.open(thief.path, None, thief))

    with Emulator(tmp_path / "emulator", latency_scale=0.01) as emu:
        store = _store(shared, tmp_path / "a.json")
        with (
            open_session(answers, checkpoint_path=store.path, emulator=_endpoint(emu), store=store) as session,
            pytest.raises(CheckpointError, match="stopped writing"),
        ):
            session.runner(take_over, poll_interval=0.02).run()
    assert not any(r["status"] == "succeeded" for r in _shared_text(shared)["steps"].values())
    taken[0].close()


class FlakyTransport(RequestsTransport):
    """The network between this machine and storage: drops the next Put Blob before or after the server has it."""

    def __init__(self):
        super().__init__(connection_verify=os.environ[blob_state.CA_ENV])
        self.drop: str | None = None

    def send(self, request, **kwargs):
        is_put_blob = request.method == "PUT" and "comp=" not in request.url
        if is_put_blob and self.drop == "request":
            self.drop = None
            raise ServiceRequestError("connection reset by peer")
        response = super().send(request, **kwargs)
        if is_put_blob and self.drop == "response":
            self.drop = None
            response.internal_response.close()
            raise ServiceResponseError("connection reset before the response")
        return response


def test_a_network_fault_during_upload_leaves_the_previous_version_intact(shared, answers, tmp_path):
    transport = FlakyTransport()
    store = _store(shared, tmp_path / "cp.json", transport=transport, retry_total=0)
    checkpoint = Checkpoint.open(store.path, answers, store)
    checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)

    transport.drop = "request"
    with pytest.raises(CheckpointError, match="nothing was changed"):
        checkpoint.update("register-providers", status=StepStatus.RUNNING)
    assert "register-providers" not in _shared_text(shared)["steps"]
    assert "register-providers" not in json.loads(store.path.read_text())["steps"]
    checkpoint.update("register-providers", status=StepStatus.SUCCEEDED)
    assert _shared_text(shared)["steps"]["register-providers"]["status"] == "succeeded"
    checkpoint.close()


def test_a_retried_upload_whose_first_attempt_landed_is_recognised_as_ours(shared, answers, tmp_path):
    transport = FlakyTransport()
    quick = ExponentialRetry(initial_backoff=0, increment_base=1, random_jitter_range=0, retry_total=2)
    store = _store(shared, tmp_path / "cp.json", transport=transport, retry_policy=quick)
    checkpoint = Checkpoint.open(store.path, answers, store)
    transport.drop = "response"
    checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
    checkpoint.update("register-providers", status=StepStatus.SUCCEEDED)
    assert set(_shared_text(shared)["steps"]) == {"resource-group", "register-providers"}
    checkpoint.close()


def _endpoint(emu: Emulator) -> EmulatorEndpoint:
    return EmulatorEndpoint(**emu.endpoint())


def test_resume_on_a_second_machine_finishes_without_redoing_work(shared, answers, tmp_path, monkeypatch):
    with Emulator(tmp_path / "emulator", latency_scale=0.01) as emu:
        monkeypatch.setattr(planning, "STEPS", (ResourceGroup,))
        first = _store(shared, tmp_path / "laptop" / "cp.json")
        session = open_session(answers, checkpoint_path=first.path, emulator=_endpoint(emu), store=first)
        assert session.runner(lambda _: None, poll_interval=0.02).run()
        first._stop.set()  # the laptop dies: no release, its lease is left behind

        monkeypatch.setattr(planning, "STEPS", (ResourceGroup, RegisterProviders))
        second_dir = tmp_path / "colleague"
        _another_machine(monkeypatch, second_dir / "state")
        refused = _store(shared, second_dir / "cp.json")
        with pytest.raises(CheckpointError, match="in use by"):
            open_session(answers, checkpoint_path=refused.path, emulator=_endpoint(emu), store=refused)
        second = _store(shared, second_dir / "cp.json", force_unlock=True)
        seen: list[events.Event] = []
        with open_session(answers, checkpoint_path=second.path, emulator=_endpoint(emu), store=second) as resumed:
            assert resumed.runner(seen.append, poll_interval=0.02).run()
        group_puts = [r for r in emu.request_log() if r["method"] == "PUT" and "/resourcegroups/" in r["path"].lower()]
    assert len(group_puts) == 1
    assert any(isinstance(e, events.StepSucceeded) and e.key == "resource-group" and e.reused for e in seen)
    steps = _shared_text(shared)["steps"]
    assert {k: v["status"] for k, v in steps.items()} == {
        "resource-group": "succeeded",
        "register-providers": "succeeded",
    }


def test_rollback_restores_the_previous_version(shared, answers, tmp_path, capsys):
    store = _store(shared, tmp_path / "cp.json")
    with Checkpoint.open(store.path, answers, store) as checkpoint:
        checkpoint.update("resource-group", status=StepStatus.SUCCEEDED)
        checkpoint.update("resource-group", status=StepStatus.FAILED)
    assert main(["state", "history", str(shared)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].split()[0] == "0" and "(current)" in listed[0] and len(listed) >= 3

    assert main(["state", "rollback", str(shared), "1"]) == 0
    assert _shared_text(shared)["steps"]["resource-group"]["status"] == "succeeded"
    assert main(["state", "rollback", str(shared), "1"]) == 0  # a rollback is itself a version: undo it
    assert _shared_text(shared)["steps"]["resource-group"]["status"] == "failed"


def test_a_handed_over_answers_file_names_where_its_state_lives(shared, answers, tmp_path, monkeypatch):
    """`state` in the answers does what --state does, with the run's own credential (the emulator's tokens are
    JWTs from an Entra issuer, which Azurite accepts): the colleague runs the file and resumes the shared setup."""
    monkeypatch.setattr(planning, "STEPS", (ResourceGroup,))
    handed_over = tmp_path / "handed-over.toml"
    handed_over.write_text(answers.model_copy(update={"state": str(shared)}).to_toml())
    with Emulator(tmp_path / "emulator", latency_scale=0.01) as emu:
        (tmp_path / "emulator" / "endpoint.json").write_text(json.dumps(emu.endpoint()))
        assert main(["run", "--answers", str(handed_over), "--emulator", str(tmp_path / "emulator")]) == 0
    assert _shared_text(shared)["steps"]["resource-group"]["status"] == "succeeded"
    assert shared.cache_path().is_file()  # the local copy sits with the other shared ones, not as a local setup


def test_a_state_address_in_answers_is_checked_like_state(answers):
    with pytest.raises(ValueError, match="is not a shared state address"):
        type(answers).model_validate(answers.model_dump() | {"state": "https://acct/cont/x"})
