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
