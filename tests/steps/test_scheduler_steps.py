"""A whole setup with Data Factory, Logic Apps or an Azure ML schedule as the scheduler, against the emulator with
the real SDKs: the schedule exists, its identity may call the endpoint (granted once; the Azure ML schedule needs no
identity and gets no role), one run proved it, and `schedule` pauses, resumes and reports it, including the 403 of
a run whose role was taken away."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.steps.conftest import dsvm_answers
from wizard import checkpoint as checkpoints
from wizard import cli
from wizard.answers import Recurrence, Scheduler
from wizard.azure import roles
from wizard.connect import Connection
from wizard.emulator import Emulator
from wizard.names import names_for
from wizard.schedule.control import control_for

EVERY_MINUTE = Recurrence(frequency="Minute", start=datetime(2026, 1, 1))
VERIFY_STEP = {
    Scheduler.DATA_FACTORY: "datafactory-verify",
    Scheduler.LOGIC_APPS: "logicapps-verify",
    Scheduler.FUNCTIONS: "functions-verify",
}
RESOURCE_STEP = {
    Scheduler.DATA_FACTORY: "datafactory",
    Scheduler.LOGIC_APPS: "logicapps",
    Scheduler.FUNCTIONS: "functions",
}
SCHEDULERS = list(VERIFY_STEP)


def _grants(emulator: Emulator, principal: str) -> list:
    rows = emulator.store.find(type_="Microsoft.Authorization/roleAssignments")
    return [
        row
        for row in rows
        if row.body["properties"]["principalId"] == principal
        and row.body["properties"]["roleDefinitionId"].endswith(roles.AZUREML_DATA_SCIENTIST)
    ]


def _schedule(capsys: pytest.CaptureFixture[str], emulator: Emulator, checkpoint: Path, action: str) -> str:
    capsys.readouterr()
    emulator.write_endpoint_file()
    code = cli.main(["schedule", action, "--checkpoint", str(checkpoint), "--emulator", str(emulator.state_dir)])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_a_scheduled_setup_is_verified_granted_once_and_reports_a_revoked_role(
    scheduler, run_setup, emulator, connection: Connection, tmp_path, capsys
):
    answers = dsvm_answers(scheduler=scheduler.value, recurrence={"frequency": "Month", "start": "2026-01-15T02:00"})
    checkpoint = tmp_path / "setup.json"
    ok, _ = run_setup(answers, checkpoint)
    assert ok
    outputs = checkpoints.read(checkpoint).steps
    resource = outputs[RESOURCE_STEP[scheduler]].outputs
    verified = outputs[VERIFY_STEP[scheduler]].outputs
    assert verified["job_name"].startswith("batchjob-")
    assert any("scoring-wizard schedule pause" in line for line in verified["instructions"])
    principal = resource["principal_id"]
    assert len(_grants(emulator, principal)) == 1

    assert run_setup(answers, checkpoint)[0]  # a repeat run grants nothing twice
    (grant,) = _grants(emulator, principal)
    assert grant.body["properties"]["scope"] == outputs["workspace"].outputs["id"]
    assert grant.body["properties"]["roleDefinitionId"].endswith(roles.AZUREML_DATA_SCIENTIST)

    status = _schedule(capsys, emulator, checkpoint, "status")
    assert "enabled" in status and verified["job_name"] in status

    emulator.store.delete_tree(grant.key)
    control = control_for(scheduler, connection.clients, names_for(answers), str(emulator.ca_path))
    run_id = control.run_now()
    deadline = time.monotonic() + 20
    while not (record := control.run(run_id)).finished:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert record.status == "Failed" and record.forbidden
    status = _schedule(capsys, emulator, checkpoint, "status")
    assert "403" in status

    assert run_setup(answers, checkpoint)[0]  # a resume grants the removed role again and its run is verified
    assert len(_grants(emulator, principal)) == 1
    assert checkpoints.read(checkpoint).steps[VERIFY_STEP[scheduler]].outputs["run_id"] != verified["run_id"]


def test_an_aml_schedule_setup_is_enabled_verified_by_a_completed_job_and_grants_no_role(
    run_setup, emulator, connection: Connection, tmp_path, capsys
):
    answers = dsvm_answers(scheduler="amlschedule", recurrence={"frequency": "Month", "start": "2026-01-15T02:00"})
    checkpoint = tmp_path / "setup.json"
    assert run_setup(answers, checkpoint)[0]
    outputs = checkpoints.read(checkpoint).steps
    schedule, verified = outputs["amlschedule"].outputs, outputs["amlschedule-verify"].outputs
    names = names_for(answers)
    control = control_for(Scheduler.AML_SCHEDULE, connection.clients, names, str(emulator.ca_path))
    assert control.enabled() and schedule["name"] == names.aml_schedule
    (job,) = emulator.store.find(type_="Microsoft.MachineLearningServices/workspaces/jobs", name=verified["job_name"])
    assert job.body["properties"]["status"] == "Completed"
    assert job.body["properties"]["componentId"].lower() == outputs["scoring-pipeline"].outputs["component_id"].lower()
    assert verified["job_id"].lower() == job.id.lower() and verified["job_name"] in verified["studio"]
    assert any("scoring-wizard schedule pause" in line for line in verified["instructions"])
    smoke = outputs["smoke-call"].outputs["job_name"]
    owner = {row.body["properties"]["principalId"] for row in _assignments(emulator)}
    assert run_setup(answers, checkpoint)[0]  # a repeat run keeps the completed job and still grants nothing
    assert {row.body["properties"]["principalId"] for row in _assignments(emulator)} == owner
    assert checkpoints.read(checkpoint).steps["amlschedule-verify"].outputs == verified
    assert [run.run_id for run in control.runs(5)] == [verified["run_id"]]

    status = _schedule(capsys, emulator, checkpoint, "status")
    assert "enabled" in status and verified["job_name"] in status and smoke not in status

    (data,) = emulator.store.find(type_="Microsoft.MachineLearningServices/workspaces/data/versions")
    emulator.store.delete_tree(data.key)  # the input is gone: the next scheduled job fails, and status says why
    run_id = control.run_now()
    deadline = time.monotonic() + 60
    while not (record := control.run(run_id)).finished:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert record.status == "Failed" and "was not found" in record.error
    assert f"Failed     job {run_id} ended Failed" in _schedule(capsys, emulator, checkpoint, "status")


def _assignments(emulator: Emulator) -> list:
    return emulator.store.find(type_="Microsoft.Authorization/roleAssignments")


@pytest.mark.parametrize("scheduler", [*SCHEDULERS, Scheduler.AML_SCHEDULE])
def test_pause_stops_the_schedule_firing_and_resume_starts_it_again(
    scheduler, run_setup, emulator, connection: Connection, tmp_path, capsys
):
    answers = dsvm_answers(scheduler=scheduler.value, recurrence=EVERY_MINUTE.model_dump(mode="json"))
    checkpoint = tmp_path / "setup.json"
    assert run_setup(answers, checkpoint)[0]
    control = control_for(scheduler, connection.clients, names_for(answers), str(emulator.ca_path))

    assert "disabled" in _schedule(capsys, emulator, checkpoint, "pause")
    assert not control.enabled()
    time.sleep(0.3)  # a run that fired just before the pause finishes
    paused_runs = len(control.runs(50))
    time.sleep(1.5)  # two occurrences come due at the tests' latency scale
    assert len(control.runs(50)) == paused_runs

    assert "enabled" in _schedule(capsys, emulator, checkpoint, "resume")
    deadline = time.monotonic() + 15
    while len(control.runs(50)) <= paused_runs:
        assert time.monotonic() < deadline, "a resumed every-minute schedule did not fire"
        time.sleep(0.1)
    assert "next fire times" in _schedule(capsys, emulator, checkpoint, "status")
