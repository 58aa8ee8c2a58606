"""Azure ML schedules in the emulator through azure-ai-ml: only the wizard's shape is accepted, a disabled schedule
neither triggers nor fires, an enabled one submits pipeline jobs that really run, listed under the schedule."""

import time
from datetime import datetime
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.ml.conftest import arm, connection, emulator, ml, workspace
from wizard.answers import Recurrence
from wizard.connect import Connection
from wizard.ml import pipeline
from wizard.schedule.recurrence import aml_recurrence_trigger

__all__ = ["arm", "connection", "emulator", "ml", "workspace"]  # the ML fixtures: a workspace and its MLClient

NAME = "scoring-schedule"
EVERY_MINUTE = Recurrence(frequency="Minute", start=datetime(2026, 1, 1))


@pytest.fixture
def registered(ml: Any, connection: Connection, workspace: dict[str, Any]) -> dict[str, str]:
    data = pipeline.upload_sample(connection.clients, workspace["id"])
    return {"component": pipeline.register_pipeline(ml).id, "data": data}


def _schedule(registered: dict[str, str], trigger: Any, *, enabled: bool = True) -> Any:
    from azure.ai.ml.entities import JobSchedule, PipelineJob

    job = PipelineJob(
        component=registered["component"],
        inputs=pipeline.job_inputs(pipeline.invoke_body(registered["data"], 2)),
        settings={"default_compute": "cpu-cluster"},
    )
    return JobSchedule(name=NAME, trigger=trigger, create_job=job, is_enabled=enabled)


def _jobs(ml: Any) -> list[Any]:
    return list(ml.jobs.list(scheduled_job_name=NAME))


def _until(condition, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_cron_trigger_or_a_missing_component_is_refused(ml, registered):
    from azure.ai.ml.entities import CronTrigger

    with pytest.raises(HttpResponseError, match="Recurrence"):
        ml.schedules.begin_create_or_update(_schedule(registered, CronTrigger(expression="0 * * * *"))).result()
    missing = registered | {"component": registered["component"].replace("scoring_pipeline", "nothing")}
    with pytest.raises(HttpResponseError, match="not found"):
        ml.schedules.begin_create_or_update(_schedule(missing, aml_recurrence_trigger(EVERY_MINUTE))).result()


def test_a_disabled_schedule_fires_nothing_and_an_enabled_one_runs_its_pipeline(ml, registered):
    created = ml.schedules.begin_create_or_update(
        _schedule(registered, aml_recurrence_trigger(EVERY_MINUTE), enabled=False)
    ).result()
    assert created.is_enabled is False and created.provisioning_state == "Succeeded"
    with pytest.raises(HttpResponseError, match="disabled"):
        ml.schedules.trigger(NAME)
    time.sleep(1.5)  # two minutes of schedule time at the tests' latency scale
    assert _jobs(ml) == []

    ml.schedules.begin_enable(NAME).result()
    assert ml.schedules.get(NAME).is_enabled
    _until(lambda: _jobs(ml), "an enabled every-minute schedule did not fire")
    first = _jobs(ml)[0].name
    _until(lambda: ml.jobs.get(first).status in ("Completed", "Failed"), "the scheduled job did not finish", 60)
    assert ml.jobs.get(first).status == "Completed"
    assert "scored" in ml.jobs.get(first).outputs

    ml.schedules.begin_disable(NAME).result()
    time.sleep(0.3)
    fired = len(_jobs(ml))
    time.sleep(1.5)
    assert len(_jobs(ml)) == fired and not ml.schedules.get(NAME).is_enabled

    ml.schedules.begin_delete(NAME).result()
    with pytest.raises(ResourceNotFoundError):
        ml.schedules.get(NAME)


def test_trigger_once_submits_one_job_from_the_schedules_definition(ml, registered, emulator):
    monthly = Recurrence(frequency="Month", start=datetime(2026, 1, 15, 3))  # never due during the test
    ml.schedules.begin_create_or_update(_schedule(registered, aml_recurrence_trigger(monthly))).result()
    name = ml.schedules.trigger(NAME).job_name
    assert [job.name for job in _jobs(ml)] == [name]
    (job,) = emulator.store.find(type_="Microsoft.MachineLearningServices/workspaces/jobs", name=name)
    assert job.body["properties"]["componentId"].lower() == registered["component"].lower()
    assert job.body["properties"]["inputs"]["batch_size"]["value"] == "2"
    _until(lambda: ml.jobs.get(name).status in ("Completed", "Failed"), "the triggered job did not finish", 60)
    assert ml.jobs.get(name).status == "Completed"
