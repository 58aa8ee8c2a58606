"""The --plain face: the same questions, line by line with questionary, then the headless progress printer.

For terminals and screen readers where a full-screen UI does not fit. It uses the very same draft defaults,
engine rules (`check_field`) and live lists (`wizard.catalog`) as the Textual screens.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import questionary
from azure.core.exceptions import AzureError
from rich.console import Console

from screens import recurrence_text
from screens.choices import CLOUDS, MEANING, OSES, SIGN_INS
from screens.config import local_zone
from screens.draft import REAL_DEFAULTS, Draft, demo_defaults
from screens.launch import teardown_command
from screens.plan_text import comparison_table, cost_hint, plan_table, scheduler_choices, unscheduled
from wizard import answers as answer_files
from wizard import catalog
from wizard import checkpoint as checkpoints
from wizard import plan as planning
from wizard.answer_sources import overlay
from wizard.answers import DEFAULT_VM_SIZE, Answers, AnswersError, CloudName, Frequency, SignIn, VmOs, check_field
from wizard.azure.errors import explain
from wizard.checkpoint import StepStatus
from wizard.cli import EXIT_FAILED, EXIT_USAGE, run_headless
from wizard.connect import Connection, EmulatorEndpoint, emulator_connection
from wizard.dsvm import caller_ip
from wizard.remedies import LABELS, answers_to_change
from wizard.status import setups

CHOICE_WIDTH = 74  # 80 columns less questionary's pointer and indent


def _validator(check: Callable[[str], str | None]) -> Callable[[str], bool | str]:
    """questionary wants True or the message to show."""
    return lambda value: check(value) or True


def _ask(question: questionary.Question) -> Any:
    answer = question.ask()
    if answer is None:
        raise KeyboardInterrupt
    return answer


def _fit(text: str) -> str:
    """A choice on one line of an 80-column terminal (questionary cuts longer ones at the edge, mid-word)."""
    return text if len(text) <= CHOICE_WIDTH else text[: CHOICE_WIDTH - 1].rstrip() + "…"


def _note(text: str) -> None:
    """An explanation before a question, wrapped at 80 columns with a hanging indent."""
    print(textwrap.fill(text, 78, initial_indent="  ", subsequent_indent="    "))


def _select(message: str, choices: list[tuple[str, str]], default: str | None, **options: Any) -> str:
    items = [questionary.Choice(_fit(text), value=key) for key, text in choices]
    chosen = default if default in [key for key, _ in choices] else choices[0][0]
    return _ask(questionary.select(message, items, default=chosen, **options))


def _text(message: str, default: str, check: Callable[[str], str | None]) -> str:
    return _ask(questionary.text(message, default=default, validate=_validator(check))).strip()


def _resume_choice(checkpoint_dir: Path) -> Path | None:
    choices: list[tuple[str, str]] = []
    for path, summary in setups(checkpoint_dir):
        if isinstance(summary, str):
            continue
        error = f", last error {summary.last_error}" if summary.last_error else ""
        choices.append((str(path), f"Resume {summary.resource_group} ({summary.progress}{error})"))
    if not choices:
        return None
    picked = _select("Setups started before", [*choices, ("", "Start a new setup")], choices[0][0])
    return Path(picked) if picked else None


def ask_answers(draft: Draft, emulator: EmulatorEndpoint | None, given: Mapping[str, Any] | None = None) -> Draft:
    """Every question in the TUI's order, each offering the draft's value; returns the filled draft. A `given`
    sign-in method is offered rather than the one the CLI login suggests."""
    if emulator is None:
        draft.set("cloud", _select("Cloud", CLOUDS, draft.get("cloud")))
        login = catalog.detect_cli_login()
        if login:
            print(f"  Azure CLI is signed in as {login.user}.")
        suggested = draft.get("sign_in") if "sign_in" in (given or {}) else catalog.suggested_sign_in(login).value
        draft.set("sign_in", _select("Sign in with", SIGN_INS, suggested))
        draft.set(
            "tenant_id",
            _text(
                "Tenant (empty for home)",
                draft.get("tenant_id", ""),
                lambda v: check_field("tenant_id", v) if v else None,
            ),
        )
        connection: Connection = catalog.sign_in(
            CloudName(draft.get("cloud")),
            SignIn(draft.get("sign_in")),
            draft.get("tenant_id"),
            show_device_code=print,
        )
    else:
        print("Demo mode: a local ARM emulator, signed in as its demo service principal.")
        connection = emulator_connection(emulator, draft.get("subscription_id") or "")
    subscriptions = catalog.subscriptions(connection)
    if not subscriptions:
        raise AnswersError(["no subscription is visible to this sign-in"])
    draft.set(
        "subscription_id",
        _select(
            "Subscription",
            [(s.id, f"{s.name}  {s.id}") for s in subscriptions],
            draft.get("subscription_id"),
            use_search_filter=True,
            use_jk_keys=False,
        ),
    )
    regions = [
        r
        for r in catalog.regions_for(connection, draft.get("subscription_id"))
        if check_field("region", r.name, **draft.context()) is None
    ]
    draft.set(
        "region",
        _select(
            "Region",
            [(r.name, f"{r.display_name} ({r.name})") for r in regions],
            draft.get("region"),
            use_search_filter=True,
            use_jk_keys=False,
        ),
    )
    draft.set("prefix", _text("Name prefix", draft.get("prefix", ""), lambda v: check_field("prefix", v)))
    draft.set(
        "resource_group",
        _text("Resource group", draft.get("resource_group", ""), lambda v: check_field("resource_group", v)),
    )
    for key, text in OSES:
        _note(f"{text}: {MEANING[key]}")
    draft.set("vm_os", _select("Dev VM OS", OSES, draft.get("vm_os")))
    draft.set(
        "admin_username",
        _text("Admin user", draft.get("admin_username", "azureuser"), lambda v: check_field("admin_username", v)),
    )
    _note("Connect from: the only address SSH/RDP accepts; empty: detect at run time; * = anywhere (unsafe).")
    draft.set(
        "allowed_source_ip",
        _text(
            "Connect from",
            draft.get("allowed_source_ip") or caller_ip.detect(timeout=3.0) or "",
            lambda v: check_field("allowed_source_ip", v) if v else None,
        ),
    )
    Console(width=80).print(comparison_table())
    draft.set("scheduler", _select("Scheduler", scheduler_choices(draft.schedules), draft.get("scheduler")))
    if draft.schedules():
        ask_recurrence(draft)
    draft.set(
        "vm_size",
        _text(
            f"VM size (empty for {DEFAULT_VM_SIZE[VmOs(draft.get('vm_os', 'linux'))]})",
            draft.get("vm_size", ""),
            lambda v: check_field("vm_size", v) if v else None,
        ),
    )
    draft.values["gpu_cluster"] = _ask(
        questionary.confirm("Add a GPU cluster?", default=bool(draft.get("gpu_cluster")))
    )
    draft.values["auto_shutdown"] = (
        _text(
            "Auto-shutdown time (UTC, empty for never)",
            draft.get("auto_shutdown") or "",
            lambda v: check_field("auto_shutdown", v) if v else None,
        )
        or None
    )
    return draft


def ask_recurrence(draft: Draft) -> None:
    """The schedule, field by field as the TUI's Schedule screen asks it, then its next five fire times."""
    shown = draft.get("recurrence") or {}
    values = dict(shown)
    values["frequency"] = _select(
        "Run the pipeline every (unit)", [(f.value, f.value) for f in Frequency], values.get("frequency", "Day")
    )
    values["interval"] = int(
        _text(
            "…how many units",
            str(values.get("interval", 1)),
            lambda v: (
                recurrence_text.problem({"frequency": values["frequency"], "interval": int(v)})
                if v.isdigit()
                else "a whole number"
            ),
        )
    )
    values["start"] = recurrence_text.parse_start(
        _text(
            "First run (YYYY-MM-DD HH:MM)",
            recurrence_text.show_start(values.get("start")) or "2026-01-01 02:00",
            recurrence_text.check_with(recurrence_text.parse_start),
        )
    )
    values["time_zone"] = _text(
        "Time zone (IANA name)",
        values.get("time_zone", "UTC"),
        lambda v: check_field("recurrence", {"time_zone": v}),
    )
    for part in recurrence_text.OPTIONAL_PARTS:
        values.pop(part.name, None)
        if part.name in recurrence_text.PARTS.get(values["frequency"], ()):
            label, check = f"{part.label} ({part.hint})", recurrence_text.check_with(part.parse)
            typed = part.parse(_text(label, recurrence_text.show_list(shown.get(part.name)), check))
            if typed is not None:
                values[part.name] = typed
    draft.values["recurrence"] = values
    problem = recurrence_text.problem(values)
    if problem:
        print(f"  That schedule cannot be used: {problem}")
        ask_recurrence(draft)
        return
    zone = local_zone()
    print(f"  Next runs ({zone}, your time):")
    for moment in recurrence_text.fire_times(values, datetime.now(UTC), zone):
        print(f"    {moment}")


