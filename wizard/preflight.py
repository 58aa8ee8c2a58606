"""Everything that would make a run fail, found before the first create, all at once.

A run that stops twenty minutes in on a taken storage name, a VM size the subscription may not use or a
provider the caller may not register wastes the twenty minutes and shows one problem of several. Preflight asks
Azure first, with reads only (GETs, and the POSTs ARM offers for checking names): provider registrations and
whether the caller may register the missing ones, the caller's permissions on the resource group (or the
subscription, before the group exists), region support of every resource type, and each step's own checks
(`Step.preflight`: names, sizes, quotas). Every problem comes back with what to do (wizard/azure/error_hints.toml).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from wizard.azure.errors import ErrorInfo, StepError, explain
from wizard.checkpoint import StepStatus
from wizard.connect import Connection
from wizard.plan import Plan
from wizard.session import Session
from wizard.steps.base import Step, StepContext
from wizard.steps.providers import REGISTERED, RegisterProviders
from wizard.steps.resource_group import ResourceGroup

RESOURCES = "azure.mgmt.resource.resources:ResourceManagementClient"
PERMISSIONS_API = "2022-04-01"
POLICY_API = "2023-04-01"
# The built-in "Allowed locations" definition: the policy a region answer can run into before anything exists.
# (Secure-transfer policies on storage need nothing: the wizard always asks for https-only and TLS 1.2.)
ALLOWED_LOCATIONS = "e56962a6-4747-49cd-b67b-bf8b01975c4c"
GROUP_WRITE = "Microsoft.Resources/subscriptions/resourceGroups/write"


@dataclass(frozen=True)
class Problem:
    """One thing that would fail, in the step it would fail in ("setup" when no one step is to blame)."""

    step: str
    error: ErrorInfo


def _region(name: str) -> str:
    """Providers list regions by display name ("East US"); answers use the short form ("eastus")."""
    return name.replace(" ", "").lower()


class _Permissions:
    """The caller's effective actions at a scope, as `Microsoft.Authorization/permissions` lists them."""

    def __init__(self, entries: list[dict[str, Any]]):
        self.entries = entries

    def allows(self, action: str) -> bool:
        wanted = action.lower()
        return any(
            any(fnmatchcase(wanted, pattern.lower()) for pattern in entry.get("actions") or [])
            and not any(fnmatchcase(wanted, pattern.lower()) for pattern in entry.get("notActions") or [])
            for entry in self.entries
        )


def _authorization_list(connection: Connection, scope: str, what: str, api_version: str) -> list[dict[str, Any]] | None:
    """A Microsoft.Authorization list at `scope`, or None when the caller may not read it (or Azure will not say)."""
    import requests

    clients = connection.clients
    answer = requests.get(
        f"{connection.cloud.resource_manager.rstrip('/')}{scope}/providers/Microsoft.Authorization/{what}",
        params={"api-version": api_version},
        headers={"Authorization": f"Bearer {clients.token()}"},
        verify=connection.cloud.connection_verify,
        timeout=30,
    )
    return list(answer.json().get("value") or []) if answer.ok else None


def _denying_policies(connection: Connection, region: str) -> list[str]:
    """Names of "Allowed locations" assignments on the subscription that leave `region` out."""
    found = _authorization_list(
        connection, f"/subscriptions/{connection.clients.subscription_id}", "policyAssignments", POLICY_API
    )
    denying = []
    for assignment in found or []:
        properties = assignment.get("properties") or {}
        if not str(properties.get("policyDefinitionId", "")).lower().endswith(ALLOWED_LOCATIONS):
            continue
        allowed = ((properties.get("parameters") or {}).get("listOfAllowedLocations") or {}).get("value") or []
        if _region(region) not in {_region(str(location)) for location in allowed}:
            denying.append(f"{assignment.get('name')} (allows {', '.join(map(str, allowed))})")
    return denying


def _permissions(connection: Connection, group: str, group_exists: bool) -> _Permissions | None:
    """None when Azure will not say (some clouds serve the list only for resource groups): ARM still refuses
    what the caller may not do, only later."""
    scope = f"/subscriptions/{connection.clients.subscription_id}" + (
        f"/resourceGroups/{group}" if group_exists else ""
    )
    found = _authorization_list(connection, scope, "permissions", PERMISSIONS_API)
    return None if found is None else _Permissions(found)


@dataclass
class Findings:
    """What preflight found: problems, and steps whose own checks wait for their provider's registration
    (Azure answers name and quota questions only for registered providers; the run registers them first)."""

    problems: list[Problem] = field(default_factory=list)
    unchecked: dict[str, str] = field(default_factory=dict)  # step key -> the namespace it waits for

    def lines(self) -> list[str]:
        """The findings as the plan and the run print them."""
        lines = [f"Preflight found {len(self.problems)} problem(s):" if self.problems else "Preflight: no problems."]
        for problem in self.problems:
            error = problem.error
            lines.append(f"  ✗ {problem.step}  {error.one_line()}")
            for label, text in (("what happened", error.what), ("what to do", error.todo), ("more", error.link)):
                if text:
                    lines.append(f"      {label}: {text}")
        if self.unchecked:
            waiting = ", ".join(f"{key} ({namespace})" for key, namespace in self.unchecked.items())
            lines.append(f"  Checked once their provider is registered (the run's first step): {waiting}")
        return lines


