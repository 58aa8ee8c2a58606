"""Microsoft.Authorization: role assignments at any scope, the built-in role definitions the flow uses, and
``allows`` — the check a data plane makes before acting for a principal.

Role assignments are extension resources (``{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}``), so
the generic store keeps them under their scope and deletes them with it; this module adds what ARM checks on create
(the role exists, one assignment per principal, role and scope) and what it fills in (scope, the role id in its
subscription form, whichever form was sent). The demo service principal is Owner of the demo subscription without a
stored assignment, as the subscription's creator is in Azure; ``/_emulator/authorization/caller`` gives it a lesser
built-in role instead (a user with only Contributor, say), which ARM writes, provider registrations and
``…/permissions`` then follow.
Custom roles (``roleDefinitions`` PUT at a subscription) are stored and assignable within their
``assignableScopes``, as an organisation's own roles are.
"""

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any

from wizard.emulator import access, identity, latency
from wizard.emulator.address import Address
from wizard.emulator.behaviour import Behaviour, Put, register
from wizard.emulator.context import Ctx
from wizard.emulator.demo import DEMO
from wizard.emulator.routing import route
from wizard.emulator.store import Row, Store
from wizard.emulator.wire import ArmError, Reply, iso

ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions"
_DEFINITIONS_PATH = "/providers/Microsoft.Authorization/roleDefinitions/"


def _granted(action: str, granting: tuple[str, ...], carved_out: tuple[str, ...]) -> bool:
    def matched(patterns: tuple[str, ...]) -> bool:
        return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)

    return matched(granting) and not matched(carved_out)


@dataclass(frozen=True)
class RoleDefinition:
    """A role: what it allows (ARM action patterns) and what it carves out again, on the control plane and, apart
    from it, on data planes: Azure checks a data action (reading a blob) against dataActions alone, so an Owner's
    ``*`` manages a storage account but reads none of its blobs."""

    id: str
    name: str
    description: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...] = ()
    data_actions: tuple[str, ...] = ()
    not_data_actions: tuple[str, ...] = ()

    def allows(self, action: str) -> bool:
        return _granted(action, self.actions, self.not_actions)

    def allows_data(self, data_action: str) -> bool:
        return _granted(data_action, self.data_actions, self.not_data_actions)

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
                "permissions": [
                    {
                        "actions": list(self.actions),
                        "notActions": list(self.not_actions),
                        "dataActions": list(self.data_actions),
                        "notDataActions": list(self.not_data_actions),
                    }
                ],
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
STORAGE_BLOB_DATA_OWNER = RoleDefinition(
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    "Storage Blob Data Owner",
    "Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.",
    (
        "Microsoft.Storage/storageAccounts/blobServices/containers/*",
        "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
    ),
    data_actions=("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*",),
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
    data_actions=(
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
    ),
)
BUILT_IN = {
    role.id: role
    for role in (
        OWNER,
        CONTRIBUTOR,
        READER,
        AZUREML_DATA_SCIENTIST,
        STORAGE_BLOB_DATA_OWNER,
        STORAGE_BLOB_DATA_CONTRIBUTOR,
    )
}


def _role_guid(role_definition_id: str) -> str:
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def _custom(properties: dict[str, Any], guid: str) -> RoleDefinition:
    permissions = (properties.get("permissions") or [{}])[0]
    return RoleDefinition(
        guid,
        str(properties.get("roleName") or guid),
        str(properties.get("description") or ""),
        tuple(permissions.get("actions") or ()),
        tuple(permissions.get("notActions") or ()),
        tuple(permissions.get("dataActions") or ()),
        tuple(permissions.get("notDataActions") or ()),
    )


def _custom_row(store: Store, guid: str) -> Row | None:
    return next((row for row in store.find(type_=DEFINITION_TYPE, name=guid)), None)


