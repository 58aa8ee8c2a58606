"""--plain after a failure whose remedy is an answer: it offers to change that answer and resume."""

from __future__ import annotations

from pathlib import Path

from screens import plain
from wizard.answers import parse
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import Checkpoint, StepStatus
from wizard.emulator import DEMO


class Prompt:
    def __init__(self, answer):
        self.answer = answer

    def ask(self):
        return self.answer


def test_a_failure_asking_for_another_address_is_fixed_by_typing_it(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "setup.json"
    answers = {"cloud": "AzureEmulator", "subscription_id": DEMO.subscription_id, "region": "eastus"}
    with Checkpoint.open(path, parse({**answers, "resource_group": "rg-x", "prefix": "xyz"})) as checkpoint:
        checkpoint.update("dsvm-firewall", status=StepStatus.FAILED, error=ErrorInfo("CallerIpUnknown", "?"))
    asked: list[str] = []

    def confirm(message: str, **_):
        asked.append(message)
        return Prompt(True)

    def text(message: str, default: str, validate):
        assert validate("not an address") is not True
        return Prompt("198.51.100.4")

    monkeypatch.setattr(plain.questionary, "confirm", confirm)
    monkeypatch.setattr(plain.questionary, "text", text)
    changed = plain.offer_remedy(path)
    assert asked == ["Change Connect from now and resume?"]
    assert changed is not None and changed.allowed_source_ip == "198.51.100.4"


def test_a_failure_no_answer_fixes_offers_nothing(tmp_path: Path) -> None:
    path = tmp_path / "setup.json"
    answers = {"cloud": "AzureEmulator", "subscription_id": DEMO.subscription_id, "region": "eastus"}
    with Checkpoint.open(path, parse({**answers, "resource_group": "rg-x", "prefix": "xyz"})) as checkpoint:
        checkpoint.update("dsvm-firewall", status=StepStatus.FAILED, error=ErrorInfo("AuthorizationFailed", "?"))
    assert plain.offer_remedy(path) is None
