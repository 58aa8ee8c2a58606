"""The emulator's blob data plane and role assignments, as clients see them on the wire."""

from __future__ import annotations

import requests

from tests.emulator.helpers import make_credential, wait_until
from wizard.azure import roles
from wizard.emulator import DEMO
from wizard.emulator.identity import STORAGE_AUDIENCE

UPLOAD_API = {"api-version": "2023-04-01"}
ROLES_API = {"api-version": "2022-04-01"}


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
    assert created.status_code == 201  # at once: an assignment has no provisioningState to wait on
    properties = arm.get(url, params={"api-version": "2022-04-01"}).json()["properties"]
    assert properties["scope"] == workspace["id"] and properties["principalType"] == "ServicePrincipal"
    assert properties["roleDefinitionId"].startswith("/subscriptions/")
    other = url.rsplit("/", 1)[0] + "/0a0a0a0a-0000-4000-8000-000000000000"
    duplicate = arm.put(other, params={"api-version": "2022-04-01"}, json=body)
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "RoleAssignmentExists"


def test_an_owner_manages_the_storage_account_but_reads_its_blobs_only_with_a_blob_data_role(arm, emulator, workspace):
    """As in Azure, a role's actions (Owner's ``*``) never reach a data plane: a blob is read by dataActions; the
    caller's permissions at the account show the data role's."""
    account = workspace["storage_account_id"]
    blobs = requests.Session()
    blobs.trust_env, blobs.verify = False, str(emulator.ca_path)
    token = make_credential(emulator).get_token(f"{STORAGE_AUDIENCE}/.default").token
    blobs.headers["Authorization"] = f"Bearer {token}"
    listing = f"{emulator.url}/_blob/{account.rsplit('/', 1)[-1]}/data"

    def listed() -> requests.Response:
        return blobs.get(listing, params={"restype": "container", "comp": "list"})

    refused = listed()
    assert refused.status_code == 403 and refused.headers["x-ms-error-code"] == "AuthorizationPermissionMismatch"
    group = account.split("/providers/", 1)[0]
    held = arm.get(f"{emulator.url}{group}/providers/Microsoft.Authorization/permissions", params=ROLES_API)
    assert [(p["actions"], p["dataActions"]) for p in held.json()["value"]] == [(["*"], [])]

    role = roles.STORAGE_BLOB_DATA_CONTRIBUTOR
    name = roles.assignment_name(account, DEMO.object_id, role)
    url = f"{emulator.url}{account}/providers/Microsoft.Authorization/roleAssignments/{name}"
    grant = {
        "roleDefinitionId": f"/providers/Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": DEMO.object_id,
    }
    arm.put(url, params=ROLES_API, json={"properties": grant}).raise_for_status()
    wait_until(lambda: listed().status_code != 403)
    at_account = arm.get(f"{emulator.url}{account}/providers/Microsoft.Authorization/permissions", params=ROLES_API)
    data_actions = [action for p in at_account.json()["value"] for action in p["dataActions"]]
    assert "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read" in data_actions
    written = arm.put(
        f"{emulator.url}{group}/providers/Microsoft.Authorization/permissions/mine", params=ROLES_API, json={}
    )
    assert written.status_code == 405
