"""A first run of the scoring pipeline on the CPU cluster, submitted as soon as the cluster and the pipeline exist.

A cluster that keeps no nodes takes 4-6 minutes to bring up its first one for a job, and the batch deployment
takes about as long. Submitted while the endpoint deploys, this run brings the node up meanwhile, so the smoke job
(and the scheduler's first run) find it up, within the cluster's idle time, instead of waiting for it once the
deployment is done. It also tries the pipeline on its own before the endpoint: a broken scoring step shows minutes
earlier. Followed to Completed as the smoke job is (a submission whose answer was lost is found, not repeated).
The cluster still keeps no nodes: the node goes away by itself after the idle time, so the run costs only the
minutes of node the smoke job would have started anyway.
"""

from __future__ import annotations

import uuid
from typing import Any

from wizard.ml import pipeline
from wizard.names import Names
from wizard.steps.base import Outputs, StepContext
from wizard.steps.smoke_call import SmokeCall

EXPERIMENT = "cluster-warmup"


class ClusterWarmUp(SmokeCall):
    key = "cluster-warmup"
    title = "First pipeline run on the cluster"
    needs = ("workspace", "cpu-cluster", "scoring-pipeline")
    provides = ("job_id", "job_name", "studio", "summary")

    def describe(self, names: Names) -> str:
        return (
            f"One run of the scoring pipeline on {names.cpu_cluster} while the endpoint deploys, so the cluster's "
            "first node is up for the smoke call"
        )

    def experiment(self, ctx: StepContext) -> str:
        return EXPERIMENT

    def submit(self, ctx: StepContext, ml: Any) -> str:
        scoring = ctx.outputs["scoring-pipeline"]
        job = pipeline.pipeline_job(
            scoring["component_id"],
            pipeline.invoke_body(scoring["data"], ctx.answers.pipeline.batch_size),
            ctx.outputs["cpu-cluster"]["name"],
            EXPERIMENT,
        )
        job.name = f"{EXPERIMENT}-{uuid.uuid4()}"  # named here: a PUT retried after a lost answer is the same job
        ctx.progress(f"PUT jobs/{job.name} (the scoring pipeline on {ctx.outputs['cpu-cluster']['name']})")
        return str(ml.jobs.create_or_update(job).name)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "job_id": result.id,
            "job_name": result.name,
            "studio": result.studio_url,
            "summary": f"job {result.name} Completed on {ctx.outputs['cpu-cluster']['name']}",
        }
