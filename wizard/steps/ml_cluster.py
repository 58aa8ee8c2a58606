"""The workspace's AmlCompute clusters: CPU always, GPU when asked. Both start at zero nodes and scale back down
after two idle minutes, so a cluster costs nothing between scoring runs; the size and the cluster quota for the
maximum node count are checked before anything is created."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.ml import cluster_sizes
from wizard.ml.client import for_step
from wizard.names import Names
from wizard.steps.base import Operation, Outputs, Step, StepContext, Waiting

IDLE_SECONDS = 120


def _state(cluster: Any) -> str:
    """The provisioning state as Azure wrote it (the SDK gives an enum whose str() is its member name)."""
    state = cluster.provisioning_state
    return str(getattr(state, "value", state) or "").lower()


class CpuCluster(Step):
    key = "cpu-cluster"
    title = "CPU compute cluster"
    needs = ("workspace",)
    provides = ("id", "name", "size", "max_nodes", "summary")
    providers = ("Microsoft.MachineLearningServices",)
    gpu = False

    def cluster_name(self, names: Names) -> str:
        return names.cpu_cluster

    def size(self, answers: Answers) -> str:
        return answers.cluster_vm_size

    def describe(self, names: Names) -> str:
        return f"AmlCompute cluster {self.cluster_name(names)} (0 nodes when idle)"

    def _get(self, ml: Any, name: str) -> Any | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return ml.compute.get(name)
        except ResourceNotFoundError:
            return None

    def find(self, ctx: StepContext) -> Outputs | None:
        existing = self._get(for_step(ctx, ctx.outputs["workspace"]["name"]), self.cluster_name(ctx.names))
        wanted = (
            existing is not None
            and _state(existing) == "succeeded"
            and existing.size.lower() == self.size(ctx.answers).lower()
            and existing.max_instances == ctx.answers.cluster_max_nodes
            and existing.min_instances == 0
        )
        return self.outputs(ctx, existing) if wanted else None

    def preflight(self, ctx: StepContext) -> None:
        """Before the workspace exists: its region is the answers' region."""
        size, region = self.size(ctx.answers), ctx.answers.region
        cluster_sizes.check(ctx.clients, region, size, ctx.answers.cluster_max_nodes, gpu=self.gpu)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ml = for_step(ctx, ctx.outputs["workspace"]["name"])  # first: see wizard.ml.client
        from azure.ai.ml.entities import AmlCompute

        name = self.cluster_name(ctx.names)
        existing = self._get(ml, name)
        if existing is not None and _state(existing) in ("creating", "updating"):
            return Waiting(lambda: self._settled(ml, name), interval=ctx.poll_interval)
        size, max_nodes = self.size(ctx.answers), ctx.answers.cluster_max_nodes
        ctx.progress(f"checking {size} against the cluster quota in {ctx.outputs['workspace']['location']}")
        cluster_sizes.check(ctx.clients, ctx.outputs["workspace"]["location"], size, max_nodes, gpu=self.gpu)
        ctx.progress(f"PUT workspaces/computes/{name}")
        cluster = AmlCompute(
            name=name,
            size=size,
            min_instances=0,
            max_instances=max_nodes,
            idle_time_before_scale_down=IDLE_SECONDS,
            tier="dedicated",
        )
        return ml.compute.begin_create_or_update(cluster)  # the poller: deadlines and stops apply to it

    def _settled(self, ml: Any, name: str) -> Any | None:
        current = self._get(ml, name)
        state = _state(current) if current is not None else "deleted"
        return current if state not in ("creating", "updating") else None

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "id": result.id,
            "name": result.name,
            "size": result.size,
            "max_nodes": result.max_instances,
            "summary": f"{result.name}: {result.size}, 0-{result.max_instances} nodes",
        }


class GpuCluster(CpuCluster):
    key = "gpu-cluster"
    title = "GPU compute cluster"
    gpu = True

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return answers.gpu_cluster

    def cluster_name(self, names: Names) -> str:
        return names.gpu_cluster

    def size(self, answers: Answers) -> str:
        return answers.gpu_cluster_vm_size
