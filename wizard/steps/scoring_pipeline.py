"""The batch-scoring pipeline registered in the workspace: the sample input as a data asset, the scoring
component (code and model from assets/pipeline) and the pipeline component with its `batch_size` input."""

from __future__ import annotations

from typing import Any

from wizard.ml import pipeline
from wizard.ml.client import for_step
from wizard.names import Names
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext

PIPELINE = "scoring_pipeline"
VERSION = "1"


class ScoringPipeline(Step):
    key = "scoring-pipeline"
    title = "Scoring pipeline"
    needs = ("workspace",)
    provides = ("component_id", "data", "summary")
    providers = ("Microsoft.MachineLearningServices",)

    def describe(self, names: Names) -> str:
        return f"Pipeline component {PIPELINE} and sample data {pipeline.SAMPLE_DATA} in {names.workspace}"

    def find(self, ctx: StepContext) -> Outputs | None:
        from azure.core.exceptions import ResourceNotFoundError

        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        try:
            component = ml.components.get(PIPELINE, VERSION)
            ml.data.get(pipeline.SAMPLE_DATA, pipeline.DATA_VERSION)
        except ResourceNotFoundError:
            return None
        return self.outputs(ctx, component)

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        ctx.progress(f"uploading the sample input as {pipeline.SAMPLE_DATA}")
        pipeline.upload_sample(ctx.clients, ctx.outputs["workspace"]["id"])
        ctx.progress(f"registering components score_batch and {PIPELINE}")
        return Done(pipeline.register_pipeline(ml))

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {
            "component_id": result.id,
            "data": f"azureml:{pipeline.SAMPLE_DATA}:{pipeline.DATA_VERSION}",
            "summary": f"{result.name}:{result.version} with inputs {', '.join(result.inputs)}",
        }
