"""Removing what a setup made, and only that: `scoring-wizard destroy`.

azd's `down` once deleted resource groups it had not created; this must never. So the list comes from the
checkpoint (the ids its steps recorded), every resource is read before it is deleted and kept unless its tags
say the wizard made it, deletes run dependants first (in parallel where the plan allows), and the resource
group goes only when the wizard made it and nothing else is left in it. Each removal is written to the
checkpoint at once, so a teardown that is interrupted resumes where it stopped. A deleted key vault stays
soft-deleted, its name taken, for its retention days; it is purged only when the user asks, as purging cannot
be undone. A finished teardown is recorded (`Document.torn_down_at`) so that the setup lists as
destroyed; it reports what it does as `TeardownEvent`s, so the CLI prints them and the TUI shows them live.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from wizard.azure.errors import explain
from wizard.checkpoint import Checkpoint, Document, StepStatus
from wizard.connect import Connection
from wizard.plan import Plan
from wizard.steps.resource_group import TAGS

CLIENT = "azure.mgmt.resource.resources:ResourceManagementClient"
VAULTS = "azure.mgmt.keyvault:KeyVaultManagementClient"
VAULT_TYPE = "/providers/microsoft.keyvault/vaults/"
PARALLEL_DELETES = 8
# The outputs that name what a step made, in the order they go: a grant before what holds it, a function app
# before its plan.
RECORDED = ("role_assignment", "id", "plan_id")
GROUP_STEP = "resource-group"
PROVIDERS_STEP = "register-providers"  # registrations are the subscription's: they stay
ROLE_ASSIGNMENTS = "/providers/microsoft.authorization/roleassignments/"


@dataclass(frozen=True)
class Removal:
    """One resource the teardown would remove (or keep, with the reason)."""

    step: str
    resource_id: str
    keep_reason: str = ""
    location: str = ""

    @property
    def soft_deletes(self) -> bool:
        """A key vault: deleting it keeps it soft-deleted, and its name taken, until it is purged."""
        return not self.keep_reason and VAULT_TYPE in self.resource_id.lower()

    @property
    def name(self) -> str:
        return self.resource_id.rsplit("/", 1)[-1]

    @property
    def left_soft_deleted(self) -> str:
        """What to tell the user when this vault was deleted and not purged."""
        return (
            f"Key vault {self.name} stays soft-deleted, its name taken: before this setup runs again, purge it "
            f"with `az keyvault purge --name {self.name} --location {self.location}`."
        )


@dataclass(frozen=True)
class TeardownEvent:
    """One thing the teardown did, as it happens: `deleting`, `deleted`, `kept`, `purging`, `purged` or `failed`,
    with a reason."""

    action: str
    target: str  # a resource id, or "resource group NAME"
    detail: str = ""

    @property
    def line(self) -> str:
        if self.action == "failed":
            return f"failed   {self.target}: {self.detail}"
        return f"{self.action:<8} {self.target}" + (f"  ({self.detail})" if self.detail else "")


def is_torn_down(document: Document) -> bool:
    """The last teardown finished and nothing was made since (registrations are the subscription's: they stay)."""
    return document.torn_down_at is not None and not any(
        record.status is StepStatus.SUCCEEDED for key, record in document.steps.items() if key != PROVIDERS_STEP
    )


def _made_by_wizard(tags: dict[str, str] | None) -> bool:
    return all((tags or {}).get(name) == value for name, value in TAGS.items())


def waves(plan: Plan, removals: list[Removal]) -> list[list[Removal]]:
    """The removals in rounds: one goes only after every removal whose step needs it (directly or through steps
    with nothing to remove, such as the smoke call) has gone; each round's deletes can run at once."""
    under: dict[str, set[str]] = {}
    for step in plan.steps:  # in plan order: a step's needs come before it
        under[step.key] = set(step.needs).union(*(under.get(need, set()) for need in step.needs))
    rounds: list[list[Removal]] = []
    left = list(removals)
    while left:
        ready = [r for r in left if not any(r.step in under[other.step] for other in left if other is not r)]
        rounds.append(ready)
        left = [r for r in left if r not in ready]
    return rounds


class Teardown:
    """Plans and carries out the removal of one setup's resources."""

    def __init__(self, plan: Plan, checkpoint: Checkpoint, connection: Connection):
        self.plan = plan
        self.checkpoint = checkpoint
        self.connection = connection
        self.client = connection.clients.get(CLIENT)
        self._versions: dict[str, str] = {}

    def _api_version(self, resource_id: str) -> str:
        """The newest stable api-version ARM lists for the resource's type, as `az resource` picks one."""
        namespace, _, rest = resource_id.rsplit("/providers/", 1)[-1].partition("/")
        type_ = "/".join(rest.split("/")[0::2])
        key = f"{namespace}/{type_}".lower()
        if key not in self._versions:
            provider = self.client.providers.get(namespace)
            entry = next(t for t in provider.resource_types if t.resource_type.lower() == type_.lower())
            stable = [v for v in entry.api_versions if "preview" not in v] or list(entry.api_versions)
            self._versions[key] = max(stable)
        return self._versions[key]

    def removals(self) -> list[Removal]:
        """What the checkpoint says was made, dependants first, each checked against Azure's tags."""
        found: list[Removal] = []
        recorded = {
            step.key: [str(id_) for key in RECORDED if (id_ := self.checkpoint.step(step.key).outputs.get(key))]
            for step in self.plan.steps
            if step.key != GROUP_STEP and self.checkpoint.step(step.key).status is StepStatus.SUCCEEDED
        }
        every = [id_ for ids in recorded.values() for id_ in ids]
        for step in reversed(self.plan.steps):
            for resource_id in recorded.get(step.key, []):
                if removal := self._removal(step.key, resource_id, every):
                    found.append(removal)
        return found

    def _removal(self, step: str, resource_id: str, every: list[str]) -> Removal | None:
        from azure.core.exceptions import ResourceNotFoundError

        if ROLE_ASSIGNMENTS in resource_id.lower():
            return Removal(step, resource_id)  # role assignments carry no tags: ours by record
        if any(resource_id.lower().startswith(other.lower() + "/") for other in every):
            return None  # a child (a cluster, an endpoint) goes with the resource that holds it
        try:
            resource = self.client.resources.get_by_id(resource_id, api_version=self._api_version(resource_id))
        except ResourceNotFoundError:
            return Removal(step, resource_id, "already gone")
        reason = "" if _made_by_wizard(resource.tags) else "not tagged as made by scoring-wizard"
        return Removal(step, resource_id, reason, resource.location or "")

    def run(
        self, removals: list[Removal], report: Callable[[TeardownEvent], None], *, purge_vaults: bool = False
    ) -> bool:
        """Delete every removal not kept, dependants first and each round in parallel, then the group if it is
        ours and empty; purge the deleted key vaults too when asked."""
        kept = {r.step for r in removals if r.keep_reason and r.keep_reason != "already gone"}
        for removal in removals:
            if removal.keep_reason:
                report(TeardownEvent("kept", removal.resource_id, removal.keep_reason))
        steps: dict[str, list[Removal]] = {}
        for removal in removals:
            steps.setdefault(removal.step, []).append(removal)
        for key, own in steps.items():
            if key not in kept and all(r.keep_reason == "already gone" for r in own):
                self._forget(key)
        ok = True
        with ThreadPoolExecutor(PARALLEL_DELETES, thread_name_prefix="destroy") as pool:
            for round_ in waves(self.plan, [r for r in removals if not r.keep_reason]):
                own = {key: [r for r in round_ if r.step == key] for key in dict.fromkeys(r.step for r in round_)}
                done = pool.map(lambda mine: self._delete_step(mine, report, purge_vaults, kept), own.values())
                ok = all(list(done)) and ok
        ok = self._remove_group(report) and ok
        if ok:  # what has no id of its own (a job, registered components) went with what held it
            for step in self.plan.steps:
                if step.key not in kept and step.key != PROVIDERS_STEP:
                    self._forget(step.key)
            self.checkpoint.record_teardown(datetime.now(UTC))
        return ok

    def _delete_step(
        self, own: list[Removal], report: Callable[[TeardownEvent], None], purge_vaults: bool, kept: set[str]
    ) -> bool:
        """One step's removals one after another (a grant before what holds it, an app before its plan); the
        step is forgotten only once all of them went, so that the next destroy still knows what is left."""
        if not all(self._delete(removal, report, purge_vaults) for removal in own):
            return False
        if own[0].step not in kept:
            self._forget(own[0].step)
        return True

    def _delete(self, removal: Removal, report: Callable[[TeardownEvent], None], purge_vault: bool) -> bool:
        try:
            report(TeardownEvent("deleting", removal.resource_id))
            self.client.resources.begin_delete_by_id(
                removal.resource_id, api_version=self._api_version(removal.resource_id)
            ).result()
            report(TeardownEvent("deleted", removal.resource_id))
            if removal.soft_deletes and purge_vault:
                target = f"key vault {removal.name}"
                report(TeardownEvent("purging", target, f"soft-deleted in {removal.location}"))
                self.connection.clients.get(VAULTS).vaults.begin_purge_deleted(removal.name, removal.location).result()
                report(TeardownEvent("purged", target))
        except Exception as error:
            report(TeardownEvent("failed", removal.resource_id, explain(error).one_line()))
            return False
        return True

    def _forget(self, key: str) -> None:
        self.checkpoint.update(key, status=StepStatus.PENDING, outputs={}, continuation_token=None, error=None)

    def _remove_group(self, report: Callable[[TeardownEvent], None]) -> bool:
        from azure.core.exceptions import ResourceNotFoundError

        name = self.plan.names.resource_group
        target = f"resource group {name}"
        try:
            group = self.client.resource_groups.get(name)
        except ResourceNotFoundError:
            self._forget(GROUP_STEP)
            return True
        if not _made_by_wizard(group.tags):
            report(TeardownEvent("kept", target, "scoring-wizard did not create it"))
            return True
        left = [resource.id for resource in self.client.resources.list_by_resource_group(name)]
        if left:
            report(TeardownEvent("kept", target, f"it still holds {len(left)} other resources, e.g. {left[0]}"))
            return True
        report(TeardownEvent("deleting", target))
        self.client.resource_groups.begin_delete(name).result()
        self._forget(GROUP_STEP)
        report(TeardownEvent("deleted", target))
        return True
