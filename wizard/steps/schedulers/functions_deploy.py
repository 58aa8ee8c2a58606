"""The function app's code (assets/functions) zipped and published on every run, so the app runs this version.

Flex Consumption takes a package through its Kudu endpoint, ``POST {scm}/api/publish``, authenticated with an
Entra token for ARM (no publishing credentials, which Flex apps have off), sent through azure-core's pipeline so
a throttled or dropped publish is retried and an error is read as ARM's. ``RemoteBuild=true`` because the zip
carries only the code: the platform installs requirements.txt for Linux, which a zip built on this machine could
not do portably. The publish answers 202 and a deployment to follow until Kudu reports it Success or Failed.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from wizard.answers import Answers
from wizard.azure.errors import StepError
from wizard.names import Names
from wizard.resources import asset
from wizard.steps.base import Operation, Outputs, Step, StepContext, Waiting
from wizard.steps.schedulers.functions import CLIENT, chosen

PACKAGE = "functions"
SUCCESS, FAILED = 4, 3  # Kudu's DeployStatus


def package() -> bytes:
    """The function app folder as a zip, its files at the root as the host expects."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(asset(PACKAGE).iterdir()):
            if path.is_file() and path.suffix in (".py", ".json", ".txt"):
                archive.write(path, path.name)
    return buffer.getvalue()


class FunctionsDeploy(Step):
    key = "functions-deploy"
    title = "Function app code"
    needs = ("functions",)
    provides = ("deployment", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"Zip deploy of the timer and run-now functions to {names.function_app} (remote build)"

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        from azure.core.rest import HttpRequest

        site = ctx.clients.get(CLIENT).web_apps.get(ctx.names.resource_group, ctx.names.function_app)
        scm = next(state.name for state in site.properties.host_name_ssl_states if state.host_type == "Repository")
        kudu = ctx.clients.arm_pipeline()  # Kudu takes ARM's token; retries and timeouts as every SDK call's
        ctx.progress(f"POST https://{scm}/api/publish")
        reply = kudu.send_request(
            HttpRequest(
                "POST",
                f"https://{scm}/api/publish",
                params={"RemoteBuild": "true"},
                content=package(),
                headers={"Content-Type": "application/zip"},
            )
        )
        reply.raise_for_status()
        status_url = reply.headers["Location"]

        def check() -> dict[str, Any] | None:
            answer = kudu.send_request(HttpRequest("GET", status_url))
            answer.raise_for_status()
            found = answer.json()
            if found.get("status") == FAILED:
                raise StepError("FunctionsDeployFailed", f"the deployment failed: {found.get('status_text')}")
            return found if found.get("status") == SUCCESS else None

        return Waiting(check, interval=ctx.poll_interval)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        return {"deployment": result["id"], "summary": f"deployment {result['id']}: {result.get('status_text', '')}"}
