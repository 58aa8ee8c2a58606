"""Run now, pause, resume and run history of a setup's scheduler, the same way for the steps and the CLI.

Each scheduler keeps its own vocabulary (Data Factory triggers start and stop, Logic Apps workflows and Azure ML
schedules are enabled and disabled; a pipeline run's activity output versus an action's outputsLink versus the job
itself), so all are read into one `RunRecord`: what a person checks is the same — did the run start a job, and if
not, what did the endpoint (or the job) say.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import requests

from wizard.answers import Scheduler
from wizard.azure.clients import ClientFactory
from wizard.names import Names

PIPELINE = "score-batch"
ACTIVITY = "score"
TRIGGER = "scoring-schedule"
LOGIC_TRIGGER = "Recurrence"
LOGIC_ACTION = "Score"
ML_AUDIENCE = "https://ml.azure.com"
_UNFINISHED = frozenset(
    {"Queued", "InProgress", "Running", "Waiting", "Canceling"}
    | {"NotStarted", "Preparing", "Provisioning", "Starting", "Finalizing", "CancelRequested"}  # Azure ML jobs
)
_DATAFACTORY_STATUS = re.compile(r"status code: '(\d{3})'")


@dataclass(frozen=True)
class RunRecord:
    """One finished (or still running) call of the endpoint by the scheduler."""

    run_id: str
    status: str
    started: str
    job: str = ""  # the scoring job's name when the endpoint started one
    http_status: int | None = None
    error: str = ""

    @property
    def finished(self) -> bool:
        return self.status not in _UNFINISHED

    @property
    def forbidden(self) -> bool:
        return self.http_status == 403

    def describe(self) -> str:
        outcome = f"job {self.job}" if self.job else self.error or self.status
        return f"{self.started}  {self.status:<10} {outcome}"


class SchedulerControl(Protocol):
    def enabled(self) -> bool: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def run_now(self) -> str: ...
    def run(self, run_id: str) -> RunRecord: ...
    def runs(self, count: int) -> list[RunRecord]: ...


def _job_name(body: Any) -> str:
    return str(body.get("name") or "") if isinstance(body, dict) else ""


class DataFactoryControl:
    def __init__(self, clients: ClientFactory, names: Names):
        self.client = clients.get("azure.mgmt.datafactory:DataFactoryManagementClient")
        self.group, self.factory = names.resource_group, names.data_factory

    def enabled(self) -> bool:
        return self.client.triggers.get(self.group, self.factory, TRIGGER).properties.runtime_state == "Started"

    def pause(self) -> None:
        self.client.triggers.begin_stop(self.group, self.factory, TRIGGER).result()

    def resume(self) -> None:
        self.client.triggers.begin_start(self.group, self.factory, TRIGGER).result()

    def run_now(self) -> str:
        return str(self.client.pipelines.create_run(self.group, self.factory, PIPELINE).run_id)

    def run(self, run_id: str) -> RunRecord:
        return self._record(self.client.pipeline_runs.get(self.group, self.factory, run_id))

    def runs(self, count: int) -> list[RunRecord]:
        found = self.client.pipeline_runs.query_by_factory(self.group, self.factory, _window()).value
        newest = sorted(found, key=lambda run: str(run.run_start), reverse=True)[:count]
        return [self._record(run) for run in newest]

    def _record(self, run: Any) -> RunRecord:
        started = str(run.run_start or "")
        if run.status in _UNFINISHED:
            return RunRecord(run.run_id, run.status, started)
        activities = self.client.activity_runs.query_by_pipeline_run(self.group, self.factory, run.run_id, _window())
        activity = next((a for a in activities.value if a.activity_name == ACTIVITY), None)
        if activity is None:
            return RunRecord(run.run_id, run.status, started, error=run.message or "the Web activity did not run")
        if run.status == "Succeeded":
            return RunRecord(run.run_id, run.status, started, job=_job_name(activity.output), http_status=200)
        message = str((activity.error or {}).get("message") or run.message or "")
        status = _DATAFACTORY_STATUS.search(message)
        return RunRecord(run.run_id, run.status, started, http_status=int(status[1]) if status else None, error=message)


def _window() -> Any:
    from azure.mgmt.datafactory.models import RunFilterParameters

    now = datetime.now(UTC)
    return RunFilterParameters(last_updated_after=now - timedelta(days=30), last_updated_before=now + timedelta(days=1))


class LogicControl:
    def __init__(self, clients: ClientFactory, names: Names, verify: str | bool):
        self.client = clients.get("azure.mgmt.logic:LogicManagementClient")
        self.group, self.workflow, self.verify = names.resource_group, names.logic_workflow, verify

    def enabled(self) -> bool:
        return self.client.workflows.get(self.group, self.workflow).state == "Enabled"  # a str enum

    def pause(self) -> None:
        self.client.workflows.disable(self.group, self.workflow)

    def resume(self) -> None:
        self.client.workflows.enable(self.group, self.workflow)

    def run_now(self) -> str:
        """Fire the Recurrence trigger; the service answers 202 without the run, so the new run is looked up."""
        before = {run.name for run in self.client.workflow_runs.list(self.group, self.workflow)}
        self.client.workflow_triggers.run(self.group, self.workflow, LOGIC_TRIGGER)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            new = [
                run.name for run in self.client.workflow_runs.list(self.group, self.workflow) if run.name not in before
            ]
            if new:
                return str(min(new))
            time.sleep(0.5)
        raise TimeoutError(f"the trigger of {self.workflow} was fired but no run appeared in its history")

    def run(self, run_id: str) -> RunRecord:
        return self._record(self.client.workflow_runs.get(self.group, self.workflow, run_id))

    def runs(self, count: int) -> list[RunRecord]:
        found = sorted(self.client.workflow_runs.list(self.group, self.workflow), key=lambda r: r.name, reverse=True)
        return [self._record(run) for run in found[:count]]

    def _record(self, run: Any) -> RunRecord:
        status, started = str(run.status), str(run.start_time or "")
        if status in _UNFINISHED:
            return RunRecord(run.name, status, started)
        action = self.client.workflow_run_actions.get(self.group, self.workflow, run.name, LOGIC_ACTION)
        outputs: dict[str, Any] = {}
        if action.outputs_link is not None:
            outputs = requests.get(action.outputs_link.uri, verify=self.verify, timeout=30).json()
        http_status = outputs.get("statusCode") or (int(action.code) if str(action.code).isdigit() else None)
        if status == "Succeeded":
            return RunRecord(run.name, status, started, job=_job_name(outputs.get("body")), http_status=http_status)
        body = outputs.get("body") or {}
        detail = body.get("error", body) if isinstance(body, dict) else body
        return RunRecord(run.name, status, started, http_status=http_status, error=f"HTTP {http_status}: {detail}")


class AmlScheduleControl:
    """An Azure ML schedule: each run is a pipeline job the schedule submitted, so the run is its job."""

    def __init__(self, clients: ClientFactory, names: Names, verify: str | bool):
        from wizard.ml.client import ml_client

        self.clients, self.schedule, self.verify = clients, names.aml_schedule, verify
        self.ml = ml_client(
            clients.cloud,
            clients.credential,
            clients.subscription_id,
            names.resource_group,
            names.workspace,
            clients.read_timeout,
        )

    def enabled(self) -> bool:
        return bool(self.ml.schedules.get(self.schedule).is_enabled)

    def pause(self) -> None:
        self.ml.schedules.begin_disable(self.schedule).result()

    def resume(self) -> None:
        self.ml.schedules.begin_enable(self.schedule).result()

    def run_now(self) -> str:
        """Trigger the schedule once: the service submits one job from the schedule's own definition."""
        return str(self.ml.schedules.trigger(self.schedule).job_name)

    def run(self, run_id: str) -> RunRecord:
        return self._record(self.ml.jobs.get(run_id))

    def runs(self, count: int) -> list[RunRecord]:
        found = sorted(self.ml.jobs.list(scheduled_job_name=self.schedule), key=_created, reverse=True)
        return [self._record(job) for job in found[:count]]

    def _record(self, job: Any) -> RunRecord:
        state = str(getattr(job.status, "value", job.status))  # azure-ai-ml's JobStatus prints as JobStatus.X
        status, started = {"Completed": "Succeeded"}.get(state, state), _created(job)
        if status == "Succeeded":
            return RunRecord(job.name, status, started, job=job.name)
        if status in _UNFINISHED:
            return RunRecord(job.name, status, started)
        return RunRecord(job.name, status, started, error=f"job {job.name} ended {state}: {self._why(job.name)}")

    def _why(self, job: str) -> str:
        from wizard.ml import calling

        workspace = self.ml.workspaces.get(self.ml.workspace_name)
        return calling.run_error(self.clients.token(), workspace.discovery_url, workspace.id, job, self.verify)