def role(store: Store, guid: str) -> RoleDefinition | None:
    """A built-in role, or a custom one stored in this tenant."""
    found = BUILT_IN.get(guid.lower())
    row = None if found else _custom_row(store, guid)
    return _custom(row.body.get("properties") or {}, guid.lower()) if row else found


def _within(scope: str, assigned: str) -> bool:
    """An assignment at ``assigned`` applies at ``scope`` when it is that scope or one above it."""
    scope, assigned = scope.rstrip("/").lower(), assigned.rstrip("/").lower()
    return scope == assigned or scope.startswith(assigned + "/")


_CALLER_KEY = "/_emulator/authorization/caller"


def caller_role(store: Store) -> RoleDefinition:
    """The demo principal's role on the demo subscription: Owner unless an admin call chose another, less any
    actions it carved out (a custom role, as an organisation makes to keep provider registration central)."""
    row = store.get(_CALLER_KEY)
    if row is None:
        return OWNER
    role = BUILT_IN.get(str(row.body.get("role")), OWNER)
    extra = tuple(str(action) for action in row.body.get("not_actions") or ())
    if not extra:
        return role
    return replace(role, name=f"{role.name} (restricted)", not_actions=role.not_actions + extra)


def roles_of(ctx: Ctx, principal_id: str, scope: str) -> list[RoleDefinition]:
    """Every role the principal holds at ``scope`` or above, from the assignments that have propagated."""
    held = []
    if principal_id == DEMO.object_id and _within(scope, f"/subscriptions/{DEMO.subscription_id}"):
        held.append(caller_role(ctx.store))
    propagated_by = ctx.now - ctx.delay(latency.propagation_seconds(ctx.latency_profile))
    for row in ctx.store.find(type_=ASSIGNMENT_TYPE):
        properties = row.body.get("properties") or {}
        if properties.get("principalId") != principal_id or not _within(scope, properties.get("scope", "")):
            continue
        if row.created > propagated_by:
            continue
        found = role(ctx.store, _role_guid(properties.get("roleDefinitionId", "")))
        if found:
            held.append(found)
    return held


def allows(ctx: Ctx, principal_id: str, scope: str, action: str) -> bool:
    """Whether any role assignment of the principal at ``scope`` or above grants ``action``."""
    return any(role.allows(action) for role in roles_of(ctx, principal_id, scope))


def allows_data(ctx: Ctx, principal_id: str, scope: str, data_action: str) -> bool:
    """Whether any role assignment of the principal at ``scope`` or above grants the data action."""
    return any(role.allows_data(data_action) for role in roles_of(ctx, principal_id, scope))


def require(ctx: Ctx, principal_id: str, scope: str, action: str) -> None:
    """ARM's refusal of an action the caller's roles do not grant."""
    if not allows(ctx, principal_id, scope, action):
        raise ArmError(
            403,
            "AuthorizationFailed",
            f"The client '{principal_id}' with object id '{principal_id}' does not have authorization to perform "
            f"action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, "
            "please refresh your credentials.",
        )


@register
class RoleAssignment(Behaviour):
    type = ASSIGNMENT_TYPE
    etag = False  # an assignment's answer has neither (its creation and update times instead)
    provisioning_state = False

    def fill(self, put: Put) -> None:
        properties = put.properties
        role_id = str(properties.get("roleDefinitionId") or "")
        principal = str(properties.get("principalId") or "")
        if not role_id or not principal:
            raise ArmError(
                400, "InvalidRoleAssignmentRequest", "The request must name a roleDefinitionId and a principalId."
            )
        guid = _role_guid(role_id)
        assert put.store is not None
        custom = _custom_row(put.store, guid)
        if guid not in BUILT_IN and custom is None:
            raise ArmError(
                400, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not exist."
            )
        assignable = ((custom.body.get("properties") or {}).get("assignableScopes") or []) if custom else ["/"]
        if not any(_within(put.address.parent, scope) or scope == "/" for scope in assignable):
            raise ArmError(
                403,
                "AuthorizationFailed",
                f"The role definition '{guid}' is not assignable at scope '{put.address.parent}'.",
            )
        if put.existing and (put.existing.get("properties") or {}).get("principalId") != principal:
            raise ArmError(
                400,
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            )
        scope = put.address.parent
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


