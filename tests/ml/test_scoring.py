"""The batch-scoring pipeline end to end against the emulator, with azure-ai-ml, azure-storage-blob and requests:
a job really runs the shipped scoring code on the uploaded sample, and only a caller holding a role may start it."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

import pytest
import requests
from azure.mgmt.authorization import AuthorizationManagementClient

from wizard.azure import roles
from wizard.connect import Connection
from wizard.emulator import Emulator, identity, latency
from wizard.ml import calling, pipeline

ENDPOINT, DEPLOYMENT = "scoring-ep", "scoring-dep"


@pytest.fixture
def deployed(ml: Any, connection: Connection, workspace: dict[str, Any]) -> dict[str, Any]:
    from azure.ai.ml.entities import AmlCompute

    ml.compute.begin_create_or_update(AmlCompute(name="cpu-cluster", size="Standard_D2s_v5", max_instances=2)).result()
    data = pipeline.upload_sample(connection.clients, workspace["id"])
    component = pipeline.register_pipeline(ml)
    endpoint = pipeline.deploy(ml, ENDPOINT, DEPLOYMENT, component.id, "cpu-cluster")
    return {"scoring_uri": endpoint.scoring_uri, "data": data}


def _post(url: str, token: str, emulator: Emulator, body: dict[str, Any]) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.post(url, json=body, headers=headers, verify=str(emulator.ca_path), timeout=30)


def _wait_finished(ml: Any, name: str) -> list[str]:
    """The statuses the job showed until it finished."""
    statuses: list[str] = []
    deadline = time.monotonic() + 60
    while not statuses or statuses[-1] not in ("Completed", "Failed"):
        assert time.monotonic() < deadline, statuses
        statuses.append(ml.jobs.get(name).status)
        time.sleep(0.05)
    return statuses


def _expected_scores() -> dict[str, float]:
    model = json.loads(pipeline.asset("score/model.json").read_text())
    rows = csv.DictReader(pipeline.asset("sample.csv").open())
    return {
        row["id"]: model["bias"] + sum(w * float(row[name]) for name, w in model["weights"].items()) for row in rows
    }


def test_a_job_really_runs_and_its_scored_output_downloads(emulator, arm, connection, ml, deployed, workspace):
    from azure.storage.blob import ContainerClient

    token = connection.credential.get_token("https://ml.azure.com/.default").token
    answer = _post(deployed["scoring_uri"], token, emulator, pipeline.invoke_body(deployed["data"], 2))
    assert answer.status_code == 200, answer.text
    name = answer.json()["name"]
    statuses = _wait_finished(ml, name)
    assert statuses[-1] == "Completed" and set(statuses) <= {"Queued", "Running", "Completed"}
    job = ml.jobs.get(name)
    output = job.outputs["scored"].path
    assert output == f"azureml://datastores/workspaceblobstore/paths/azureml/{name}/scored/"

    datastore = ml.datastores.get("workspaceblobstore")
    secrets_url = f"{emulator.url}{workspace['id']}/datastores/workspaceblobstore/listSecrets"
    secrets = arm.post(secrets_url, params={"api-version": "2023-04-01"}).json()["sasToken"]
    account = arm.get(f"{emulator.url}{workspace['storage_account_id']}", params={"api-version": "2025-06-01"}).json()
    container = ContainerClient.from_container_url(
        f"{account['properties']['primaryEndpoints']['blob']}{datastore.container_name}?{secrets}",
        connection_verify=str(emulator.ca_path),
    )
    scored = container.download_blob(f"azureml/{name}/scored/scored.csv").readall().decode()
    got = {row["id"]: float(row["score"]) for row in csv.DictReader(io.StringIO(scored))}
    assert got == pytest.approx(_expected_scores())


def test_the_scoring_route_wants_an_ml_token_and_a_role(emulator, connection, deployed, workspace):
    body = pipeline.invoke_body(deployed["data"], 10)
    arm_token = connection.clients.token()
    refused = _post(deployed["scoring_uri"], arm_token, emulator, body)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "InvalidAuthenticationTokenAudience"

    dsvm_identity = "0f1e2d3c-4b5a-4678-9abc-def012345678"
    token = identity.mint(
        emulator.store, time.time(), principal_id=dsvm_identity, client_id=dsvm_identity, audience=identity.ML_AUDIENCE
    )
    forbidden = _post(deployed["scoring_uri"], token, emulator, body)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "AuthorizationFailed"

    first = roles.grant(connection.clients, workspace["id"], dsvm_identity, roles.AZUREML_DATA_SCIENTIST)
    again = roles.grant(connection.clients, workspace["id"], dsvm_identity, roles.AZUREML_DATA_SCIENTIST)
    assert first["name"] == again["name"]
    assignments = list(
        connection.clients.get(AuthorizationManagementClient).role_assignments.list_for_scope(workspace["id"])
    )
    assert [(a.principal_id, a.principal_type, a.scope) for a in assignments] == [
        (dsvm_identity, "ServicePrincipal", workspace["id"])
    ]
    assert _post(deployed["scoring_uri"], token, emulator, body).status_code == 200


def test_the_scoring_call_replaces_a_token_refused_as_expired_once(emulator, connection, deployed):
    body, ca = pipeline.invoke_body(deployed["data"], 2), str(emulator.ca_path)
    first = calling.invoke(connection.credential, deployed["scoring_uri"], body, ca)
    emulator.store.expire_tokens(time.time())  # the credential's cache still holds the refused token
    assert calling.invoke(connection.credential, deployed["scoring_uri"], body, ca) not in ("", first)


def test_a_job_whose_emulator_stopped_is_failed_not_running_forever(emulator, ml, deployed, connection, workspace):
    token = connection.credential.get_token("https://ml.azure.com/.default").token
    name = _post(deployed["scoring_uri"], token, emulator, pipeline.invoke_body(deployed["data"], 2)).json()["name"]
    _wait_finished(ml, name)
    job_key = f"{workspace['id']}/jobs/{name}".lower()
    row = emulator.store.get(job_key)
    row.body["properties"]["status"] = "Running"  # as if the emulator had stopped while the job ran
    emulator.store.put(row)
    emulator.stop()
    with Emulator(emulator.state_dir, port=emulator.port, latency_scale=0.01):
        assert ml.jobs.get(name).status == "Failed"
        why = calling.run_error(
            connection.clients.token(), workspace["discovery_url"], workspace["id"], name, str(emulator.ca_path)
        )
    assert "emulator restarted" in why


def _waited_for_a_node(ml: Any, name: str) -> tuple[float, list[str]]:
    """Seconds from now until the job runs, and the statuses it showed until then."""
    started, seen = time.monotonic(), []
    while (status := ml.jobs.get(name).status) in ("Queued", "Preparing"):
        assert time.monotonic() - started < 60
        seen.append(status)
        time.sleep(0.02)
    return time.monotonic() - started, list(dict.fromkeys(seen))


FIRST_NODE_SCALE = 0.004


@pytest.mark.parametrize("emulator", [(latency.REALISTIC, FIRST_NODE_SCALE)], indirect=True)
def test_a_cold_min_0_cluster_queues_a_job_until_its_first_node_is_up(emulator, connection, ml, deployed):
    first_node = latency.REALISTIC_FIRST_NODE_SECONDS * FIRST_NODE_SCALE
    image_pull = latency.REALISTIC_IMAGE_PULL_SECONDS * FIRST_NODE_SCALE
    token = connection.credential.get_token("https://ml.azure.com/.default").token
    body = pipeline.invoke_body(deployed["data"], 2)
    first = _post(deployed["scoring_uri"], token, emulator, body).json()["name"]
    waited, seen = _waited_for_a_node(ml, first)
    assert waited >= (first_node + image_pull) * 0.9 and seen == ["Queued", "Preparing"]
    assert _wait_finished(ml, first)[-1] == "Completed"
    second = _post(deployed["scoring_uri"], token, emulator, body).json()["name"]  # the node is still up
    assert _waited_for_a_node(ml, second)[0] < image_pull
