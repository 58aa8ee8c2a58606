"""Calling the batch endpoint as any client would: a POST with an Entra token for https://ml.azure.com, and the
exact commands to do it again (printed by both faces at the end of a run)."""

from __future__ import annotations

import json
from typing import Any

import requests

from wizard.ml.client import ML_SCOPE


def invoke(credential: Any, scoring_uri: str, body: dict[str, Any], verify: str | bool) -> str:
    """Start one scoring job; returns its name. A refusal raises requests' HTTPError with Azure's answer."""
    token = credential.get_token(ML_SCOPE).token
    answer = requests.post(
        scoring_uri, json=body, headers={"Authorization": f"Bearer {token}"}, verify=verify, timeout=60
    )
    answer.raise_for_status()
    return str(answer.json()["name"])


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