@register
class CustomRole(Behaviour):
    """A custom role: named, with permissions and the scopes it may be assigned at; a built-in id is taken."""

    type = DEFINITION_TYPE
    etag = False
    provisioning_state = False

    def fill(self, put: Put) -> None:
        properties, guid = put.properties, str(put.address.name).lower()
        if guid in BUILT_IN:
            raise ArmError(409, "RoleDefinitionWithSameNameExists", f"A built-in role has the ID '{guid}'.")
        if not properties.get("roleName") or not properties.get("permissions"):
            raise ArmError(400, "InvalidRoleDefinition", "A custom role needs a roleName and permissions.")
        if not properties.get("assignableScopes"):
            raise ArmError(400, "InvalidAssignableScopes", "A custom role needs at least one assignable scope.")
        properties["type"] = "CustomRole"
        created = ((put.existing or {}).get("properties") or {}).get("createdOn") or iso(put.now)
        properties.update(createdOn=created, updatedOn=iso(put.now), createdBy=DEMO.object_id)


def _definition(ctx: Ctx, role_definition_id: str) -> Reply:
    custom = _custom_row(ctx.store, role_definition_id)
    if custom is not None:
        return Reply(200, custom.body)
    found = BUILT_IN.get(role_definition_id.lower())
    if found is None:
        raise ArmError(
            404,
            "RoleDefinitionDoesNotExist",
            f"The specified role definition with ID '{role_definition_id}' does not exist.",
        )
    return Reply(200, found.document())


@route("GET", "/providers/Microsoft.Authorization/roleDefinitions/{role_definition_id}")
def tenant_role_definition(ctx: Ctx, role_definition_id: str) -> Reply:
    return _definition(ctx, role_definition_id)


@route("GET", "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role_definition_id}")
def subscription_role_definition(ctx: Ctx, subscription: str, role_definition_id: str) -> Reply:
    return _definition(ctx, role_definition_id)


@route(
    "GET",
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Authorization/roleDefinitions/"
    "{role_definition_id}",
)
def group_role_definition(ctx: Ctx, subscription: str, group: str, role_definition_id: str) -> Reply:
    """A role reads the same at any scope it is visible at."""
    return _definition(ctx, role_definition_id)


def _permissions(ctx: Ctx, scope: str) -> Reply:
    caller = identity.authenticate(ctx)
    value = [
        {
            "actions": list(role.actions),
            "notActions": list(role.not_actions),
            "dataActions": list(role.data_actions),
            "notDataActions": list(role.not_data_actions),
        }
        for role in roles_of(ctx, caller.principal_id, scope)
    ]
    return Reply(200, {"value": value})


_PERMISSIONS = "Microsoft.Authorization/permissions"


@register
class Permissions(Behaviour):
    """The caller's permissions at any scope, a resource's too (``{resource}/providers/Microsoft.Authorization/
    permissions``): computed from its role assignments, never stored, so nothing can be written there."""

    type = _PERMISSIONS
    delete_missing = None

    def listing(self, ctx: Ctx, address: Address) -> Reply:
        return _permissions(ctx, address.parent)

    def fill(self, put: Put) -> None:
        raise ArmError(
            405, "MethodNotAllowed", f"The resource type '{self.type}' lists permissions; it cannot be written."
        )


