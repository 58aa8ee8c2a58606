"""The batch endpoint whose default deployment is the scoring pipeline: the REST URL schedulers call (the v2 form
of the seed's "published pipeline"), authenticated by Entra tokens for https://ml.azure.com."""

from __future__ import annotations

from typing import Any

from wizard.ml import pipeline
from wizard.ml.client import for_step
from wizard.names import Names
from wizard.steps.base import Background, Operation, Outputs, Step, StepContext


class BatchEndpoint(Step):
    key = "batch-endpoint"
    title = "Batch endpoint"
    needs = ("workspace", "cpu-cluster", "scoring-pipeline")
    provides = ("id", "name", "scoring_uri", "deployment", "inputs", "summary")
    providers = ("Microsoft.MachineLearningServices",)

    def describe(self, names: Names) -> str:
        return f"Batch endpoint {names.batch_endpoint} with the pipeline as default deployment {names.batch_deployment}"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        try:
            endpoint = ml.batch_endpoints.get(ctx.names.batch_endpoint)
            ml.batch_deployments.get(ctx.names.batch_deployment, ctx.names.batch_endpoint)
        except ResourceNotFoundError:
            return None
        # The SDK's deployment model does not show a pipeline deployment's component; its version is fixed.
        wanted = endpoint.defaults.deployment_name == ctx.names.batch_deployment
        return self.outputs(ctx, endpoint) if wanted else None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        names = ctx.names
        ctx.progress(f"PUT batchEndpoints/{names.batch_endpoint} and deployments/{names.batch_deployment}")
        component = ctx.outputs["scoring-pipeline"]["component_id"]
        compute = ctx.outputs["cpu-cluster"]["name"]
        return Background(lambda: pipeline.deploy(ml, names.batch_endpoint, names.batch_deployment, component, compute))

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        inputs = pipeline.invoke_body(ctx.outputs["scoring-pipeline"]["data"], ctx.answers.pipeline.batch_size)
        return {
            "id": result.id,
            "name": result.name,
            "scoring_uri": result.scoring_uri,
            "deployment": ctx.names.batch_deployment,
            "inputs": inputs,
            "summary": f"{result.scoring_uri} (default deployment {ctx.names.batch_deployment})",
        }
