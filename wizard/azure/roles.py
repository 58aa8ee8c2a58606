"""Role assignments the wizard grants: least privilege, at the narrowest scope, and exactly once.

Assignment names are a uuid5 of scope, principal and role, so a resumed or repeated run PUTs the very same
assignment instead of adding a second grant; ARM's RoleAssignmentExists (the same grant under another name,
e.g. made by hand) counts as granted.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Any

from wizard.azure.clients import ClientFactory

AZUREML_DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
ASSIGN_ACTION = "Microsoft.Authorization/roleAssignments/write"  # what the caller needs to grant (Owner, UAA)
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
_NAMESPACE = uuid.UUID("0b5b7b1e-4d0c-4e55-9a4f-6f1d2c3b4a59")  # fixed: names must not change between versions


API_VERSION = "2022-04-01"  # what azure-mgmt-authorization's role_assignments send; an ARM template declares it


@dataclass(frozen=True)
class Grant:
    """One role for one principal at one scope: what a step grants, and an exported ARM template declares."""

    scope: str
    principal_id: str
    role_id: str
    principal_type: str = "ServicePrincipal"


def definition_id(subscription_id: str, role_id: str) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role_id}"


def assignment_parameters(subscription_id: str, grant: Grant) -> Any:
    """The body `grant` PUTs, as the SDK model."""
    from azure.mgmt.authorization.models import RoleAssignmentCreateParameters

    return RoleAssignmentCreateParameters(
        role_definition_id=definition_id(subscription_id, grant.role_id),
        principal_id=grant.principal_id,
        principal_type=grant.principal_type,
    )


def assignment_name(scope: str, principal_id: str, role_id: str) -> str:
    """The deterministic assignment name (a GUID, as ARM requires) for this grant."""
    return str(uuid.uuid5(_NAMESPACE, f"{scope.lower()}|{principal_id.lower()}|{role_id.lower()}"))


def grant(
    clients: ClientFactory, scope: str, principal_id: str, role_id: str, principal_type: str = "ServicePrincipal"
) -> dict[str, Any]:
    """Give a principal (a managed identity, unless ``principal_type`` says User) a built-in role at ``scope``;
    idempotent."""
    from azure.core.exceptions import ResourceExistsError
    from azure.mgmt.authorization import AuthorizationManagementClient

    client = clients.get(AuthorizationManagementClient)
    name = assignment_name(scope, principal_id, role_id)
    parameters = assignment_parameters(clients.subscription_id, Grant(scope, principal_id, role_id, principal_type))
    try:
        assignment_id = client.role_assignments.create(scope, name, parameters).id
    except ResourceExistsError as error:  # granted already under another name; any other 409 is its own error
        if getattr(error.error, "code", None) != "RoleAssignmentExists":
            raise
        assignment_id = next(
            found.id
            for found in client.role_assignments.list_for_scope(scope)
            if found.principal_id == principal_id and str(found.role_definition_id).lower().endswith(role_id)
        )
    return {"id": assignment_id, "name": name, "scope": scope, "principal_id": principal_id, "role_id": role_id}


def existing(clients: ClientFactory, scope: str, principal_id: str, role_id: str = AZUREML_DATA_SCIENTIST) -> Any:
    """The wizard's own grant, read back (ResourceNotFoundError when it is not there): a step's cheap find."""
    from azure.mgmt.authorization import AuthorizationManagementClient

    client = clients.get(AuthorizationManagementClient)
    return client.role_assignments.get(scope, assignment_name(scope, principal_id, role_id))


def signed_in(clients: ClientFactory) -> tuple[str, str]:
    """The object id and principal type (User or ServicePrincipal) of whoever the credential signed in, read
    from the claims of its ARM token (Entra's tokens are JWTs; Graph is not needed)."""
    payload = clients.token().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    is_app = claims.get("idtyp") == "app" or not ({"upn", "scp"} & claims.keys())
    return claims["oid"], "ServicePrincipal" if is_app else "User"