class _Check:
    """One preflight pass: what Azure has already, read once, shared by the checks."""

    def __init__(self, plan: Plan, connection: Connection, files_dir: Path, pending: Collection[str]):
        self.plan, self.connection, self.files_dir = plan, connection, files_dir
        self.steps = [step for step in plan.steps if step.key in pending]
        self.resources = connection.clients.get(RESOURCES)
        self.findings = Findings()

    def _context(self) -> StepContext:
        plan, connection = self.plan, self.connection
        return StepContext(plan.answers, plan.names, connection.cloud, connection.clients, self.files_dir)

    def _group_exists(self, group: str) -> bool:
        """A GET, not check_existence's HEAD: `plan` sends GETs only."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            self.resources.resource_groups.get(group)
        except ResourceNotFoundError:
            return False
        return True

    def _add(self, step: str, error: ErrorInfo) -> None:
        self.findings.problems.append(Problem(step, error))

    def run(self) -> None:
        group = self.plan.names.resource_group
        group_exists = self._group_exists(group)
        permissions = _permissions(self.connection, group, group_exists)
        where = f"resource group {group}" if group_exists else f"subscription {self.connection.clients.subscription_id}"
        registering = next((step for step in self.plan.steps if isinstance(step, RegisterProviders)), None)
        namespaces = registering.namespaces if registering is not None else ()
        providers = {namespace.lower(): self.resources.providers.get(namespace) for namespace in namespaces}
        unregistered = {
            key: provider.namespace
            for key, provider in providers.items()
            if (provider.registration_state or "").lower() != REGISTERED
        }
        for policy in _denying_policies(self.connection, self.plan.answers.region):
            message = f"the policy assignment {policy} does not allow {self.plan.answers.region}"
            self._add("setup", StepError("RequestDisallowedByPolicy", message).info)
        for namespace in unregistered.values():
            if permissions is not None and not permissions.allows(f"{namespace}/register/action"):
                message = f"{namespace} is not registered on this subscription, and you may not register it"
                self._add(registering.key, StepError("ProviderCannotBeRegistered", message).info)
        for step in self.steps:
            self._rights(step, permissions, where, group_exists)
            self._region(step, providers)
            waits_for = next((unregistered[ns.lower()] for ns in step.providers if ns.lower() in unregistered), None)
            if waits_for is not None:
                self.findings.unchecked[step.key] = waits_for
                continue
            try:
                step.preflight(self._context())
            except Exception as error:
                self._add(step.key, explain(error))

    def _rights(self, step: Step, permissions: _Permissions | None, where: str, group_exists: bool) -> None:
        if permissions is None:
            return
        wanted = list(step.actions)
        if isinstance(step, ResourceGroup) and not group_exists:
            wanted.append(GROUP_WRITE)
        resource_type = getattr(step, "resource_type", "")
        if resource_type:
            wanted.append(f"{resource_type}/write")
        for action in wanted:
            if not permissions.allows(action):
                message = f"you may not perform {action} on {where}"
                self._add(step.key, StepError("PreflightPermissionMissing", message).info)

    def _region(self, step: Step, providers: dict[str, Any]) -> None:
        """Whether the region offers the step's resource type (from the providers already read)."""
        namespace, _, kind = str(getattr(step, "resource_type", "")).partition("/")
        provider = providers.get(namespace.lower())
        if provider is None:
            return
        types = provider.resource_types or []
        entry = next((t for t in types if (t.resource_type or "").lower() == kind.lower()), None)
        locations = {_region(location) for location in entry.locations or []} if entry else set()
        if locations and _region(self.plan.answers.region) not in locations | {"global"}:
            message = f"{namespace}/{kind} is not offered in {self.plan.answers.region}"
            self._add(step.key, StepError("LocationNotAvailableForResourceType", message).info)


def preflight(plan: Plan, connection: Connection, files_dir: Path, pending: Collection[str]) -> Findings:
    """Every problem with the steps in `pending` (the ones not finished yet); none when the run may start.

    A check Azure cannot answer (a read refused, a network failure) is itself a problem: better a question up
    front than a surprise later.
    """
    check = _Check(plan, connection, files_dir, pending)
    try:
        check.run()
    except Exception as error:
        check.findings.problems.append(Problem("setup", explain(error)))
    return check.findings


def check_session(session: Session) -> Findings:
    """Preflight of an opened setup's steps not finished yet: what every face runs before its first create."""
    checkpoint = session.checkpoint
    pending = [key for key in session.plan.keys if checkpoint.step(key).status is not StepStatus.SUCCEEDED]
    return preflight(session.plan, session.connection, checkpoint.files_dir, pending)
