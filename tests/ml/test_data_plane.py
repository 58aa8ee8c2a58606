"""The emulator's blob data plane and role assignments, as clients see them on the wire."""

from __future__ import annotations

import requests

from tests.ml.conftest import wait_succeeded
from wizard.azure import roles

UPLOAD_API = {"api-version": "2023-04-01"}


def _pending_container(arm: requests.Session, emulator, workspace) -> str:
    url = f"{emulator.url}{workspace['id']}/codes/probe/versions/1/startPendingUpload"
    answer = arm.post(url, params=UPLOAD_API, json={"pendingUploadType": "TemporaryBlobReference"})
    assert answer.status_code == 200
    return answer.json()["blobReferenceForConsumption"]["credential"]["sasUri"]


def test_blobs_are_reached_by_sas_alone(arm, emulator, workspace):
    sas_url = _pending_container(arm, emulator, workspace)
    base, _, sas = sas_url.partition("?")
    plain = requests.Session()
    plain.trust_env = False
    plain.verify = str(emulator.ca_path)
    missing = plain.head(f"{base}/a/b.txt?{sas}")
    assert missing.status_code == 404 and missing.headers["x-ms-error-code"] == "BlobNotFound"
    put = plain.put(f"{base}/a/b.txt?{sas}", data=b"hello", headers={"x-ms-blob-type": "BlockBlob"})
    assert put.status_code == 201
    assert plain.put(f"{base}/a/b.txt?{sas}", data=b"again", headers={"If-None-Match": "*"}).status_code == 409
    assert plain.get(f"{base}/a/b.txt?{sas}").content == b"hello"
    listed = plain.get(f"{base}?restype=container&comp=list&{sas}")
    assert "<Name>a/b.txt</Name>" in listed.text

    unsigned = plain.get(f"{base}/a/b.txt")
    assert unsigned.status_code == 403 and unsigned.headers["x-ms-error-code"] == "NoAuthenticationInformation"
    tampered = plain.get(f"{base}/a/b.txt?{sas.replace('sp=racwl', 'sp=racwld')}")
    assert tampered.headers["x-ms-error-code"] == "AuthenticationFailed"


def test_a_role_assignment_is_created_once_at_its_scope(arm, emulator, workspace):
    principal = "11111111-2222-4333-8444-555555555555"
    name = roles.assignment_name(workspace["id"], principal, roles.AZUREML_DATA_SCIENTIST)
    url = f"{emulator.url}{workspace['id']}/providers/Microsoft.Authorization/roleAssignments/{name}"
    body = {
        "properties": {
            "roleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{roles.AZUREML_DATA_SCIENTIST}",
            "principalId": principal,
        }
    }
    created = arm.put(url, params={"api-version": "2022-04-01"}, json=body)
    assert created.status_code == 201
    properties = wait_succeeded(arm, url, "2022-04-01")["properties"]
    assert properties["scope"] == workspace["id"] and properties["principalType"] == "ServicePrincipal"
    assert properties["roleDefinitionId"].startswith("/subscriptions/")
    other = url.rsplit("/", 1)[0] + "/0a0a0a0a-0000-4000-8000-000000000000"
    duplicate = arm.put(other, params={"api-version": "2022-04-01"}, json=body)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "RoleAssignmentExists"
