"""The answers being typed, kept apart from the screens so that going back and forth never loses a value.

Each question screen reads its initial values from the draft and writes every change back; only the review
screen turns the draft into validated `Answers`.
"""

from __future__ import annotations

from typing import Any

from wizard import answers as answer_files
from wizard.answers import Answers, AnswersError, CloudName

# Stands in for answers not given yet when deciding which questions apply (it is never shown or saved).
_PLACEHOLDER = {
    "subscription_id": "00000000-0000-0000-0000-000000000000",
    "region": "eastus",
    "resource_group": "rg",
    "prefix": "scoring",
}

# Used only when no demo answers exist; every value passes the engine's rules.
REAL_DEFAULTS: dict[str, Any] = {
    "cloud": CloudName.AZURE.value,
    "sign_in": "cli",
    "region": "eastus",
    "resource_group": "rg-scoring",
    "prefix": "scoring",
    "vm_os": "linux",
    "admin_username": "azureuser",
    "gpu_cluster": False,
    "scheduler": "amlschedule",
    "auto_shutdown": "19:00",
    "recurrence": {"frequency": "Day", "interval": 1, "time_zone": "UTC"},
}


def demo_defaults() -> dict[str, Any]:
    """The example answers the headless demo runs, so Enter through every question reproduces it."""
    from wizard.cli import DEMO_ANSWERS
    from wizard.resources import asset

    return answer_files.load(asset(DEMO_ANSWERS)).model_dump(mode="json", exclude_none=True)


class Draft:
    """A mutable mapping of answer fields (nested `recurrence` as a dict)."""

    def __init__(self, values: dict[str, Any]):
        self.values = dict(values)
        self.values["recurrence"] = dict(values.get("recurrence", {}))

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def set(self, name: str, value: Any) -> None:
        if value is None or value == "":
            self.values.pop(name, None)
        else:
            self.values[name] = value

    def set_recurrence(self, name: str, value: Any) -> None:
        self.values["recurrence"][name] = value

    def context(self) -> dict[str, Any]:
        """The other answers a single field's rule depends on (a region depends on the cloud)."""
        return {"cloud": self.values.get("cloud", CloudName.AZURE.value)}

    def to_answers(self) -> Answers:
        """Validated answers; raises AnswersError with one line per problem."""
        data = dict(self.values)
        if data.get("auto_shutdown") in (None, ""):
            data["auto_shutdown"] = None
        return answer_files.parse(data)

    def schedules(self, scheduler: str | None = None) -> bool:
        """Whether the plan for these answers (with `scheduler`, if given) builds a scheduler: only then does the
        recurrence mean anything.

        Answers still being typed (or invalid) decide nothing here, so the plan is built from the scheduler on
        placeholder answers when the whole draft is not valid yet."""
        from wizard import plan as planning

        chosen = scheduler or self.values.get("scheduler", "amlschedule")
        try:
            answers = Draft({**self.values, "scheduler": chosen}).to_answers()
        except AnswersError:
            answers = answer_files.parse({**_PLACEHOLDER, "scheduler": chosen})
        return bool(planning.build(answers).scheduler_steps)
