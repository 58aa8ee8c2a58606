"""Auto-shutdown of the DSVM every day at the chosen time, so a forgotten dev box stops costing compute.

This is the schedule the portal's "Auto-shutdown" blade creates: a Microsoft.DevTestLab/schedules resource that
must be named `shutdown-computevm-<vm>`, targeting the VM. It deallocates the VM (the static public IP and the
disk stay); the user starts it again from the portal when needed. Left out of the plan when the user chose no
auto-shutdown.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.devtestlabs import DevTestLabsClient
from azure.mgmt.devtestlabs.models import DayDetails, NotificationSettings, Schedule

from wizard.answers import Answers
from wizard.names import Names
from wizard.steps.base import Done, Operation, Outputs, Step, StepContext
from wizard.steps.resource_group import TAGS

TASK_TYPE = "ComputeVmShutdownTask"


def schedule_name(names: Names) -> str:
    return f"shutdown-computevm-{names.vm}"


def _clock(answers: Answers) -> str:
    """ "19:00" as the API writes it, "1900"."""
    return (answers.auto_shutdown or "").replace(":", "")


class DsvmShutdown(Step):
    key = "dsvm-shutdown"
    title = "DSVM auto-shutdown"
    needs = ("dsvm",)
    providers = ("Microsoft.DevTestLab",)

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return answers.auto_shutdown is not None

    def describe(self, names: Names) -> str:
        return f"Daily auto-shutdown of {names.vm} ({schedule_name(names)})"

    def find(self, ctx: StepContext) -> Outputs | None:
        client = ctx.clients.get(DevTestLabsClient)
        try:
            schedule = client.global_schedules.get(ctx.names.resource_group, schedule_name(ctx.names))
        except ResourceNotFoundError:
            return None
        as_wanted = (
            schedule.status == "Enabled"
            and schedule.daily_recurrence is not None
            and schedule.daily_recurrence.time == _clock(ctx.answers)
            and schedule.time_zone_id == ctx.answers.auto_shutdown_time_zone
            and (schedule.target_resource_id or "").lower() == ctx.outputs["dsvm"]["id"].lower()
        )
        return self.outputs(ctx, schedule) if as_wanted else None

    def start(self, ctx: StepContext, continuation_token: str | None = None) -> Operation:
        client = ctx.clients.get(DevTestLabsClient)
        name = schedule_name(ctx.names)
        body = Schedule(
            location=ctx.answers.region,
            tags=TAGS,
            status="Enabled",
            task_type=TASK_TYPE,
            daily_recurrence=DayDetails(time=_clock(ctx.answers)),
            time_zone_id=ctx.answers.auto_shutdown_time_zone,
            notification_settings=NotificationSettings(status="Disabled"),
            target_resource_id=ctx.outputs["dsvm"]["id"],
        )
        ctx.progress(f"PUT Microsoft.DevTestLab/schedules/{name}")
        return Done(client.global_schedules.create_or_update(ctx.names.resource_group, name, body))

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        when = f"{ctx.answers.auto_shutdown} {ctx.answers.auto_shutdown_time_zone}"
        return {
            "id": result.id,
            "name": result.name,
            "time": ctx.answers.auto_shutdown,
            "time_zone": ctx.answers.auto_shutdown_time_zone,
            "summary": f"{ctx.names.vm} shuts down daily at {when}",
        }
