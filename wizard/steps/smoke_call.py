"""The smoke call: POST the endpoint's scoring URI with the pipeline inputs, as a scheduler will, and follow the
job it starts to Completed, or show why it failed (the job's own error). The job's name is the step's
continuation token, so a run stopped while the job runs follows that same job on resume instead of starting a
second one; once a job has completed, a rerun keeps it (one read of the job) rather than calling again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wizard.azure.errors import StepError
from wizard.ml import calling
from wizard.ml.client import for_step
from wizard.names import Names
from wizard.steps import intents
from wizard.steps.base import Operation, Outputs, Step, StepContext, Waiting

FINISHED = ("Completed", "Failed", "Canceled")


class SmokeCall(Step):
    key = "smoke-call"
    title = "Smoke call of the endpoint"
    needs = ("workspace", "batch-endpoint")
    provides = ("job_id", "job_name", "studio", "output", "instructions", "summary")

    def describe(self, names: Names) -> str:
        return f"One scoring job through {names.batch_endpoint}, followed to Completed"

    def find(self, ctx: StepContext) -> Outputs | None:
        name = ctx.previous.get("job_name")
        if not name:
            return None
        from azure.core.exceptions import ResourceNotFoundError

        try:
            job = for_step(ctx, ctx.outputs["workspace"]["name"]).jobs.get(name)
        except ResourceNotFoundError:  # the workspace was made again since: that job went with the old one
            return None
        return ctx.previous if job.status == "Completed" else None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        ml = for_step(ctx, ctx.outputs["workspace"]["name"])
        if continuation_token:
            ctx.log(f"following scoring job {continuation_token}, started by an earlier run")
            return Waiting(lambda: self._finished(ctx, ml, continuation_token), ctx.poll_interval, continuation_token)
        name, earlier = intents.once(
            ctx,
            self.key,
            lambda since: self._job_since(ml, self.experiment(ctx), since),
            lambda: self.submit(ctx, ml),
        )
        if earlier:
            ctx.log(f"following scoring job {name}: an earlier run's call started it, but its answer was lost")
        ctx.log(f"scoring job {name} started")
        return Waiting(lambda: self._finished(ctx, ml, name), ctx.poll_interval, name)

    def experiment(self, ctx: StepContext) -> str:
        """The experiment the job is filed under (the endpoint's): where a job whose answer was lost is found."""
        return str(ctx.outputs["batch-endpoint"]["name"])

    def submit(self, ctx: StepContext, ml: Any) -> str:
        """Start the job (here: one call of the scoring URI); returns its name."""
        endpoint = ctx.outputs["batch-endpoint"]
        ctx.progress(f"POST {endpoint['scoring_uri']}")
        return self._invoke(ctx, endpoint)

    def _invoke(self, ctx: StepContext, endpoint: Outputs) -> str:
        """One call of the scoring URI; what went wrong said as the error table says it (a refusal with Azure's
        own code, a lost connection or answer as one that a resume gets past without a second job)."""
        import requests

        try:
            return calling.invoke(
                ctx.clients.credential,
                endpoint["scoring_uri"],
                endpoint["inputs"],
                ctx.cloud.connection_verify,
                timeout=ctx.clients.read_timeout or calling.TIMEOUT,
            )
        except requests.HTTPError as error:
            answer = error.response
            detail = answer.json().get("error", {}) if "json" in answer.headers.get("Content-Type", "") else {}
            raise StepError(
                str(detail.get("code") or answer.status_code), str(detail.get("message") or answer.text)
            ) from error
        except requests.Timeout as error:
            raise StepError("ServiceRequest", "the scoring URI did not answer in time") from error
        except requests.ConnectionError as error:
            raise StepError("ServiceRequest", "the connection to the scoring URI failed (it was reset)") from error

    @staticmethod
    def _job_since(ml: Any, endpoint: str, since: datetime) -> str | None:
        """The earliest job of the endpoint (its experiment) begun since then: what a call whose answer was lost
        started."""
        begun = [
            (at, job.name)
            for job in ml.jobs.list()
            if job.experiment_name == endpoint
            and job.creation_context is not None
            and (at := intents.moment(job.creation_context.created_at)) is not None
            and at >= since
        ]
        return min(begun)[1] if begun else None

    def _finished(self, ctx: StepContext, ml: Any, name: str) -> Any | None:
        job = ml.jobs.get(name)
        ctx.progress(f"job {name}: {job.status}")
        if job.status not in FINISHED:
            return None
        if job.status != "Completed":
            raise StepError(
                "JobFailed",
                f"scoring job {name} ended {job.status}: {self._why(ctx, name)}",
                todo=f"Read the job's log in the studio ({job.studio_url}), fix the input or the code, then resume.",
            )
        return job

    def _why(self, ctx: StepContext, name: str) -> str:
        workspace = ctx.outputs["workspace"]
        return calling.run_error(
            ctx.clients.token(), workspace["discovery_url"], workspace["id"], name, ctx.cloud.connection_verify
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        endpoint = ctx.outputs["batch-endpoint"]
        output = result.outputs["scored"].path if "scored" in (result.outputs or {}) else ""
        return {
            "job_id": result.id,
            "job_name": result.name,
            "studio": result.studio_url,
            "output": output,
            "instructions": [
                f"Scored output of the smoke job: {output}",
                f"  az ml job download --name {result.name} --output-name scored "
                f"--workspace-name {ctx.outputs['workspace']['name']} --resource-group {ctx.names.resource_group}",
                *calling.instructions(endpoint["scoring_uri"], endpoint["inputs"]),
            ],
            "summary": f"job {result.name} Completed; scored output at {output}",
        }
