"""Azure ML jobs that really run: the batch endpoint's scoring route, the jobs it starts, and run history.

POST to an endpoint's ``scoringUri`` needs a token for https://ml.azure.com and a role that allows invoking on
the workspace (``authorization.allows``); it records a pipeline job (Queued) and hands it to ``job_runner``,
whose subprocess moves it to Running and then Completed or Failed. Jobs are stored as ARM resources, so
``jobs.get`` is the generic GET; a job an earlier emulator process was running is marked Failed when read,
since its process died with that emulator.
"""

import uuid
from typing import Any

from wizard.emulator import access, arm, identity, operations
from wizard.emulator.behaviour import Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.listing import page
from wizard.emulator.providers import authorization, job_runner
from wizard.emulator.providers.machinelearning import WORKSPACE_PATH, WORKSPACE_TYPE, workspace_row
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

JOB_TYPE = f"{WORKSPACE_TYPE}/jobs"
INVOKE_ACTION = "Microsoft.MachineLearningServices/workspaces/batchEndpoints/deployments/jobs/write"
_ENDPOINT_PATH = WORKSPACE_PATH + "/batchEndpoints/{endpoint}"


@register
class Job(Behaviour):
    """A job a client PUTs itself (``az ml job create``, ``ml.jobs.create_or_update``). A pipeline job of a
    registered pipeline component is Queued and run (``put_job``) as the jobs of batch endpoints and schedules
    are; any other kind is answered NotStarted, as the service does before it queues it, and kept, not run."""

    type = JOB_TYPE
    provisioning_state = False  # a job has a status, not a provisioningState

    def fill(self, put: Put) -> None:
        properties = put.properties
        if not properties.get("jobType"):
            raise ArmError(400, "UserError", "The job's properties.jobType is required.")
        properties.setdefault("isArchived", False)
        if put.existing is not None:
            properties["status"] = (put.existing.get("properties") or {}).get("status") or "NotStarted"
            return
        properties["status"] = "Queued" if self._runs_here(put) else "NotStarted"
        if properties["status"] == "Queued":
            properties["computeId"] = properties.get("computeId") or (properties.get("settings") or {}).get(
                "default_compute"
            )
            put.private["boot"] = job_runner.boot(put.store)

    @staticmethod
    def _runs_here(put: Put) -> bool:
        """A pipeline job of a registered pipeline component (what the emulator knows how to run)."""
        properties = put.properties
        component = str(properties.get("componentId") or "").removeprefix("azureml:")
        if properties.get("jobType") != "Pipeline" or not component or put.store is None:
            return False
        if put.store.get(component) is None:
            raise ArmError(400, "UserError", f"The component '{component}' was not found.")
        return True


@route("PUT", WORKSPACE_PATH + "/jobs/{name}")
def put_job(ctx: Ctx, subscription: str, group: str, workspace: str, name: str) -> Reply:
    """The generic PUT; a job it created Queued (a pipeline job) is handed to ``job_runner``."""
    reply = arm.handle(ctx)
    job = ctx.store.get(f"{workspace_row(ctx, subscription, group, workspace).key}/jobs/{name}")
    if reply.status == 201 and job is not None and job.body["properties"].get("status") == "Queued":
        job_runner.start(ctx.store, job.key)
    return reply


def _lower_keys(value: Any) -> Any:
    """The invoke body's casing varies by client (InputData, inputData, JobInputType, jobInputType)."""
    if isinstance(value, dict):
        return {str(key).lower(): _lower_keys(item) for key, item in value.items()}
    return value