def run_plain(
    *, emulator: EmulatorEndpoint | None, checkpoint_dir: Path, given: Mapping[str, Any] | None = None
) -> int:
    """Ask (starting from the `given` answers), confirm, optionally save the answers file, then run with
    line-by-line progress."""
    poll = 0.2 if emulator else 2.0
    try:
        resume = _resume_choice(checkpoint_dir)
        if resume is not None:
            return _run_offering_remedies(None, resume, emulator, poll)
        defaults = demo_defaults() if emulator else REAL_DEFAULTS
        draft = ask_answers(Draft(overlay(defaults, given or {})), emulator, given)
        answers = draft.to_answers()
        console = Console()
        console.print("\n[b]The plan[/b] (nothing has been created yet):")
        plan = planning.build(answers)
        console.print(plan_table(plan))
        for note in (unscheduled(plan), cost_hint(plan)):
            if note:
                console.print(note, highlight=False)
        if _ask(questionary.confirm("Save the answers to a file (for `run --answers`)?", default=False)):
            path = Path(_text("File", f"{answers.resource_group}.answers.toml", lambda v: None if v else "a path"))
            path.write_text(answers.to_toml(), encoding="utf-8")
            print(f"Saved {path}")
        if not _ask(questionary.confirm("Start creating the resources?", default=True)):
            return 0
    except AnswersError as error:
        for line in error.problems:
            print(f"scoring-wizard: {line}")
        return EXIT_USAGE
    except AzureError as error:
        info = explain(error)
        print(f"scoring-wizard: {info.one_line()}")
        for text in (info.what, info.todo, info.link):
            if text:
                print(f"  {text}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Cancelled; nothing was created.")
        return 130
    return _run_offering_remedies(answers, checkpoints.default_path(answers, checkpoint_dir), emulator, poll)