@route("POST", "/_emulator/authorization/caller", arm=False)
def set_caller_role(ctx: Ctx) -> Reply:
    """``{"role": "Contributor", "not_actions": [...]}``: the demo principal holds that built-in role, less the
    ``not_actions``, on the subscription from now on."""
    fields = ctx.request.json_object()
    name = str(fields.get("role") or "")
    role = next((role for role in BUILT_IN.values() if role.name.lower() == name.lower()), None)
    if role is None:
        raise ArmError(400, "InvalidRole", f"role must be one of {', '.join(r.name for r in BUILT_IN.values())}")
    subscription = DEMO.subscription_id.lower()
    ctx.store.put(
        Row(
            _CALLER_KEY,
            _CALLER_KEY,
            "/_emulator",
            subscription,
            None,
            "Emulator/caller",
            {"role": role.id, "not_actions": list(fields.get("not_actions") or [])},
        )
    )
    return Reply(204)


# Azure Policy: assignments an admin call adds to the demo subscription, and the one built-in effect the wizard can
# meet before anything exists, "Allowed locations", refusing writes elsewhere as ARM does.
ALLOWED_LOCATIONS = "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c"
_POLICIES_KEY = "/_emulator/authorization/policies"


def _policy_assignments(store: Store) -> list[dict[str, Any]]:
    row = store.get(_POLICIES_KEY)
    return list(row.body.get("value") or []) if row else []


def require_allowed_location(ctx: Ctx, resource_id: str, location: str) -> None:
    """RequestDisallowedByPolicy for a write whose location an "Allowed locations" assignment does not list."""
    for assignment in _policy_assignments(ctx.store):
        properties = assignment["properties"]
        if properties["policyDefinitionId"].lower() != ALLOWED_LOCATIONS.lower() or not location:
            continue
        allowed = [str(v).lower() for v in properties["parameters"]["listOfAllowedLocations"]["value"]]
        if location.lower() not in [*allowed, "global"]:
            raise ArmError(
                403,
                "RequestDisallowedByPolicy",
                f"Resource '{resource_id.rsplit('/', 1)[-1]}' was disallowed by policy. Policy identifiers: "
                f'\'[{{"policyAssignment":{{"name":"{assignment["name"]}","id":"{assignment["id"]}"}}}}]\'.',
            )


@route(
    "GET",
    "/subscriptions/{subscription}/providers/Microsoft.Authorization/policyAssignments",
    type_="Microsoft.Authorization/policyAssignments",
)
def policy_assignments(ctx: Ctx, subscription: str) -> Reply:
    access.require_subscription(subscription)
    caller = identity.authenticate(ctx)
    require(
        ctx, caller.principal_id, f"/subscriptions/{subscription}", "Microsoft.Authorization/policyAssignments/read"
    )
    return Reply(200, {"value": _policy_assignments(ctx.store)})


@route("POST", "/_emulator/authorization/policies", arm=False)
def add_policy_assignment(ctx: Ctx) -> Reply:
    """``{"name": "...", "allowed_locations": ["westeurope"]}``: an "Allowed locations" assignment on the
    subscription."""
    fields = ctx.request.json_object()
    name, allowed = str(fields.get("name") or "allowed-locations"), fields.get("allowed_locations")
    if not isinstance(allowed, list) or not allowed:
        raise ArmError(400, "InvalidPolicy", "allowed_locations must be a non-empty list of regions")
    subscription = f"/subscriptions/{DEMO.subscription_id}"
    assignment = {
        "id": f"{subscription}/providers/Microsoft.Authorization/policyAssignments/{name}",
        "name": name,
        "type": "Microsoft.Authorization/policyAssignments",
        "properties": {
            "displayName": "Allowed locations",
            "policyDefinitionId": ALLOWED_LOCATIONS,
            "scope": subscription,
            "parameters": {"listOfAllowedLocations": {"value": [str(region) for region in allowed]}},
            "enforcementMode": "Default",
        },
    }
    body = {"value": [a for a in _policy_assignments(ctx.store) if a["name"] != name] + [assignment]}
    ctx.store.put(
        Row(_POLICIES_KEY, _POLICIES_KEY, "/_emulator", DEMO.subscription_id.lower(), None, "Emulator/policies", body)
    )
    return Reply(204)
