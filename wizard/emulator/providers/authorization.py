"""Microsoft.Authorization: role assignments at any scope, the built-in role definitions the flow uses, and
``allows`` — the check a data plane makes before acting for a principal.

Role assignments are extension resources (``{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}``),
so the generic store keeps them under their scope and deletes them with it; this module adds what ARM checks on
create (the role exists, one assignment per principal, role and scope) and what it fills in (scope, tenant-form
role id). The demo service principal is Owner of the demo subscription without a stored assignment, as the
subscription's creator is in Azure.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from wizard.emulator.behaviour import Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.routing import route
from wizard.emulator.store import Store
from wizard.emulator.wire import ArmError, Reply, iso

ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
_DEFINITIONS_PATH = "/providers/Microsoft.Authorization/roleDefinitions/"


@dataclass(frozen=True)
class RoleDefinition:
    """A built-in role: what it allows (ARM action patterns) and what it carves out again."""

    id: str
    name: str
    description: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] = ()

    def allows(self, action: str) -> bool:
        lowered = action.lower()
        granted = any(fnmatchcase(lowered, pattern.lower()) for pattern in self.actions)
        return granted and not any(fnmatchcase(lowered, pattern.lower()) for pattern in self.not_actions)

    def document(self) -> dict[str, Any]:
        return {
            "id": f"{_DEFINITIONS_PATH}{self.id}",
            "name": self.id,
            "type": "Microsoft.Authorization/roleDefinitions",
            "properties": {
                "roleName": self.name,
                "type": "BuiltInRole",
                "description": self.description,
                "assignableScopes": ["/"],
                "permissions": [{"actions": list(self.actions), "notActions": list(self.not_actions)}],
            },
        }


OWNER = RoleDefinition("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "Grants full access.", ("*",))
CONTRIBUTOR = RoleDefinition(
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Contributor",
    "Grants full access to manage all resources, but not to assign roles.",
    ("*",),
    ("Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"),
)
READER = RoleDefinition("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources.", ("*/read",))
AZUREML_DATA_SCIENTIST = RoleDefinition(
    "f6c7c914-8db3-469d-8ca1-694a8f32e121",
    "AzureML Data Scientist",
    "Can perform all actions within an Azure Machine Learning workspace, except for creating or deleting compute "
    "resources and modifying the workspace itself.",
    (
        "Microsoft.MachineLearningServices/workspaces/*/read",
        "Microsoft.MachineLearningServices/workspaces/*/action",
        "Microsoft.MachineLearningServices/workspaces/*/delete",
        "Microsoft.MachineLearningServices/workspaces/*/write",
    ),
    (
        "Microsoft.MachineLearningServices/workspaces/delete",
        "Microsoft.MachineLearningServices/workspaces/write",
        "Microsoft.MachineLearningServices/workspaces/computes/*/write",
        "Microsoft.MachineLearningServices/workspaces/computes/*/delete",
        "Microsoft.MachineLearningServices/workspaces/listKeys/action",
    ),
)
STORAGE_BLOB_DATA_CONTRIBUTOR = RoleDefinition(
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Contributor",
    "Allows for read, write and delete access to Azure Storage blob containers and data",
    (
        "Microsoft.Storage/storageAccounts/blobServices/containers/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/write",
        "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ),
)
BUILT_IN = {
    role.id: role for role in (OWNER, CONTRIBUTOR, READER, AZUREML_DATA_SCIENTIST, STORAGE_BLOB_DATA_CONTRIBUTOR)
}


def _role_guid(role_definition_id: str) -> str:
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def _within(scope: str, assigned: str) -> bool:
    """An assignment at ``assigned`` applies at ``scope`` when it is that scope or one above it."""
    scope, assigned = scope.rstrip("/").lower(), assigned.rstrip("/").lower()
    return scope == assigned or scope.startswith(assigned + "/")


def allows(store: Store, principal_id: str, scope: str, action: str) -> bool:
    """Whether any role assignment of the principal at ``scope`` or above grants ``action``."""
    if principal_id == DEMO.object_id and _within(scope, f"/subscriptions/{DEMO.subscription_id}"):
        return True
    for row in store.find(type_=ASSIGNMENT_TYPE):
        properties = row.body.get("properties") or {}
        if properties.get("principalId") != principal_id or not _within(scope, properties.get("scope", "")):
            continue
        role = BUILT_IN.get(_role_guid(properties.get("roleDefinitionId", "")))
        if role and role.allows(action):
            return True
    return False


@register
class RoleAssignment(Behaviour):
    type = ASSIGNMENT_TYPE

    def fill(self, put: Put) -> None:
        properties = put.properties
        role_id = str(properties.get("roleDefinitionId") or "")
        principal = str(properties.get("principalId") or "")
        if not role_id or not principal:
            raise ArmError(
                400, "InvalidRoleAssignmentRequest", "The request must name a roleDefinitionId and a principalId."
            )
        guid = _role_guid(role_id)
        if guid not in BUILT_IN:
            raise ArmError(
                400, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not exist."
            )
        if put.existing and (put.existing.get("properties") or {}).get("principalId") != principal:
            raise ArmError(
                400,
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            )
        scope = put.address.parent
        assert put.store is not None
        for row in put.store.find(parent=scope, type_=ASSIGNMENT_TYPE):
            other = row.body.get("properties") or {}
            if (
                row.key != put.address.key
                and other.get("principalId") == principal
                and _role_guid(other.get("roleDefinitionId", "")) == guid
            ):
                raise ArmError(409, "RoleAssignmentExists", "The role assignment already exists.")
        created = (put.existing or {}).get("properties", {}).get("createdOn") or iso(put.now)
        properties.update(
            {
                "roleDefinitionId": f"/subscriptions/{put.address.subscription}{_DEFINITIONS_PATH}{guid}",
                "principalType": properties.get("principalType") or "ServicePrincipal",
                "scope": scope,
                "createdOn": created,
                "updatedOn": iso(put.now),
                "createdBy": DEMO.object_id,
                "updatedBy": DEMO.object_id,
            }
        )


def _definition(role_definition_id: str) -> Reply:
    role = BUILT_IN.get(role_definition_id.lower())
    if role is None:
        raise ArmError(
            404,
            "RoleDefinitionDoesNotExist",
            f"The specified role definition with ID '{role_definition_id}' does not exist.",
        )
    return Reply(200, role.document())


@route("GET", "/providers/Microsoft.Authorization/roleDefinitions/{role_definition_id}")
def tenant_role_definition(ctx: Ctx, role_definition_id: str) -> Reply:
    return _definition(role_definition_id)


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role_definition_id}")
def subscription_role_definition(ctx: Ctx, subscription: str, role_definition_id: str) -> Reply:
    return _definition(role_definition_id)
