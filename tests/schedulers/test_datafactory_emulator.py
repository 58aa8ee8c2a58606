"""Data Factory in the emulator through azure-mgmt-datafactory: types enforced, runs really call the URL."""

import time

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.datafactory import DataFactoryManagementClient
from azure.mgmt.datafactory.models import (
    Factory,
    FactoryIdentity,
    PipelineReference,
    PipelineResource,
    RunFilterParameters,
    ScheduleTrigger,
    ScheduleTriggerRecurrence,
    TriggerPipelineReference,
    TriggerResource,
    WebActivity,
    WebActivityAuthentication,
)
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.providers import register
from wizard.emulator.providers.datafactory import QUEUED_SECONDS

GROUP, FACTORY = "rg-adf", "adf-demo"


@pytest.fixture
def adf(make_client) -> DataFactoryManagementClient:
    resources = make_client(ResourceManagementClient)
    register(resources, "Microsoft.DataFactory")
    resources.resource_groups.create_or_update(GROUP, {"location": "westeurope"})
    client = make_client(DataFactoryManagementClient)
    client.factories.create_or_update(
        GROUP, FACTORY, Factory(location="westeurope", identity=FactoryIdentity(type="SystemAssigned"))
    )
    return client


def _web_activity(url: str) -> WebActivity:
    activity = WebActivity(
        name="score",
        method="POST",
        url=url,
        body={"batch_size": 50},
        authentication=WebActivityAuthentication(type="MSI", resource="https://ml.azure.com"),
    )
    activity.type = "WebActivity"
    return activity


def _wait(client: DataFactoryManagementClient, run_id: str):
    deadline = time.monotonic() + 20
    while (run := client.pipeline_runs.get(GROUP, FACTORY, run_id)).status in ("Queued", "InProgress"):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return run


def test_the_sdk_default_types_are_refused_as_the_service_refuses_them(adf, scoring):
    untyped = WebActivity(name="score", method="POST", url=scoring.url)
    assert untyped.type == "Execution"  # what azure-mgmt-datafactory 10.0.0 sends unless told otherwise
    with pytest.raises(HttpResponseError, match="WebActivity"):
        adf.pipelines.create_or_update(GROUP, FACTORY, "p", PipelineResource(activities=[untyped]))
    adf.pipelines.create_or_update(GROUP, FACTORY, "p", PipelineResource(activities=[_web_activity(scoring.url)]))
    trigger = ScheduleTrigger(
        recurrence=ScheduleTriggerRecurrence(frequency="Hour", interval=1, start_time="2026-01-01T00:00:00"),
        pipelines=[TriggerPipelineReference(pipeline_reference=PipelineReference(reference_name="p"))],
    )
    with pytest.raises(HttpResponseError, match="ScheduleTrigger"):
        adf.triggers.create_or_update(GROUP, FACTORY, "t", TriggerResource(properties=trigger))
    trigger.type = "ScheduleTrigger"
    adf.triggers.create_or_update(GROUP, FACTORY, "t", TriggerResource(properties=trigger))
    adf.triggers.begin_start(GROUP, FACTORY, "t").result()
    assert adf.triggers.get(GROUP, FACTORY, "t").properties.runtime_state == "Started"
    with pytest.raises(HttpResponseError, match="stopped first"):
        adf.triggers.create_or_update(GROUP, FACTORY, "t", TriggerResource(properties=trigger))
    adf.triggers.begin_stop(GROUP, FACTORY, "t").result()
    assert adf.triggers.get(GROUP, FACTORY, "t").properties.runtime_state == "Stopped"


