"""The plan as a person reads it before anything is created: a table of what is made and in which order, and a
cost hint. Rich only, no Textual: the review screen and the --plain prompts show the same."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from screens.choices import COMPARISON, SCHEDULERS
from wizard import costs
from wizard import plan as planning
from wizard.answers import Scheduler


def cost_hint(plan: planning.Plan) -> str:
    """Per-resource list prices from the shipped table (drawing a screen must not wait for the network; `plan`
    asks the Retail Prices API)."""
    answers = plan.answers
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


def scheduler_name(scheduler: Scheduler) -> str:
    """ "Data Factory trigger", from the choice's words."""
    return dict(SCHEDULERS)[scheduler.value].split(":")[0]


def scheduler_choices(builds: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The scheduler choices, each saying whether the plan builds it yet (`builds`: asked of the plan)."""
    return [(key, text if builds(key) else f"{text} (not built yet)") for key, text in SCHEDULERS]


def unscheduled(plan: planning.Plan) -> str | None:
    """What a plan without scheduler steps leaves out, in the user's words; None when it builds one."""
    if plan.scheduler_steps:
        return None
    return (
        f"No schedule yet: this wizard does not build the {scheduler_name(plan.answers.scheduler)} yet, so the "
        "pipeline runs only when called (its batch endpoint is ready). Choose another scheduler to get one."
    )


def plan_table(plan: planning.Plan) -> Table:
    """Each step with what it creates and the numbers of the steps it waits for (titles would crowd "Creates")."""
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    table.add_column("#", no_wrap=True, justify="right")
    table.add_column("Creates", ratio=1)
    table.add_column("After", no_wrap=True)
    numbers = {step.key: number for number, step in enumerate(plan.steps, 1)}
    for number, step in enumerate(plan.steps, 1):
        after = ", ".join(str(numbers[n]) for n in step.needs) or "—"
        table.add_row(str(number), step.describe(plan.names), after)
    return table


def comparison_table(selected: str | None = None) -> Table:
    """The four schedulers side by side (cost, where it runs, retries, monitoring), the chosen one reversed."""
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=True)
    for column in ("", "Cost", "Runs in", "Retries", "Monitoring"):
        table.add_column(column, no_wrap=True, overflow="ellipsis")
    for key, _ in SCHEDULERS:
        table.add_row(*COMPARISON[key], style="reverse" if key == selected else "")
    return table
