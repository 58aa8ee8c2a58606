"""The plan as a person reads it before anything is created: a table of what is made and in which order, and a
cost hint. Rich only, no Textual: the review screen and the --plain prompts show the same."""

from __future__ import annotations

from rich.table import Table

from wizard import costs
from wizard import plan as planning
from wizard.answers import Answers


def cost_hint(answers: Answers) -> str:
    """Per-resource list prices from the shipped table (drawing a screen must not wait for the network; `plan`
    asks the Retail Prices API)."""
    plan = planning.build(answers)
    found = [cost for cost in costs.estimates(plan.keys, answers, None) if cost.unit_price is not None]
    titles = {step.key: step.title for step in plan.steps}
    monthly = [f"{titles[c.step]} ~${c.monthly:,.2f}" for c in found if c.monthly is not None]
    used = [f"{titles[c.step]} ${c.unit_price:g}/{c.unit} ({c.note})" for c in found if c.monthly is None]
    if not found:
        return "Cost estimate: nothing in this plan is billed on its own."
    source = found[0].source
    shutdown = f" Auto-shutdown at {answers.auto_shutdown} lowers the VM's share." if answers.auto_shutdown else ""
    return (
        f"Cost estimate (USD list prices, {source}; not a bill): ~${costs.total(found):,.0f}/month for "
        f"{'; '.join(monthly) or 'nothing that runs all month'}. Only when used: {'; '.join(used) or 'none'}."
        f"{shutdown} `scoring-wizard destroy` stops all costs."
    )


def plan_table(plan: planning.Plan) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("Creates", ratio=3)
    table.add_column("After", ratio=1)
    titles = {step.key: step.title for step in plan.steps}
    for number, step in enumerate(plan.steps, 1):
        after = ", ".join(titles[n] for n in step.needs) or "—"
        table.add_row(str(number), step.describe(plan.names), after)
    return table