def test_a_run_is_queued_then_calls_the_url_as_the_factory_identity_and_reports_what_it_answered(
    adf, scoring, emulator
):
    principal = adf.factories.get(GROUP, FACTORY).identity.principal_id
    adf.pipelines.create_or_update(GROUP, FACTORY, "p", PipelineResource(activities=[_web_activity(scoring.url)]))

    scoring.allowed.add(principal)
    run = _wait(adf, adf.pipelines.create_run(GROUP, FACTORY, "p").run_id)
    assert run.status == "Succeeded"
    assert scoring.calls == [{"body": {"batch_size": 50}, "principal": principal}]
    window = RunFilterParameters(last_updated_after="2020-01-01T00:00:00Z", last_updated_before="2100-01-01T00:00:00Z")
    activity = adf.activity_runs.query_by_pipeline_run(GROUP, FACTORY, run.run_id, window).value[0]
    assert activity.output["name"] == "batchjob-1"
    queued = (activity.activity_run_start - run.run_start).total_seconds()
    assert queued >= QUEUED_SECONDS * emulator.latency_scale, "the run was never queued before its activity"

    scoring.allowed.clear()
    failed = _wait(adf, adf.pipelines.create_run(GROUP, FACTORY, "p").run_id)
    assert failed.status == "Failed" and "403" in failed.message
    runs = adf.pipeline_runs.query_by_factory(GROUP, FACTORY, window).value
    assert [r.status for r in runs] == ["Failed", "Succeeded"]


def _trigger() -> TriggerResource:
    trigger = ScheduleTrigger(
        recurrence=ScheduleTriggerRecurrence(frequency="Minute", interval=1, start_time="2026-01-01T00:00:00"),
        pipelines=[TriggerPipelineReference(pipeline_reference=PipelineReference(reference_name="p"))],
    )
    trigger.type = "ScheduleTrigger"
    return TriggerResource(properties=trigger)


def test_a_started_trigger_fires_when_due_and_a_stopped_one_never_does(adf, scoring, emulator):
    scoring.allowed.add(adf.factories.get(GROUP, FACTORY).identity.principal_id)
    adf.pipelines.create_or_update(GROUP, FACTORY, "p", PipelineResource(activities=[_web_activity(scoring.url)]))
    adf.triggers.create_or_update(GROUP, FACTORY, "t", _trigger())
    time.sleep(1.5)  # 150 s of schedule time at the tests' latency scale: two minutes came due, stopped
    assert scoring.calls == []

    adf.triggers.begin_start(GROUP, FACTORY, "t").result()
    deadline = time.monotonic() + 10
    while len(scoring.calls) < 2:
        assert time.monotonic() < deadline, "a started Minute trigger did not fire"
        time.sleep(0.05)
    adf.triggers.begin_stop(GROUP, FACTORY, "t").result()
    time.sleep(0.3)
    fired = len(scoring.calls)
    time.sleep(1.5)
    assert len(scoring.calls) == fired
    window = RunFilterParameters(last_updated_after="2020-01-01T00:00:00Z", last_updated_before="2100-01-01T00:00:00Z")
    runs = adf.pipeline_runs.query_by_factory(GROUP, FACTORY, window).value
    assert {run.invoked_by.invoked_by_type for run in runs} == {"ScheduleTrigger"}


def test_any_activity_type_is_stored_and_one_the_emulator_cannot_run_fails_the_run(adf):
    copy = {"name": "copy", "type": "Copy", "typeProperties": {"source": {"type": "BlobSource"}}}
    adf.pipelines.create_or_update(GROUP, FACTORY, "p", {"properties": {"activities": [copy]}})
    assert adf.pipelines.get(GROUP, FACTORY, "p").activities[0].type == "Copy"
    run = _wait(adf, adf.pipelines.create_run(GROUP, FACTORY, "p", parameters={"files": ["a.csv"]}).run_id)
    assert run.status == "Failed" and run.parameters == {"files": '["a.csv"]'}
    orphan = _trigger()
    orphan.properties.pipelines[0].pipeline_reference.reference_name = "missing"
    adf.triggers.create_or_update(GROUP, FACTORY, "t", orphan)  # saved before its pipeline, as the service allows
    with pytest.raises(HttpResponseError, match="Missing or invalid pipeline references"):
        adf.triggers.begin_start(GROUP, FACTORY, "t").result()
