"""The scoring schedule as an Azure Functions app (Python, v2 programming model).

A timer trigger (its NCRONTAB schedule is the app setting SCORING_SCHEDULE, rendered by the wizard from the
setup's recurrence) and an HTTP trigger for "run now" both make the same call: a POST of the batch endpoint's
inputs to its scoring URI with a token for https://ml.azure.com obtained as the app's system-assigned identity.
No secret is configured anywhere: the token comes from the platform's managed identity endpoint, and each run's
outcome is written, as the same identity, to a container of the app's own storage account, where ``runs``
reads it back for ``scoring-wizard schedule status``.

The HTTP functions use function keys (AuthLevel.FUNCTION): the caller is the wizard, which reads the key through
ARM when it needs it (so only someone allowed to manage the app can run it now), and the Functions host checks
it without any Entra app registration, which Easy Auth would require.
"""

import json
import logging
import os
import uuid
from datetime import UTC, datetime
from typing import Any

import azure.functions as func
import requests
from azure.core.exceptions import ResourceNotFoundError
from azure.identity import ManagedIdentityCredential
from azure.storage.blob import ContainerClient

ML_SCOPE = "https://ml.azure.com/.default"
TIMEOUT_SECONDS = 60

app = func.FunctionApp()


def _runs() -> ContainerClient:
    return ContainerClient.from_container_url(os.environ["SCORING_RUNS_CONTAINER_URL"], ManagedIdentityCredential())


def _job_name(body: Any) -> str:
    return str(body.get("name") or "") if isinstance(body, dict) else ""


def score(trigger: str) -> dict[str, Any]:
    """Call the endpoint once as the app's identity and record what it answered."""
    started = datetime.now(UTC)
    record: dict[str, Any] = {
        "run_id": f"{started:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}",
        "trigger": trigger,
        "started": started.isoformat(timespec="seconds"),
    }
    try:
        token = ManagedIdentityCredential().get_token(ML_SCOPE).token
        reply = requests.post(
            os.environ["SCORING_URI"],
            json=json.loads(os.environ["SCORING_INPUTS"]),
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT_SECONDS,
        )
        try:
            body = reply.json()
        except ValueError:
            body = {"message": reply.text}
        record["http_status"] = reply.status_code
        if reply.ok and _job_name(body):
            record.update(status="Succeeded", job=_job_name(body))
        else:
            detail = body.get("error", body) if isinstance(body, dict) else body
            record.update(status="Failed", error=f"HTTP {reply.status_code}: {detail}")
    except Exception as error:  # the record must say why, whatever failed
        record.update(status="Failed", error=f"{type(error).__name__}: {error}")
    logging.info("scoring run %s: %s", record["run_id"], record["status"])
    _runs().upload_blob(f"{record['run_id']}.json", json.dumps(record), overwrite=True)
    return record


@app.timer_trigger(schedule="%SCORING_SCHEDULE%", arg_name="timer", run_on_startup=False, use_monitor=True)
def scheduled_scoring(timer: func.TimerRequest) -> None:
    score("timer")


@app.route(route="run", methods=["POST"], auth_level=func.AuthLevel.FUNCTION)
def run_now(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(score("http")), mimetype="application/json")


@app.route(route="runs", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
def runs(req: func.HttpRequest) -> func.HttpResponse:
    """The newest ``count`` run records, or the one named ``id``."""
    container = _runs()
    wanted = req.params.get("id")
    names = [f"{wanted}.json"] if wanted else sorted((b.name for b in container.list_blobs()), reverse=True)
    count = int(req.params.get("count") or 10)
    try:
        found = [json.loads(container.download_blob(name).readall()) for name in names[:count]]
    except ResourceNotFoundError:
        return func.HttpResponse(json.dumps({"error": f"no run {wanted}"}), status_code=404)
    return func.HttpResponse(json.dumps(found), mimetype="application/json")
