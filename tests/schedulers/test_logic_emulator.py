"""Logic Apps in the emulator through azure-mgmt-logic: the wizard's definition runs; any other is stored, and an
HTTP action the emulator could not run as written is refused."""

import time
from datetime import datetime

import pytest
import requests
from azure.core.exceptions import HttpResponseError
from azure.mgmt.logic import LogicManagementClient
from azure.mgmt.logic.models import ManagedServiceIdentity, Workflow
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.providers import register
from wizard.answers import Recurrence
from wizard.schedule.recurrence import logic_recurrence_trigger

GROUP, WORKFLOW = "rg-logic", "la-demo"


@pytest.fixture
def logic(make_client) -> LogicManagementClient:
    resources = make_client(ResourceManagementClient)
    register(resources, "Microsoft.Logic")
    resources.resource_groups.create_or_update(GROUP, {"location": "westeurope"})
    return make_client(LogicManagementClient)


EVERY_MINUTE = Recurrence(frequency="Minute", start=datetime(2026, 1, 1))


def _workflow(
    url: str,
    recurrence: Recurrence = EVERY_MINUTE,
    *,
    state: str = "Enabled",
    auth_type: str = "ManagedServiceIdentity",
) -> Workflow:
    action = {
        "type": "Http",
        "runAfter": {},
        "inputs": {
            "method": "POST",
            "uri": url,
            "body": {"batch_size": 50},
            "authentication": {"type": auth_type, "audience": "https://ml.azure.com"},
        },
    }
    definition = {
        "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
        "contentVersion": "1.0.0.0",
        "triggers": {"Recurrence": logic_recurrence_trigger(recurrence)},
        "actions": {"Score": action},
    }
    return Workflow(
        location="westeurope",
        identity=ManagedServiceIdentity(type="SystemAssigned"),
        definition=definition,
        state=state,
    )


def _finished_runs(logic: LogicManagementClient, count: int) -> list:
    deadline = time.monotonic() + 20
    while True:
        runs = [run for run in logic.workflow_runs.list(GROUP, WORKFLOW) if run.status not in ("Running", "Waiting")]
        if len(runs) >= count:
            return runs
        assert time.monotonic() < deadline, "the runs did not finish"
        time.sleep(0.05)


def test_a_definition_outside_the_wizards_shape_is_refused(logic, scoring):
    with pytest.raises(HttpResponseError, match="ManagedServiceIdentity"):
        logic.workflows.create_or_update(GROUP, WORKFLOW, _workflow(scoring.url, auth_type="Raw"))


def test_any_definition_is_stored_and_an_action_the_emulator_cannot_reach_fails_its_run(logic):
    definition = {
        "triggers": {"manual": {"type": "Request", "kind": "Http", "inputs": {"schema": {}}}},
        "actions": {"Find_pet": {"type": "ApiConnection", "runAfter": {}, "inputs": {"method": "get", "path": "/"}}},
    }
    logic.workflows.create_or_update(GROUP, WORKFLOW, Workflow(location="westeurope", definition=definition))
    trigger = logic.workflow_triggers.get(GROUP, WORKFLOW, "manual")
    assert trigger.state == "Enabled" and trigger.workflow.type == "Microsoft.Logic/workflows/versions"
    logic.workflow_triggers.run(GROUP, WORKFLOW, "manual")
    (run,) = _finished_runs(logic, 1)
    assert (
        run.status == "Failed"
        and logic.workflow_run_actions.get(GROUP, WORKFLOW, run.name, "Find_pet").status == "Failed"
    )


def test_run_now_runs_once_and_a_disabled_workflow_neither_runs_nor_fires(logic, scoring):
    monthly = Recurrence(frequency="Month", start=datetime(2026, 1, 15))  # never due during the test
    workflow = logic.workflows.create_or_update(GROUP, WORKFLOW, _workflow(scoring.url, monthly, state="Disabled"))
    scoring.allowed.add(workflow.identity.principal_id)
    with pytest.raises(HttpResponseError, match="disabled"):
        logic.workflow_triggers.run(GROUP, WORKFLOW, "Recurrence")
    logic.workflows.enable(GROUP, WORKFLOW)
    logic.workflow_triggers.run(GROUP, WORKFLOW, "Recurrence")
    (run,) = _finished_runs(logic, 1)
    assert run.status == "Succeeded" and len(scoring.calls) == 1

    logic.workflows.create_or_update(GROUP, WORKFLOW, _workflow(scoring.url, state="Disabled"))  # every minute
    time.sleep(1.5)  # two occurrences come due at the tests' latency scale
    assert len(scoring.calls) == 1


def test_an_enabled_workflow_fires_when_due_and_history_shows_the_job_and_the_403(logic, scoring, emulator):
    workflow = logic.workflows.create_or_update(GROUP, WORKFLOW, _workflow(scoring.url))
    scoring.allowed.add(workflow.identity.principal_id)
    first = _finished_runs(logic, 1)[-1]
    assert first.status == "Succeeded" and first.trigger.name == "Recurrence"
    action = logic.workflow_run_actions.get(GROUP, WORKFLOW, first.name, "Score")
    assert action.status == "Succeeded"
    outputs = requests.get(action.outputs_link.uri, verify=str(emulator.ca_path), timeout=10).json()
    assert outputs["statusCode"] == 200 and outputs["body"]["name"].startswith("batchjob-")
    assert scoring.calls[0] == {"body": {"batch_size": 50}, "principal": workflow.identity.principal_id}

    scoring.allowed.clear()  # the role assignment removed: the next occurrence gets 403
    deadline = time.monotonic() + 20
    while not (failed := [run for run in logic.workflow_runs.list(GROUP, WORKFLOW) if run.status == "Failed"]):
        assert time.monotonic() < deadline, "no run failed after the role was removed"
        time.sleep(0.05)
    failed = failed[0]
    assert logic.workflow_run_actions.get(GROUP, WORKFLOW, failed.name, "Score").code == "403"