def _inputs(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """name -> {"type": literal | uri_file | uri_folder, "value": ...} from an invoke body."""
    properties = _lower_keys(body).get("properties") or {}
    found: dict[str, dict[str, Any]] = {}
    for name, given in (properties.get("inputdata") or properties.get("inputs") or {}).items():
        given = given if isinstance(given, dict) else {"value": given}
        kind = str(given.get("jobinputtype") or "literal").lower().replace("urifile", "uri_file")
        kind = kind.replace("urifolder", "uri_folder")
        found[name] = {"type": kind, "value": given.get("uri") or given.get("value") or given.get("path")}
    return found


def _rest_input(spec: dict[str, Any]) -> dict[str, Any]:
    """A job input as the jobs API shows it: literals carry ``value``, data carries ``uri``."""
    if spec["type"] == "literal":
        return {"jobInputType": "literal", "value": str(spec["value"])}
    return {"jobInputType": spec["type"], "uri": spec["value"], "mode": "ReadOnlyMount"}


@route("POST", "/mlendpoints" + _ENDPOINT_PATH + "/jobs", arm=False)
def invoke(ctx: Ctx, subscription: str, group: str, workspace: str, endpoint: str) -> Reply:
    """Start the endpoint's default (or the ``azureml-model-deployment`` named) deployment as a pipeline job."""
    caller = identity.authenticate(ctx, audience=identity.ML_AUDIENCE)
    row = workspace_row(ctx, subscription, group, workspace)
    if not authorization.allows(ctx, caller.principal_id, row.id, INVOKE_ACTION):
        raise ArmError(
            403,
            "AuthorizationFailed",
            f"The client with object id '{caller.principal_id}' does not have authorization to perform action "
            f"'{INVOKE_ACTION}' over scope '{row.id}' or the scope is invalid.",
        )
    endpoint_row = ctx.store.get(f"{row.key}/batchendpoints/{endpoint}")
    if endpoint_row is None:
        raise ArmError(404, "UserError", f"Batch endpoint '{endpoint}' was not found in workspace '{workspace}'.")
    deployment_name = ctx.request.headers.get("azureml-model-deployment") or (
        (endpoint_row.body.get("properties") or {}).get("defaults") or {}
    ).get("deploymentName")
    deployment = ctx.store.get(f"{endpoint_row.key}/deployments/{deployment_name}") if deployment_name else None
    if deployment is None:
        raise ArmError(
            400, "UserError", f"Batch endpoint '{endpoint}' has no default deployment; name one or set a default."
        )
    job = _record_job(ctx, row, endpoint_row, deployment, _inputs(ctx.request.json_object()))
    job_runner.start(ctx.store, job.key)
    return Reply(200, {"id": job.id, "name": job.body["name"], "type": JOB_TYPE, "properties": job.body["properties"]})


def _record_job(ctx: Ctx, workspace: Row, endpoint: Row, deployment: Row, inputs: dict[str, Any]) -> Row:
    configuration = (deployment.body.get("properties") or {}).get("deploymentConfiguration") or {}
    return record_pipeline_job(
        ctx.store,
        ctx.now,
        workspace,
        name=f"batchjob-{uuid.uuid4()}",
        experiment=endpoint.body["name"],
        component=(configuration.get("componentId") or {}).get("assetId", ""),
        compute=(configuration.get("settings") or {}).get("default_compute"),
        inputs={key: _rest_input(spec) for key, spec in inputs.items()},
        properties={"azureml.batchrun": "true", "azureml.deploymentName": deployment.body["name"]},
    )


def record_pipeline_job(
    store: Store,
    now: float,
    workspace: Row,
    *,
    name: str,
    experiment: str,
    component: str,
    compute: str | None,
    inputs: dict[str, Any],
    properties: dict[str, str],
) -> Row:
    """A Queued pipeline job of ``component`` in the jobs API's shape; ``job_runner.start`` runs it."""
    studio = f"https://ml.azure.com/runs/{name}?wsid={workspace.id}"
    body = {
        "id": f"{workspace.id}/jobs/{name}",
        "name": name,
        "type": JOB_TYPE,
        "properties": {
            "jobType": "Pipeline",
            "status": "Queued",
            "displayName": name,
            "experimentName": experiment,
            "componentId": component,
            "computeId": compute,
            "inputs": inputs,
            "outputs": {},
            "services": {"Studio": {"jobServiceType": "Studio", "endpoint": studio}},
            "properties": properties,
            "creationContext": {"createdAt": iso(now)},
            "isArchived": False,
            "tags": {},
        },
        # ARM's own record of the creation, which azure-ai-ml reads as the job's creation_context
        "systemData": {"createdAt": iso(now), "createdByType": "Application", "lastModifiedAt": iso(now)},
    }
    job = Row(
        key=body["id"].lower(),
        id=body["id"],
        parent=workspace.key,
        subscription=workspace.subscription,
        resource_group=workspace.resource_group,
        type=JOB_TYPE,
        body=body,
        private={"boot": job_runner.boot(store)},
        created=now,
    )
    store.put(job)
    return job


@route("GET", WORKSPACE_PATH + "/jobs/{name}")
def get_job(ctx: Ctx, subscription: str, group: str, workspace: str, name: str) -> Reply:
    job_runner.fail_orphan(ctx.store, f"{workspace_row(ctx, subscription, group, workspace).key}/jobs/{name}")
    return arm.handle(ctx)


@route("GET", "/history/v1.0" + WORKSPACE_PATH + "/runs/{run}/details", arm=False)
def run_details(ctx: Ctx, subscription: str, group: str, workspace: str, run: str) -> Reply:
    """Run history's view of a job: status, times, error, and SAS links to its logs on this emulator."""
    identity.authenticate(ctx)
    row = workspace_row(ctx, subscription, group, workspace)
    job = job_runner.fail_orphan(ctx.store, f"{row.key}/jobs/{run}")
    if job is None:
        raise ArmError(404, "UserError", f"Run {run} was not found.")
    return Reply(200, job_runner.details(ctx, row, job))


@route("GET", WORKSPACE_PATH + "/jobs")
def list_jobs(ctx: Ctx, subscription: str, group: str, workspace: str) -> Reply:
    """The workspace's jobs; ``scheduleId`` keeps those a schedule created, ``scheduled`` those of any schedule."""
    query = {key.lower(): value for key, value in ctx.request.query.items()}
    if "scheduleid" not in query and "scheduled" not in query:
        return arm.handle(ctx)
    access.require_api_version(ctx, JOB_TYPE)
    row = workspace_row(ctx, subscription, group, workspace)
    jobs = [job_runner.fail_orphan(ctx.store, job.key) or job for job in ctx.store.find(parent=row.key, type_=JOB_TYPE)]
    wanted = query.get("scheduleid", "").lower()
    scheduled = query.get("scheduled", "true").lower() == "true"
    chosen = [
        job
        for job in jobs
        if (wanted and job.private.get("schedule", "").lower() == wanted)
        or (not wanted and bool(job.private.get("schedule")) == scheduled)
    ]
    return page(ctx, [operations.render(ctx, job) for job in chosen])