def _run_offering_remedies(answers: Answers | None, path: Path, emulator: EmulatorEndpoint | None, poll: float) -> int:
    """Run; while a failure names an answer that fixes it, offer to change that answer and resume."""
    code = run_headless(answers, path, emulator, poll_interval=poll)
    while code == EXIT_FAILED:
        try:
            changed = offer_remedy(path)
        except KeyboardInterrupt:
            changed = None
        if changed is None:
            return code
        code = run_headless(changed, path, emulator, poll_interval=poll)
    if path.exists():  # something may have been created, even by a run that failed or was stopped
        print(f"Tear down everything it made: {teardown_command(path, emulated=emulator is not None)}")
    return code


def offer_remedy(path: Path) -> Answers | None:
    """The setup's answers with the one a failure asks to change edited, or None (no such failure, or declined)."""
    document = checkpoints.read(path)
    fields = [
        field
        for record in document.steps.values()
        if record.status is StepStatus.FAILED and record.error
        for field in answers_to_change(record.error.code)
    ]
    if not fields:
        return None
    field, label = fields[0], LABELS.get(fields[0], fields[0])
    if not _ask(questionary.confirm(f"Change {label} now and resume?", default=True)):
        return None
    values = document.answers.model_dump(mode="json", exclude_none=True)
    values[field] = _text(label, str(values.get(field, "")), lambda v: check_field(field, v))
    return answer_files.parse(values)
