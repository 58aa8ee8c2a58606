"""One run now through the function app's HTTP trigger, read back from the runs the app recorded."""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.schedule.control import TIMER_DISABLED, TIMER_FUNCTION
from wizard.steps.base import Operation, Outputs, Step, StepContext
from wizard.steps.schedulers.functions import chosen, control
from wizard.steps.schedulers.verification import run_outputs, verified_run


class FunctionsVerify(Step):
    """Runs every time: the run-now function called, its record read until it shows the scoring job."""

    key = "functions-verify"
    title = "Function app run now"
    needs = ("functions", "functions-deploy", "workspace", "batch-endpoint")
    provides = ("job_name", "run_id", "portal", "trigger", "instructions", "summary")

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return chosen(answers)

    def describe(self, names: Names) -> str:
        return f"One run of {names.function_app} now, verified to start a scoring job"

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        return verified_run(ctx, control(ctx), f"function app {ctx.names.function_app}", continuation_token)

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        app, group = ctx.outputs["functions"], ctx.names.resource_group
        return run_outputs(
            result,
            portal=app["portal"],
            trigger=TIMER_FUNCTION,
            headline=f"Function app {app['name']} calls the endpoint on schedule (timer {TIMER_FUNCTION})",
            pause_natively=f"az functionapp config appsettings set --name {app['name']} --resource-group {group} "
            f"--settings {TIMER_DISABLED}=true",
        )
