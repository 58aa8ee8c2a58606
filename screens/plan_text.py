"""The plan as a person reads it before anything is created: a table of what is made and in which order, and a
cost hint. Rich only, no Textual: the review screen and the --plain prompts show the same."""

from __future__ import annotations

from rich.table import Table

from wizard import plan as planning
from wizard.answers import Answers, VmOs

# Rough pay-as-you-go list prices in USD, enough to tell a first-time user what keeps costing money.
HOURLY_VM_PRICE = {VmOs.LINUX: 0.19, VmOs.WINDOWS: 0.37}


def cost_hint(answers: Answers) -> str:
    hourly = HOURLY_VM_PRICE[answers.vm_os]
    hours = 10 * 22 if answers.auto_shutdown else 24 * 30
    running = "about 10 h on working days (auto-shutdown)" if answers.auto_shutdown else "around the clock"
    gpu = "; the GPU cluster costs only while a run uses it" if answers.gpu_cluster else ""
    return (
        f"Cost hint: the Data Science VM ({answers.effective_vm_size}, {answers.vm_os.value}) is about "
        f"${hourly:.2f}/h; {running} that is roughly ${hourly * hours:.0f}/month. Storage, the ML workspace "
        f"and the scheduler add a few dollars{gpu}. Delete the resource group to stop all costs."
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
