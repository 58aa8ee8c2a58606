"""--plain at 80 columns (issue 11 item 18): every choice fits on its line, explanations come before the question
instead of inside it, and the VM size question names its default."""

from __future__ import annotations

from screens import plain
from screens.draft import Draft, demo_defaults


class Prompt:
    def __init__(self, answer):
        self.answer = answer

    def ask(self):
        return self.answer


def test_every_plain_question_fits_80_columns(emulator, monkeypatch, capsys) -> None:
    questions: list[tuple[str, list[str]]] = []

    def select(message: str, choices, default=None, **_):
        questions.append((message, [choice.title for choice in choices]))
        return Prompt(default)

    def text(message: str, default: str, validate):
        questions.append((message, []))
        return Prompt(default)

    monkeypatch.setattr(plain.questionary, "select", select)
    monkeypatch.setattr(plain.questionary, "text", text)
    monkeypatch.setattr(plain.questionary, "confirm", lambda message, default=None: Prompt(default))
    monkeypatch.setattr(plain.caller_ip, "detect", lambda timeout: "203.0.113.7")
    draft = plain.ask_answers(Draft({**demo_defaults(), "scheduler": "datafactory"}), emulator)
    assert draft.to_answers().scheduler.value == "datafactory"
    messages = [message for message, _ in questions]
    assert "VM size (empty for Standard_D4s_v5)" in messages
    assert any(message.startswith("Run the pipeline every") for message in messages)  # the schedule was asked
    for message, choices in questions:
        assert len(message) <= 60 and "filter" not in message, message
        assert all(len(choice) <= plain.CHOICE_WIDTH for choice in choices), (message, choices)
    printed = capsys.readouterr().out.splitlines()
    assert all(len(line) <= 80 for line in printed), [line for line in printed if len(line) > 80]
