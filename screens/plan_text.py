"""The plan as a person reads it before anything is created: a table of what is made and in which order, and a
cost hint. Rich only, no Textual: the review screen and the --plain prompts show the same."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from screens.choices import COMPARISON, SCHEDULERS
from wizard import plan as planning
from wizard.answers import Scheduler, VmOs

# Rough pay-as-you-go list prices in USD, enough to tell a first-time user what keeps costing money.
HOURLY_VM_PRICE = {VmOs.LINUX: 0.19, VmOs.WINDOWS: 0.37}


def cost_hint(plan: planning.Plan) -> str:
    answers = plan.answers
    hourly = HOURLY_VM_PRICE[answers.vm_os]
    hours = 10 * 22 if answers.auto_shutdown else 24 * 30
    running = "about 10 h on working days (auto-shutdown)" if answers.auto_shutdown else "around the clock"
    gpu = "; the GPU cluster costs only while a run uses it" if answers.gpu_cluster else ""
    extras = (
        "Storage, the ML workspace and the scheduler add"
        if plan.scheduler_steps
        else "Storage and the ML workspace add"
    )
    return (
        f"Cost hint: the Data Science VM ({answers.effective_vm_size}, {answers.vm_os.value}) is about "
        f"${hourly:.2f}/h; {running} that is roughly ${hourly * hours:.0f}/month. {extras} a few dollars{gpu}. "
        "`scoring-wizard destroy` deletes it all to stop the costs."
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
