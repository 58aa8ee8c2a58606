"""The batch-scoring pipeline shipped in ``assets/pipeline``: its sample input, components and deployment.

The sample input goes up through the data asset's pending upload (a SAS URL the workspace hands out), not through
azure-ai-ml's local-path upload, which builds ``https://{account}.blob.{suffix}`` itself; so the same code
reaches Azure and the emulator's own blob URLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wizard import resources
from wizard.azure.clients import ClientFactory

SAMPLE_DATA = "scoring-sample-input"
DATA_VERSION = "1"
_ASSET_API = "2023-04-01"
_INPUT_TYPES = {"UriFile": "uri_file", "UriFolder": "uri_folder"}


def asset(name: str) -> Path:
    return resources.asset(f"pipeline/{name}")


def upload_sample(clients: ClientFactory, workspace_id: str) -> str:
    """Upload the sample CSV as data asset version 1 (once); returns its ``azureml:name:version``."""
    from azure.core.rest import HttpRequest
    from azure.storage.blob import BlobClient

    reference = f"azureml:{SAMPLE_DATA}:{DATA_VERSION}"
    version_url = (
        f"{clients.cloud.resource_manager.rstrip('/')}{workspace_id}/data/{SAMPLE_DATA}/versions/{DATA_VERSION}"
    )
    arm = clients.arm_pipeline()

    def call(method: str, url: str, body: dict[str, Any] | None = None, missing_ok: bool = False) -> Any:
        answer = arm.send_request(HttpRequest(method, url, params={"api-version": _ASSET_API}, json=body))
        if not (missing_ok and answer.status_code == 404):
            answer.raise_for_status()
        return answer

    if call("GET", version_url, missing_ok=True).status_code == 200:
        return reference
    pending = call("POST", f"{version_url}/startPendingUpload", {"pendingUploadType": "TemporaryBlobReference"})
    blob = pending.json()["blobReferenceForConsumption"]
    container_sas = blob["credential"]["sasUri"]
    base, _, sas = container_sas.partition("?")
    source = asset("sample.csv")
    client = BlobClient.from_blob_url(f"{base}/{source.name}?{sas}", connection_verify=clients.cloud.connection_verify)
    client.upload_blob(source.read_bytes(), overwrite=True)
    body = {
        "properties": {
            "dataType": "uri_file",
            "dataUri": f"{blob['blobUri']}/{source.name}",
            "description": "Sample rows for the scoring pipeline (id, x1, x2, x3).",
        }
    }
    call("PUT", version_url, body)
    return reference


def register_pipeline(ml: Any) -> Any:
    """Register the scoring component and the pipeline component around it; returns the pipeline component."""
    from azure.ai.ml import load_component

    return ml.components.create_or_update(load_component(asset("pipeline.yml")))


def deploy(ml: Any, endpoint: str, deployment: str, component_id: str, compute: str) -> Any:
    """The batch endpoint with the pipeline as its default deployment; returns the endpoint."""
    from azure.ai.ml.entities import BatchEndpoint, PipelineComponentBatchDeployment

    ml.batch_endpoints.begin_create_or_update(
        BatchEndpoint(name=endpoint, description="Batch scoring (scoring-wizard)")
    ).result()
    ml.batch_deployments.begin_create_or_update(
        PipelineComponentBatchDeployment(
            name=deployment,
            endpoint_name=endpoint,
            component=component_id,
            settings={"default_compute": compute, "continue_on_step_failure": False},
        )
    ).result()
    found = ml.batch_endpoints.get(endpoint)
    if found.defaults.deployment_name != deployment:
        found.defaults.deployment_name = deployment
        ml.batch_endpoints.begin_create_or_update(found).result()
    return ml.batch_endpoints.get(endpoint)


def invoke_body(data_reference: str, batch_size: int) -> dict[str, Any]:
    """What a caller POSTs to the scoring URI: the pipeline's inputs, in the invoke API's shape."""
    return {
        "properties": {
            "InputData": {
                "input_data": {"JobInputType": "UriFile", "Uri": data_reference},
                "batch_size": {"JobInputType": "Literal", "Value": batch_size},
            }
        }
    }


def pipeline_job(component_id: str, invoke: dict[str, Any], compute: str, experiment: str) -> Any:
    """A pipeline job of the registered pipeline component on the cluster, with the inputs of an invoke body."""
    from azure.ai.ml.entities import PipelineJob

    return PipelineJob(
        component=component_id,
        inputs=job_inputs(invoke),
        settings={"default_compute": compute},
        experiment_name=experiment,
    )


def job_inputs(body: dict[str, Any]) -> dict[str, Any]:
    """The same inputs as azure-ai-ml job inputs, for a pipeline job of the component (an Azure ML schedule's)."""
    from azure.ai.ml import Input

    found: dict[str, Any] = {}
    for name, given in body["properties"]["InputData"].items():
        kind = given["JobInputType"]
        found[name] = given["Value"] if kind == "Literal" else Input(type=_INPUT_TYPES[kind], path=given["Uri"])
    return found
