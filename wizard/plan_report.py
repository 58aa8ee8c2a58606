"""`scoring-wizard plan`'s report: the steps as Azure stands, and the preflight's problems, as text or JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from wizard.answers import Answers
from wizard.costs import Estimate, total
from wizard.preflight import Findings
from wizard.survey import EXISTS, Planned


@dataclass(frozen=True)
class PlanReport:
    answers: Answers
    planned: list[Planned]
    preflight: Findings
    costs: list[Estimate]  # one per planned step, in the same order

    def sources(self) -> str:
        return ", ".join(sorted({cost.source for cost in self.costs if cost.source})) or "no meter"

    def as_json(self) -> dict[str, Any]:
        return {
            "steps": [
                asdict(item) | {"cost": asdict(cost)} for item, cost in zip(self.planned, self.costs, strict=True)
            ],
            "monthly_estimate_usd": round(total(self.costs), 2),
            "price_source": self.sources(),
            "problems": [{"step": problem.step, **asdict(problem.error)} for problem in self.preflight.problems],
            "unchecked": self.preflight.unchecked,
        }

    def lines(self) -> list[str]:
        answers = self.answers
        lines = [f"Setup {answers.resource_group} in {answers.region} · subscription {answers.subscription_id}"]
        for item, cost in zip(self.planned, self.costs, strict=True):
            note = f"  ({item.note})" if item.note else ""
            lines.append(f"  {item.action:<8} {item.key:<20} {item.description}{note}")
            if cost.unit_price is not None:
                lines.append(f"  {'':<8} {'':<20} cost: {cost.describe()}")
        creating = sum(item.action != EXISTS for item in self.planned)
        lines.append(f"{creating} of {len(self.planned)} steps would create or update something; nothing was changed.")
        lines.append(
            f"Estimated cost: ~${total(self.costs):,.2f}/month for what runs all month, plus what is used of the rest "
            f"(USD list prices from {self.sources()}; an estimate, not a bill: discounts and taxes are not included)."
        )
        return lines + self.preflight.lines()