def _created(job: Any) -> str:
    return str(job.creation_context.created_at if job.creation_context else "")


TIMER_FUNCTION = "scheduled_scoring"  # the timer function of assets/functions/function_app.py
TIMER_DISABLED = f"AzureWebJobs.{TIMER_FUNCTION}.Disabled"  # the host's own switch for one function


class FunctionsControl:
    """The function app: pausing disables its timer function through the host's app setting (run now stays
    available); runs are what the app recorded, read through its own function-key protected HTTP functions."""

    def __init__(self, clients: ClientFactory, names: Names, verify: str | bool):
        self.client = clients.get("azure.mgmt.web:WebSiteManagementClient")
        self.group, self.app, self.verify = names.resource_group, names.function_app, verify

    def settings(self) -> dict[str, str]:
        return dict(self.client.web_apps.list_application_settings(self.group, self.app).properties or {})

    def enabled(self) -> bool:
        return self.settings().get(TIMER_DISABLED, "false").lower() != "true"

    def _switch(self, disabled: bool) -> None:
        from azure.mgmt.web.models import StringDictionary

        settings = self.settings() | {TIMER_DISABLED: str(disabled).lower()}
        self.client.web_apps.update_application_settings(self.group, self.app, StringDictionary(properties=settings))

    def pause(self) -> None:
        self._switch(True)

    def resume(self) -> None:
        self._switch(False)

    def _call(self, method: str, route: str, **params: str) -> Any:
        """One call of the app's HTTP functions with its default function key, read now and never kept."""
        host = self.client.web_apps.get(self.group, self.app).properties.default_host_name
        key = (self.client.web_apps.list_host_keys(self.group, self.app).function_keys or {})["default"]
        reply = requests.request(
            method,
            f"https://{host}/api/{route}",
            params=params,
            headers={"x-functions-key": key},
            verify=self.verify,
            timeout=120,
        )
        reply.raise_for_status()
        return reply.json()

    def run_now(self) -> str:
        return str(self._call("POST", "run")["run_id"])

    def run(self, run_id: str) -> RunRecord:
        return _function_record(self._call("GET", "runs", id=run_id)[0])

    def runs(self, count: int) -> list[RunRecord]:
        return [_function_record(found) for found in self._call("GET", "runs", count=str(count))]


def _function_record(found: dict[str, Any]) -> RunRecord:
    return RunRecord(
        str(found["run_id"]),
        str(found["status"]),
        str(found.get("started") or ""),
        job=str(found.get("job") or ""),
        http_status=found.get("http_status"),
        error=str(found.get("error") or ""),
    )


def control_for(scheduler: Scheduler, clients: ClientFactory, names: Names, verify: str | bool) -> SchedulerControl:
    """The chosen scheduler's control; a scheduler without one has nothing the wizard can pause yet."""
    if scheduler is Scheduler.DATA_FACTORY:
        return DataFactoryControl(clients, names)
    if scheduler is Scheduler.LOGIC_APPS:
        return LogicControl(clients, names, verify)
    if scheduler is Scheduler.AML_SCHEDULE:
        return AmlScheduleControl(clients, names, verify)
    if scheduler is Scheduler.FUNCTIONS:
        return FunctionsControl(clients, names, verify)
    raise LookupError(f"pause, resume and status are not available for the {scheduler.value} scheduler yet")
