"""`scoring-wizard plan`'s report: the steps as Azure stands, and the preflight's problems, as text or JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from wizard.answers import Answers
from wizard.preflight import Findings
from wizard.survey import EXISTS, Planned


@dataclass(frozen=True)
class PlanReport:
    answers: Answers
    planned: list[Planned]
    preflight: Findings

    def as_json(self) -> dict[str, Any]:
        return {
            "steps": [asdict(item) for item in self.planned],
            "problems": [{"step": problem.step, **asdict(problem.error)} for problem in self.preflight.problems],
            "unchecked": self.preflight.unchecked,
        }

    def lines(self) -> list[str]:
        answers = self.answers
        lines = [f"Setup {answers.resource_group} in {answers.region} · subscription {answers.subscription_id}"]
        for item in self.planned:
            note = f"  ({item.note})" if item.note else ""
            lines.append(f"  {item.action:<8} {item.key:<20} {item.description}{note}")
        creating = sum(item.action != EXISTS for item in self.planned)
        lines.append(f"{creating} of {len(self.planned)} steps would create or update something; nothing was changed.")
        return lines + self.preflight.lines()
