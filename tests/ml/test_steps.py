"""The Azure ML steps on a workspace made as the "workspace" step makes it: cluster, pipeline, endpoint, access
for the DSVM identity, the warm-up run and the smoke call, through the runner's find/start/outputs contract."""

from __future__ import annotations

import dataclasses
import uuid

import pytest
from azure.mgmt.authorization import AuthorizationManagementClient

from tests.ml.conftest import run_step
from wizard.azure import roles
from wizard.azure.errors import StepError
from wizard.steps.batch_endpoint import BatchEndpoint
from wizard.steps.cluster_warmup import EXPERIMENT, ClusterWarmUp
from wizard.steps.endpoint_access import EndpointAccess
from wizard.steps.ml_cluster import CpuCluster
from wizard.steps.scoring_pipeline import ScoringPipeline
from wizard.steps.smoke_call import SmokeCall

DSVM = {"principal_id": str(uuid.uuid4())}


def _through_endpoint(step_context) -> dict:
    outputs = {}
    for step in (CpuCluster(), ScoringPipeline()):
        outputs[step.key] = run_step(step, step_context(outputs))
    outputs["batch-endpoint"] = run_step(BatchEndpoint(), step_context(outputs))
    return outputs


def test_a_workspace_becomes_an_endpoint_whose_smoke_job_completes(step_context, connection, workspace):
    outputs = _through_endpoint(step_context)
    assert outputs["cpu-cluster"]["summary"] == "cpu-cluster: Standard_DS3_v2, 0-2 nodes"
    endpoint = outputs["batch-endpoint"]
    assert endpoint["deployment"] == "scoring-pipeline"
    assert endpoint["inputs"]["properties"]["InputData"]["batch_size"]["Value"] == 50

    smoke = run_step(SmokeCall(), step_context(outputs))
    assert smoke["output"] == f"azureml://datastores/workspaceblobstore/paths/azureml/{smoke['job_name']}/scored/"
    assert smoke["studio"].startswith("https://ml.azure.com/runs/")
    curl = next(line for line in smoke["instructions"] if "curl -X POST" in line)
    assert endpoint["scoring_uri"] in curl and "--resource https://ml.azure.com" in "\n".join(smoke["instructions"])

    again = [step.find(step_context(outputs)) for step in (CpuCluster(), ScoringPipeline(), BatchEndpoint())]
    assert all(found is not None for found in again), "a resume keeps what is there"


def test_the_dsvm_identity_is_granted_data_scientist_once(step_context, connection, workspace):
    for _ in range(2):  # a resume runs the step again
        granted = run_step(EndpointAccess(), step_context({"dsvm": DSVM}))
    assignments = list(
        connection.clients.get(AuthorizationManagementClient).role_assignments.list_for_scope(workspace["id"])
    )
    assert len(assignments) == 1
    assert (
        assignments[0].name
        == granted["name"]
        == roles.assignment_name(workspace["id"], DSVM["principal_id"], roles.AZUREML_DATA_SCIENTIST)
    )
    assert assignments[0].role_definition_id.endswith(roles.AZUREML_DATA_SCIENTIST)


def test_a_cluster_beyond_the_quota_is_refused_first_with_sizes_that_fit(step_context):
    ctx = step_context(cluster_vm_size="Standard_D16s_v5", cluster_max_nodes=5)
    with pytest.raises(StepError) as refused:
        CpuCluster().start(ctx)
    assert refused.value.info.code == "QuotaExceeded"
    assert "80 vCPUs" in str(refused.value) and "Standard_D4as_v5 (4 vCPUs)" in refused.value.info.todo


def test_a_failed_smoke_job_says_why(step_context):
    outputs = _through_endpoint(step_context)
    broken = dict(outputs["batch-endpoint"])
    broken["inputs"] = {
        "properties": {"InputData": {"input_data": {"JobInputType": "UriFile", "Uri": "azureml:gone:1"}}}
    }
    with pytest.raises(StepError) as failed:
        run_step(SmokeCall(), step_context({"batch-endpoint": broken}))
    assert "Data asset 'azureml:gone:1' was not found" in str(failed.value)


def test_the_warm_up_runs_the_pipeline_on_the_cluster_before_any_endpoint(step_context, ml):
    outputs = {}
    for step in (CpuCluster(), ScoringPipeline()):
        outputs[step.key] = run_step(step, step_context(outputs))
    warm = run_step(ClusterWarmUp(), step_context(outputs))
    job = ml.jobs.get(warm["job_name"])
    assert job.status == "Completed" and job.experiment_name == EXPERIMENT
    assert job.settings.default_compute.endswith("cpu-cluster")
    resumed = dataclasses.replace(step_context(outputs), previous=warm)
    assert ClusterWarmUp().find(resumed) == warm, "a resume keeps the completed run"
    assert [j.name for j in ml.jobs.list() if j.experiment_name == EXPERIMENT] == [warm["job_name"]]
