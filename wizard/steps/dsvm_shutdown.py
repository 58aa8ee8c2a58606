"""Auto-shutdown of the DSVM every day at the chosen time, so a forgotten dev box stops costing compute.

This is the schedule the portal's "Auto-shutdown" blade creates: a Microsoft.DevTestLab/schedules resource that
must be named `shutdown-computevm-<vm>`, targeting the VM. It deallocates the VM (the static public IP and the
disk stay); the user starts it again from the portal when needed. Left out of the plan when the user chose no
auto-shutdown.
"""

from __future__ import annotations

from typing import Any

from wizard.answers import Answers
from wizard.names import Names
from wizard.steps.arm_resource import ArmResource
from wizard.steps.base import Outputs, StepContext
from wizard.steps.resource_group import TAGS

TASK_TYPE = "ComputeVmShutdownTask"


def _clock(answers: Answers) -> str:
    """ "19:00" as the API writes it, "1900"."""
    return (answers.auto_shutdown or "").replace(":", "")


class DsvmShutdown(ArmResource):
    key = "dsvm-shutdown"
    title = "DSVM auto-shutdown"
    needs = ("dsvm",)
    provides = ("id", "name", "time", "time_zone", "summary")
    providers = ("Microsoft.DevTestLab",)
    client = "azure.mgmt.devtestlabs:DevTestLabsClient"
    collection = "global_schedules"
    resource_type = "Microsoft.DevTestLab/schedules"
    api_version = "2018-09-15"
    long_running = False

    @classmethod
    def applies(cls, answers: Answers) -> bool:
        return answers.auto_shutdown is not None

    def describe(self, names: Names) -> str:
        return f"Daily auto-shutdown of {names.vm} ({names.shutdown_schedule})"

    def resource_name(self, names: Names) -> str:
        return names.shutdown_schedule

    def as_wanted(self, ctx: StepContext, existing: Any) -> bool:
        return (
            existing.status == "Enabled"
            and existing.daily_recurrence is not None
            and existing.daily_recurrence.time == _clock(ctx.answers)
            and existing.time_zone_id == ctx.answers.auto_shutdown_time_zone
            and (existing.target_resource_id or "").lower() == ctx.outputs["dsvm"]["id"].lower()
        )

    def body(self, ctx: StepContext) -> Any:
        from azure.mgmt.devtestlabs.models import DayDetails, NotificationSettings, Schedule

        return Schedule(
            location=ctx.answers.region,
            tags=TAGS,
            status="Enabled",
            task_type=TASK_TYPE,
            daily_recurrence=DayDetails(time=_clock(ctx.answers)),
            time_zone_id=ctx.answers.auto_shutdown_time_zone,
            notification_settings=NotificationSettings(status="Disabled"),
            target_resource_id=ctx.outputs["dsvm"]["id"],
        )

    def outputs(self, ctx: StepContext, result: Any) -> Outputs:
        when = f"{ctx.answers.auto_shutdown} {ctx.answers.auto_shutdown_time_zone}"
        return {
            "id": result.id,
            "name": result.name,
            "time": ctx.answers.auto_shutdown,
            "time_zone": ctx.answers.auto_shutdown_time_zone,
            "summary": f"{ctx.names.vm} shuts down daily at {when}",
        }
