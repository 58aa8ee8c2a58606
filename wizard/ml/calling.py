"""Calling the batch endpoint as any client would: a POST with an Entra token for https://ml.azure.com, and the
exact commands to do it again (printed by both faces at the end of a run)."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from wizard.azure import retries
from wizard.ml.client import ML_SCOPE

# Answers that say the call was not taken (throttled, or the service unavailable): calling again cannot start a
# second job. Anything else (a 500, a lost answer) may have started one, so it is not retried.
NOT_TAKEN = (429, 503)
ATTEMPTS = 4
LONGEST_WAIT = 60.0
TIMEOUT = 60.0  # seconds for the scoring URI's answer, unless the run sets its own read timeout


def invoke(
    credential: Any, scoring_uri: str, body: dict[str, Any], verify: str | bool, timeout: float = TIMEOUT
) -> str:
    """Start one scoring job; returns its name. A refusal raises requests' HTTPError with Azure's answer; a 429 or
    503 is called again after its Retry-After, a few times, each time told to the step, and a token refused as
    expired is replaced once (a 401 started nothing)."""

    from wizard.azure import renewal  # azure-mgmt-core's policies: not loaded to build a plan

    def post(token: str) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"}
        return requests.post(scoring_uri, json=body, headers=headers, verify=verify, timeout=timeout)

    token = credential.get_token(ML_SCOPE).token
    renewed = False
    for attempt in range(1, ATTEMPTS + 1):
        answer = post(token)
        if not renewed and (fresh := renewal.renewed_token(credential, ML_SCOPE, answer)):
            token, renewed = fresh, True
            answer = post(token)
        if answer.status_code not in NOT_TAKEN or attempt == ATTEMPTS:
            break
        wait = _retry_after(answer.headers.get("Retry-After"), attempt)
        retries.tell(f"Azure answered {answer.status_code} to POST the scoring URI; retrying in {wait:g} s")
        time.sleep(wait)
    answer.raise_for_status()
    return str(answer.json()["name"])


def _retry_after(header: str | None, attempt: int) -> float:
    try:
        return min(max(float(header or ""), 0.0), LONGEST_WAIT)
    except ValueError:
        return min(2.0**attempt, LONGEST_WAIT)


def run_error(arm_token: str, discovery_url: str, workspace_id: str, run: str, verify: str | bool) -> str:
    """A failed job's error, from run history (found through the workspace's discovery document)."""
    headers = {"Authorization": f"Bearer {arm_token}"}
    api = requests.get(discovery_url, verify=verify, timeout=30).json()["api"].rstrip("/")
    details_url = f"{api}/history/v1.0{workspace_id}/runs/{run}/details"
    details = requests.get(details_url, headers=headers, verify=verify, timeout=30).json()
    error = (details.get("error") or {}).get("error") or {}
    return str(error.get("message") or "no error was recorded; see the job's log")


def instructions(scoring_uri: str, body: dict[str, Any]) -> list[str]:
    payload = json.dumps(body)
    return [
        "Call the scoring endpoint again from a shell (any identity with AzureML Data Scientist on the workspace):",
        "  TOKEN=$(az account get-access-token --resource https://ml.azure.com --query accessToken -o tsv)",
        f'  curl -X POST "{scoring_uri}" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" '
        f"-d '{payload}'",
        "Or from Python (on the DSVM its managed identity is picked up by DefaultAzureCredential):",
        "  import requests",
        "  from azure.identity import DefaultAzureCredential",
        '  token = DefaultAzureCredential().get_token("https://ml.azure.com/.default").token',
        f'  job = requests.post("{scoring_uri}", json={payload}, headers={{"Authorization": f"Bearer {{token}}"}})',
        '  print(job.json()["name"])',
    ]
