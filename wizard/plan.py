"""Answers → the steps to run, their dependencies and every resource name, decided before anything runs.

Names are deterministic (prefix plus a short hash of subscription and resource group for names Azure wants
globally unique) so that a resumed or repeated run addresses the very same resources. A new resource or
scheduler is a new module in `wizard/steps/` and one line in `STEPS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.answers import Answers
from wizard.names import Names, names_for
from wizard.secret_inputs import SecretSpec
from wizard.steps.app_insights import AppInsights
from wizard.steps.base import Step
from wizard.steps.batch_endpoint import BatchEndpoint
from wizard.steps.cluster_warmup import ClusterWarmUp
from wizard.steps.dsvm import Dsvm
from wizard.steps.dsvm_firewall import DsvmFirewall
from wizard.steps.dsvm_network import DsvmNetwork
from wizard.steps.dsvm_nic import DsvmNic
from wizard.steps.dsvm_public_ip import DsvmPublicIp
from wizard.steps.dsvm_shutdown import DsvmShutdown
from wizard.steps.endpoint_access import EndpointAccess
from wizard.steps.key_vault import KeyVault
from wizard.steps.log_analytics import LogAnalytics
from wizard.steps.ml_cluster import CpuCluster, GpuCluster
from wizard.steps.providers import RegisterProviders
from wizard.steps.resource_group import ResourceGroup
from wizard.steps.schedulers.amlschedule import AmlSchedule
from wizard.steps.schedulers.amlschedule_verify import AmlScheduleVerify
from wizard.steps.schedulers.datafactory import DataFactory
from wizard.steps.schedulers.datafactory_schedule import DataFactorySchedule
from wizard.steps.schedulers.datafactory_verify import DataFactoryVerify
from wizard.steps.schedulers.functions import FunctionApp
from wizard.steps.schedulers.functions_deploy import FunctionsDeploy
from wizard.steps.schedulers.functions_storage import FunctionsStorage
from wizard.steps.schedulers.functions_verify import FunctionsVerify
from wizard.steps.schedulers.logic import LogicWorkflow
from wizard.steps.schedulers.logic_verify import LogicVerify
from wizard.steps.scoring_pipeline import ScoringPipeline
from wizard.steps.smoke_call import SmokeCall
from wizard.steps.storage_account import StorageAccount
from wizard.steps.workspace import Workspace

STEPS: tuple[type[Step], ...] = (
    ResourceGroup,
    RegisterProviders,
    DsvmNetwork,
    DsvmFirewall,
    DsvmPublicIp,
    DsvmNic,
    Dsvm,
    DsvmShutdown,
    StorageAccount,
    KeyVault,
    LogAnalytics,
    AppInsights,
    Workspace,
    CpuCluster,
    GpuCluster,
    ScoringPipeline,
    BatchEndpoint,
    ClusterWarmUp,
    EndpointAccess,
    SmokeCall,
    DataFactory,
    DataFactorySchedule,
    DataFactoryVerify,
    LogicWorkflow,
    LogicVerify,
    AmlSchedule,
    AmlScheduleVerify,
    FunctionsStorage,
    FunctionApp,
    FunctionsDeploy,
    FunctionsVerify,
)

ALWAYS_REGISTERED = ("Microsoft.ContainerInstance",)
SCHEDULER_STEPS = "wizard.steps.schedulers."  # the package of the steps that build and check a scheduler


class PlanError(Exception):
    """The step graph is inconsistent (a step needs one that is not in the plan, or a cycle)."""


@dataclass(frozen=True)
class Plan:
    answers: Answers
    names: Names
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    @property
    def keys(self) -> list[str]:
        return [step.key for step in self.steps]

    @property
    def scheduler_steps(self) -> tuple[Step, ...]:
        """The steps that build the chosen scheduler; empty while that scheduler is not built by this wizard, so
        that the screens ask about a recurrence and promise a schedule only when the plan really makes one."""
        return tuple(step for step in self.steps if type(step).__module__.startswith(SCHEDULER_STEPS))

    def secrets(self) -> list[tuple[str, tuple[SecretSpec, ...]]]:
        """Each step's run-time secrets by step key, for `secret_inputs.pending`."""
        return [(step.key, step.secrets(self.answers)) for step in self.steps]


def _providers(chosen: list[type[Step]]) -> tuple[str, ...]:
    """Resource provider namespaces the chosen steps create resources in, plus ACI (per the recipe)."""
    wanted = {ns for step in chosen for ns in step.providers} | set(ALWAYS_REGISTERED)
    return tuple(sorted(wanted, key=str.lower))


def _ordered(steps: list[Step]) -> tuple[Step, ...]:
    """Topological order, stable with respect to STEPS, so that printouts are predictable."""
    keys = {s.key for s in steps}
    for step in steps:
        missing = [n for n in step.needs if n not in keys]
        if missing:
            raise PlanError(f"step {step.key} needs {', '.join(missing)}, which is not in the plan")
    ordered: list[Step] = []
    placed: set[str] = set()
    while len(ordered) < len(steps):
        ready = [s for s in steps if s.key not in placed and set(s.needs) <= placed]
        if not ready:
            raise PlanError("the steps' dependencies form a cycle")
        ordered.extend(ready)
        placed.update(s.key for s in ready)
    return tuple(ordered)


def build(answers: Answers) -> Plan:
    chosen = [cls for cls in STEPS if cls.applies(answers)]
    namespaces = _providers(chosen)
    steps = [RegisterProviders(namespaces) if cls is RegisterProviders else cls() for cls in chosen]
    return Plan(answers=answers, names=names_for(answers), steps=_ordered(steps))
