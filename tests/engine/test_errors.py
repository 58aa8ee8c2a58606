"""ARM errors become what happened and what to do, from one data table."""

import pytest

from wizard.azure.errors import StepError, explain, hint_for

REQUIRED = [
    "AuthorizationFailed",
    "MissingSubscriptionRegistration",
    "RequestDisallowedByPolicy",
    "SkuNotAvailable",
    "QuotaExceeded",
    "OperationNotAllowed",
    "ResourceGroupNotFound",
    "InvalidResourceName",
    "Conflict",
]


@pytest.mark.parametrize("code", REQUIRED)
def test_each_common_arm_error_has_a_remedy(code):
    hint = hint_for(code)
    assert hint["what"] and hint["todo"] and hint["link"].startswith("https://")


def test_throttling_falls_back_to_the_status_code():
    assert "throttling" in hint_for("SomethingNew", 429)["what"]
    assert hint_for("SomethingNew", 503)["todo"]


def test_step_errors_carry_their_hint():
    info = explain(StepError("SkuNotAvailable", "Standard_X is not offered", todo="try Standard_D2s_v5"))
    assert info.code == "SkuNotAvailable" and info.todo == "try Standard_D2s_v5"
    assert info.link


def test_a_missing_sign_in_says_how_to_sign_in_without_a_traceback():
    from azure.identity import AzureCliCredential

    with pytest.raises(Exception) as caught:
        AzureCliCredential(process_timeout=5).get_token("https://management.azure.com/.default")
    info = explain(caught.value)
    assert info.code == "CredentialUnavailable"
    assert "az login" in info.todo
    assert "\n" not in info.message


def test_every_code_the_wizard_raises_itself_has_a_row():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "wizard"
    raised = {"DeadlineExceeded", "MissingOutputs"}
    for source in root.rglob("*.py"):
        if "emulator" not in source.parts:
            raised |= set(re.findall(r'StepError\(\s*"(\w+)"', source.read_text(encoding="utf-8")))
    assert len(raised) > 5
    missing = sorted(code for code in raised if not hint_for(code).get("todo"))
    assert not missing, f"codes without a row in error_hints.toml: {missing}"


def test_a_rule_can_match_on_message_and_namespace():
    policy = "Resource 'st' was disallowed by policy. Reasons: storage accounts must use secure transfer (https)."
    storage = hint_for("RequestDisallowedByPolicy", 403, policy, "Microsoft.Storage")
    generic = hint_for("RequestDisallowedByPolicy", 403, policy, "Microsoft.Compute")
    assert "secure transfer" in storage["what"] and storage != generic
    assert "quota" in hint_for("UserError", 400, "Not enough quota: 24 vCPUs requested")["what"]
    assert hint_for("UserError", 400, "something else entirely") == {}


def test_an_offline_sign_in_blames_the_network_not_the_tenant():
    from azure.identity import ClientSecretCredential

    credential = ClientSecretCredential(
        "00000000-0000-0000-0000-000000000000", "client", "secret", authority="https://login.invalid", retry_total=0
    )
    with pytest.raises(Exception) as caught:
        credential.get_token("https://management.azure.com/.default")
    info = explain(caught.value)
    assert "network or DNS" in info.what and "tenant" not in info.todo


def test_a_failed_azure_ml_schedule_job_is_told_apart_from_a_failed_endpoint_call():
    job = hint_for(
        "ScheduledCallFailed", message="the run of schedule s did not start a scoring job: job j ended Failed"
    )
    call = hint_for("ScheduledCallFailed", message="the run of pipeline score-batch did not start a scoring job: 500")
    assert "schedule submitted its scoring pipeline job" in job["what"] and "call" in call["what"]
    assert "resume" in hint_for("UserError", message="Schedule 's' is disabled; enable it first")["todo"]
