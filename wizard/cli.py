"""The `scoring-wizard` command.

`run` is the headless face (answers file in, timestamped progress out, exit code for scripts); `status`
reads checkpoints; `emulator` serves the local ARM emulator for other processes; `demo` runs the wizard
against an in-process emulator. The full-screen UI is found through the `scoring_wizard.ui` entry point, so
this engine never imports it. Each command imports what it uses when it runs: `--help` and argument errors must
not wait for pydantic, azure-identity or the SDKs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wizard import __version__, answer_sources
from wizard.entry import install_signal_handlers, stop_requested

if TYPE_CHECKING:
    from wizard import answers as answer_files
    from wizard import secret_inputs
    from wizard.answers import Answers
    from wizard.checkpoint import Document
    from wizard.connect import EmulatorEndpoint

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
DEMO_ANSWERS = "demo.toml"  # in assets/, shipped with the package


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"scoring-wizard: {message}", file=sys.stderr)
    return code


def _ask_on_terminal(spec: secret_inputs.SecretSpec, attempts: int = 3) -> str | None:
    """Prompt without echo until the secret meets its rule (and is typed twice alike); the problem, or None."""
    import getpass

    from wizard import secret_inputs

    problem = "no value given"
    if spec.rule:
        print(f"  {spec.rule}", file=sys.stderr)
    for _ in range(attempts):
        value = getpass.getpass(f"{spec.prompt}: ")
        problem = spec.validate(value)
        if problem is None and spec.confirm and getpass.getpass("Confirm: ") != value:
            problem = "the two entries differ"
        if problem is None:
            return secret_inputs.provide(spec, value)
        print(f"  {problem}", file=sys.stderr)
    return problem


def provide_secrets(specs: list[secret_inputs.SecretSpec], *, ask: bool = True) -> str | None:
    """Get every secret from its environment variable, else from the terminal (unless `ask` is off); what is
    wrong, or None. Without asking, every secret not set is named at once."""
    from wizard import secret_inputs

    unset = []
    for spec in specs:
        value = secret_inputs.from_environment(spec)
        if value is not None:
            problem = secret_inputs.provide(spec, value)
            if problem:
                return f"{spec.env_var}: {problem}"
        elif ask and sys.stdin.isatty():
            problem = _ask_on_terminal(spec)
            if problem:
                return f"{spec.prompt}: {problem}"
        elif not ask:
            unset.append(f"{spec.prompt} is needed and is never stored or a flag: set {spec.env_var}")
        else:
            return f"{spec.prompt} is needed and is never stored: set {spec.env_var}, or run on a terminal to be asked"
    return "\n".join(unset) or None


def run_headless(
    answers: answer_files.Answers | None,
    checkpoint_path: Path | None,
    emulator: EmulatorEndpoint | None,
    *,
    poll_interval: float = 2.0,
    state: str | None = None,
    force_unlock: bool = False,
    ask: bool = True,
) -> int:
    """Run (or resume) a setup with line-by-line progress; the exit code says whether all steps succeeded.

    `state` (blob://account/container/setup) keeps the checkpoint in a shared blob instead of only on this machine.
    With `ask` off (--no-prompt) a secret comes only from its environment variable.
    """
    import signal

    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError, connect
    from wizard.preflight import check_session
    from wizard.printer import HeadlessPrinter
    from wizard.session import open_session

    try:
        if state is None:
            session = open_session(answers, checkpoint_path=checkpoint_path, emulator=emulator)
        else:
            from wizard import blob_state

            connection = connect(answers, emulator)
            store = blob_state.open_store(
                state,
                connection.credential,
                path=checkpoint_path,
                storage_suffix=connection.cloud.storage_suffix,
                force_unlock=force_unlock,
            )
            session = open_session(answers, checkpoint_path=store.path, connection=connection, store=store)
            if store.broken_holder:
                print(f"warning: --force-unlock broke the lock of {store.broken_holder}", file=sys.stderr)
    except (CheckpointError, ConnectError) as error:
        return _fail(str(error))
    with session:
        problem = provide_secrets(session.pending_secrets(), ask=ask)
        if problem:
            return _fail(problem)
        print(f"Setup {session.plan.answers.resource_group} · checkpoint {session.checkpoint.path}", flush=True)
        if session.checkpoint.taken_over:
            print(f"Note: {session.checkpoint.taken_over}.")
        if session.changed_answers:
            changed = ", ".join(session.changed_answers)
            print(f"Answers changed since the last run ({changed}): they apply to the steps not finished yet.")
        findings = check_session(session)
        if findings.problems:
            print("\n".join(findings.lines()), flush=True)
            print("Nothing was created. Fix them (see what to do), then run the same command again.", flush=True)
            return EXIT_FAILED
        if stop_requested():  # a stop whose KeyboardInterrupt Python dropped: no step may start now
            raise KeyboardInterrupt
        runner = session.runner(HeadlessPrinter(session.plan), poll_interval=poll_interval)
        previous = signal.signal(signal.SIGTERM, lambda *_: runner.stop())
        try:
            ok = runner.run()
        except CheckpointError as error:  # a shared lock taken over, or the disk filled up: the last good one resumes
            return _fail(str(error), EXIT_FAILED)
        finally:
            signal.signal(signal.SIGTERM, previous)
    if runner.stopping:
        return EXIT_INTERRUPTED
    return EXIT_OK if ok else EXIT_FAILED


def _answer_problems(error: answer_files.AnswersError) -> int:
    for line in error.problems:
        print(f"scoring-wizard: {line}", file=sys.stderr)
    return EXIT_USAGE


def cmd_run(args: argparse.Namespace) -> int:
    """Headless: the answers from flags, environment and answers file; the checkpoint in --checkpoint, or the
    setup's own file in --checkpoint-dir (the interactive entry's --no-prompt) or the state folder."""
    from wizard import answers as answer_files
    from wizard import checkpoint as checkpoints
    from wizard.connect import ConnectError, emulator_endpoint

    try:
        answers = answer_sources.resolve(args)
    except answer_files.AnswersError as error:
        return _answer_problems(error)
    try:
        endpoint = emulator_endpoint(args.emulator)
    except ConnectError as error:
        return _fail(str(error))
    # The emulator is local: polling it often costs nothing and keeps scripted runs against it quick.
    poll_interval = 2.0 if endpoint is None else 0.2
    checkpoint, folder = getattr(args, "checkpoint", None), getattr(args, "checkpoint_dir", None)
    if checkpoint is None and folder is not None and answers.state is None:  # a shared one has its own cache
        checkpoint = checkpoints.default_path(answers, folder)
    return run_headless(
        answers,
        checkpoint,
        endpoint,
        poll_interval=poll_interval,
        state=answers.state,
        force_unlock=getattr(args, "force_unlock", False),
        ask=not getattr(args, "no_prompt", False),
    )


def cmd_plan(args: argparse.Namespace) -> int:
    """What `run` would create or keep, from reads only: nothing is written to Azure or to disk."""
    import json

    from wizard import answers as answer_files
    from wizard import checkpoint as checkpoints
    from wizard import plan as planning
    from wizard.connect import ConnectError, connect, emulator_endpoint
    from wizard.costs import estimates
    from wizard.plan_report import PlanReport
    from wizard.preflight import preflight
    from wizard.survey import EXISTS, survey

    try:
        answers = answer_sources.resolve(args)
    except answer_files.AnswersError as error:
        return _answer_problems(error)
    path = args.checkpoint or checkpoints.default_path(answers)
    try:
        document = checkpoints.read(path) if path.exists() else None
    except checkpoints.CheckpointError as error:
        return _fail(str(error))
    finished = {
        key: record.outputs
        for key, record in (document.steps.items() if document else ())
        if record.status is checkpoints.StepStatus.SUCCEEDED
    }
    try:
        plan = planning.build(answers)
        connection = connect(answers, emulator_endpoint(args.emulator))
        planned = survey(
            plan, connection, checkpoints.files_dir_for(path), finished, document.setup_id if document else ""
        )
    except ConnectError as error:
        return _fail(str(error))
    pending = [item.key for item in planned if item.action != EXISTS]
    findings = preflight(plan, connection, checkpoints.files_dir_for(path), pending)
    costs = estimates([item.key for item in planned], answers, connection.cloud)
    report = PlanReport(answers, planned, findings, costs)
    print(json.dumps(report.as_json(), indent=2) if args.json else "\n".join(report.lines()))
    return EXIT_FAILED if findings.problems else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """A setup's answers as a replayable answers file, with what a replay must change marked."""
    from wizard import checkpoint as checkpoints
    from wizard.export import ExportError, exported, with_overrides
    from wizard.setup_folder import discover

    paths = [args.checkpoint] if args.checkpoint else discover()
    if len(paths) != 1:
        return _fail(f"give the setup's --checkpoint (found {len(paths)} setups)")
    try:
        document = checkpoints.read(paths[0])
        answers = with_overrides(document.answers, args.set or [])
    except (checkpoints.CheckpointError, ExportError) as error:
        return _fail(str(error))
    text = exported(answers, str(paths[0]))
    if args.arm is not None:
        return _export_arm(document, paths[0], answers, text, args.arm)
    if args.out is None:
        print(text, end="")
        return EXIT_OK
    args.out.write_text(text, encoding="utf-8")
    print(f"Wrote {args.out}: replay with scoring-wizard run --answers {args.out}", file=sys.stderr)
    return EXIT_OK


def _export_arm(document: Document, path: Path, replay: Answers, answers_text: str, folder: Path) -> int:
    """The ARM template, parameter file, answers and README in `folder`, from the setup's finished run."""
    from wizard import arm_template
    from wizard import checkpoint as checkpoints

    finished = {
        key: record.outputs
        for key, record in document.steps.items()
        if record.status is checkpoints.StepStatus.SUCCEEDED
    }
    try:
        made = arm_template.build(document.answers, finished, checkpoints.files_dir_for(path), replay, "answers.toml")
    except arm_template.TemplateError as error:
        return _fail(str(error))
    arm_template.write(made, folder, answers_text, lambda line: print(line, file=sys.stderr))
    print(f"Deploy it as {folder / 'README.md'} says, then finish with scoring-wizard run --answers", file=sys.stderr)
    return EXIT_OK


SOFT_DELETE_NOTE = (
    "A deleted vault is kept soft-deleted for its retention days with its name taken, so a new run of this setup "
    "would have to recover or purge it; purging cannot be undone."
)


def cmd_destroy(args: argparse.Namespace) -> int:
    """Remove what a setup made (tag-checked, dependants first), after the user types the setup's name back."""
    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError, emulator_endpoint
    from wizard.session import open_session
    from wizard.teardown import Teardown

    try:
        session = open_session(None, checkpoint_path=args.checkpoint, emulator=emulator_endpoint(args.emulator))
    except (CheckpointError, ConnectError) as error:
        return _fail(str(error))
    with session:
        teardown = Teardown(session.plan, session.checkpoint, session.connection)
        removals = teardown.removals()
        name = session.plan.names.resource_group
        count = sum(not r.keep_reason for r in removals)
        print(f"Setup {name}: {count} resources to delete, then the group if scoring-wizard made it")
        for removal in removals:
            print(
                f"  {'keep' if removal.keep_reason else 'delete'}  {removal.resource_id}"
                + (f"  ({removal.keep_reason})" if removal.keep_reason else "")
            )
        vaults = [removal for removal in removals if removal.soft_deletes]
        purge = args.purge_key_vaults
        if not args.yes:
            if not sys.stdin.isatty():
                return _fail("destroy asks you to type the setup's name to confirm: run on a terminal, or pass --yes")
            if input(f"Type {name} to delete these: ").strip() != name:
                print("Nothing was deleted.")
                return EXIT_OK
            if vaults and not purge:
                asked = f"Also purge key vault {', '.join(v.name for v in vaults)}? {SOFT_DELETE_NOTE} [y/N] "
                purge = input(asked).strip().lower() in ("y", "yes")
        ok = teardown.run(removals, lambda event: print(f"  {event.line}", flush=True), purge_vaults=purge)
        if not purge:
            for vault in vaults:
                print(vault.left_soft_deleted)
    print("Teardown finished." if ok else "Some deletes failed (see above); run destroy again to retry them.")
    return EXIT_OK if ok else EXIT_FAILED


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from wizard import checkpoint as checkpoints
    from wizard import live_check
    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError, connect, emulator_endpoint
    from wizard.setup_folder import default_dir, discover
    from wizard.status import summarize

    folder = getattr(args, "checkpoint_dir", None) or default_dir()
    paths = [args.checkpoint] if args.checkpoint else discover(folder)
    unreadable: dict[str, str] = {}  # over all setups, one bad file is named and the others are still shown
    try:
        endpoint = emulator_endpoint(args.emulator)
        summaries, live = [], {}
        for path in paths:
            try:
                document = checkpoints.read(path)
            except CheckpointError as error:
                if args.checkpoint:
                    raise
                unreadable[str(path)] = str(error)
                continue
            summaries.append(summarize(path, document))
            if args.live or endpoint is not None:
                live[str(path)] = live_check.check(path, document, connect(document.answers, endpoint))
    except (CheckpointError, ConnectError) as error:
        return _fail(str(error))
    if args.json:
        payload = [s.to_json(live.get(s.path)) for s in summaries]
        payload += [{"path": path, "error": problem} for path, problem in unreadable.items()]
        print(json.dumps(payload[0] if args.checkpoint else payload, indent=2))
        return EXIT_OK
    for path, problem in unreadable.items():
        print(f"unreadable · {path}\n  {problem}")
    if not summaries and not unreadable:
        print(f"No setups yet (looked in {folder}).")
    for summary in summaries:
        print(f"{summary.resource_group} ({summary.region}) · {summary.progress} · {summary.path}")
        in_azure = live.get(summary.path, {})
        for step in summary.steps:
            note = f"  [{in_azure[step.key]} in Azure]" if step.key in in_azure else ""
            print(f"  {step.status:<10} {step.key}{note}{'  ' + step.error if step.error else ''}")
            for label, text in (("what to do", step.todo), ("more", step.link)):
                if text and step.status == "failed":
                    print(f"  {'':<10} {label}: {text}")
        for line in summary.instructions:
            print(f"  {line}")
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    """Pause, resume or show the chosen scheduler of a setup: its state, next fire times and last runs."""
    from datetime import UTC, datetime

    from wizard import checkpoint as checkpoints
    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError, connect, emulator_endpoint
    from wizard.names import names_for
    from wizard.schedule.control import control_for
    from wizard.schedule.recurrence import next_fire_times
    from wizard.setup_folder import discover

    paths = [args.checkpoint] if args.checkpoint else discover()
    if len(paths) != 1:
        return _fail(f"give the setup's --checkpoint (found {len(paths)} setups)")
    try:
        answers = checkpoints.read(paths[0]).answers
        connection = connect(answers, emulator_endpoint(args.emulator))
        control = control_for(
            answers.scheduler, connection.clients, names_for(answers), connection.cloud.connection_verify
        )
    except (CheckpointError, ConnectError, LookupError) as error:
        return _fail(str(error))
    if args.action == "pause":
        control.pause()
    elif args.action == "resume":
        control.resume()
    enabled = control.enabled()
    print(f"{answers.scheduler.value} schedule of {answers.resource_group}: {'enabled' if enabled else 'disabled'}")
    if args.action == "status":
        print("next fire times" + ("" if enabled else " (once resumed)") + ":")
        for moment in next_fire_times(answers.recurrence, 5, datetime.now(UTC)):
            print(f"  {moment.isoformat(timespec='minutes')}")
        runs = control.runs(5)
        print("last runs:" if runs else "no runs yet")
        for run in runs:
            print(f"  {run.describe()}")
    return EXIT_OK


def cmd_emulator(args: argparse.Namespace) -> int:
    from wizard.emulator import Emulator

    emulator = Emulator(
        args.state_dir,
        port=args.port,
        latency_scale=args.latency_scale,
        token_lifetime=args.token_lifetime,
        latency_profile=args.latency_profile,
    )
    emulator.start()
    endpoint = emulator.write_endpoint_file()
    print(f"ARM emulator on {emulator.url}\nendpoint file: {endpoint}  (pass it as --emulator)", flush=True)
    print("\n".join(tool_environment(emulator.endpoint())), flush=True)
    try:
        emulator.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return EXIT_OK


def tool_environment(endpoint: dict[str, str]) -> list[str]:
    """Shell lines that point other tools at the emulator: azure-identity's environment and the Azure CLI.

    The CLI gets a profile folder of its own beside the CA (so the user's real `az login` stays as it is), reads
    every endpoint from the emulator's /metadata/endpoints, and skips MSAL's instance discovery, which would ask
    login.microsoftonline.com about an authority it does not know (as on Azure Stack). azure-identity reads the
    authority from AZURE_AUTHORITY_HOST but has no variable for instance discovery: an SDK client passes
    `disable_instance_discovery=True` itself, as the comment line says.
    """
    url, ca = endpoint["url"], endpoint["ca"]
    return [
        "# For other tools (azure-identity's EnvironmentCredential, requests, the Azure CLI). A Python SDK client:",
        f"#   Client(EnvironmentCredential(disable_instance_discovery=True), subscription_id, base_url='{url}',",
        f"#          credential_scopes=['{url}/.default'])",
        f"export AZURE_AUTHORITY_HOST={url}",
        f"export AZURE_TENANT_ID={endpoint['tenant_id']}",
        f"export AZURE_CLIENT_ID={endpoint['client_id']}",
        f"export AZURE_CLIENT_SECRET='{endpoint['client_secret']}'",
        f"export REQUESTS_CA_BUNDLE={ca}",
        f"export AZURE_CONFIG_DIR={Path(ca).parent / 'azure-cli'}",
        "export AZURE_CORE_INSTANCE_DISCOVERY=false",
        f"az cloud register --name ScoringWizardEmulator --endpoint-resource-manager {url}/",
        "az cloud set --name ScoringWizardEmulator",
        f"az login --service-principal --username {endpoint['client_id']} "
        f"--password '{endpoint['client_secret']}' --tenant {endpoint['tenant_id']}",
    ]


def _previous_port(state_dir: Path) -> int:
    """The demo reuses its last port so in-flight operations' polling URLs still resolve after a restart."""
    from wizard.connect import ConnectError, EmulatorEndpoint

    try:
        return int(EmulatorEndpoint.from_file(state_dir).url.rsplit(":", 1)[1])
    except (ConnectError, ValueError, IndexError):
        return 0


def start_demo_emulator(state_dir: Path, latency_scale: float):
    from wizard.emulator import Emulator

    try:
        emulator = Emulator(state_dir, port=_previous_port(state_dir), latency_scale=latency_scale).start()
    except OSError:
        emulator = Emulator(state_dir, latency_scale=latency_scale).start()
    emulator.write_endpoint_file()
    return emulator


def _ui_launcher() -> Callable[..., int] | None:
    from importlib.metadata import entry_points

    for entry in entry_points(group="scoring_wizard.ui"):
        return entry.load()
    return None


def cmd_wizard(args: argparse.Namespace) -> int:
    """No command: the interactive wizard (full-screen, or --plain prompts) against Azure or --emulator, its
    questions prefilled with the answers given as flags, variables or --answers; with --no-prompt, a headless run."""
    from wizard.connect import ConnectError, emulator_endpoint
    from wizard.setup_folder import default_dir

    if getattr(args, "no_prompt", False):
        return cmd_run(args)
    launch = _ui_launcher()
    if launch is None:
        return _fail("the interactive UI is not installed; use `scoring-wizard run --answers FILE`")
    try:
        given = answer_sources.given_for_questions(args)
    except ValueError as error:  # AnswersError, not imported here: with nothing given the UI paints before pydantic
        return _answer_problems(error)  # type: ignore[arg-type]
    try:
        endpoint = emulator_endpoint(args.emulator)
    except ConnectError as error:
        return _fail(str(error))
    return launch(emulator=endpoint, checkpoint_dir=args.checkpoint_dir or default_dir(), plain=args.plain, given=given)


def cmd_demo(args: argparse.Namespace) -> int:
    import platformdirs

    from wizard import answers as answer_files
    from wizard.connect import EmulatorEndpoint
    from wizard.resources import asset

    state_dir = args.state_dir or platformdirs.user_state_path("scoring-wizard") / "demo"
    emulator = start_demo_emulator(state_dir / "emulator", args.latency_scale)
    endpoint = EmulatorEndpoint(**emulator.endpoint())
    checkpoint_path = state_dir / "setups" / "demo.json"
    try:
        launch = None if args.headless else _ui_launcher()
        if launch is not None:
            return launch(emulator=endpoint, checkpoint_dir=checkpoint_path.parent, plain=args.plain)
        answers = None if checkpoint_path.exists() else answer_files.load(asset(DEMO_ANSWERS))
        return run_headless(answers, checkpoint_path, endpoint, poll_interval=0.2)
    finally:
        emulator.stop()


class _HelpWithDefaults(argparse.HelpFormatter):
    """States an option's default when it is a value (not None or a switch's False) and the help omits it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


def _command(commands, name: str, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose own --help starts with what it does, as the command list says it."""
    return commands.add_parser(
        name, help=summary, description=summary[0].upper() + summary[1:] + ".", formatter_class=_HelpWithDefaults
    )


def cmd_state(args: argparse.Namespace) -> int:
    from wizard import state_cli

    return state_cli.run(args)


def _add_state_commands(commands) -> None:
    """The `state` subcommand and its actions, each with its own arguments."""
    state = _command(commands, "state", "share setups in Azure Blob Storage (blob://account/container/setup)")
    actions = state.add_subparsers(dest="state_command", required=True)
    where = "blob://<account>/<container>/<setup>"
    create = actions.add_parser("create", help="make the storage account and container, and give you access")
    create.add_argument("location", nargs="?", help=f"{where} (default: the answers' state)")
    create.add_argument("--answers", type=Path, required=True, help="subscription, region and sign-in to use")
    create.add_argument("--resource-group", default="scoring-wizard-state", help="for the account (created if new)")
    create.add_argument("--emulator", type=Path, help="use the ARM emulator whose endpoint.json (or state dir) this is")
    push = actions.add_parser("push", help="copy a local setup to the shared store")
    push.add_argument("checkpoint", type=Path, help="the local checkpoint file")
    push.add_argument("location", help=where)
    pull = actions.add_parser("pull", help="copy a shared setup to this machine")
    pull.add_argument("location", help=where)
    pull.add_argument("--checkpoint", type=Path, help="where to put it (default: the state folder)")
    listing = actions.add_parser("list", help="the setups in a container, with their progress and holder")
    listing.add_argument("location", help="blob://<account>/<container>")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    unlock = actions.add_parser("unlock", help="break a stuck lock (a wizard that died); warns whose it was")
    unlock.add_argument("location", help=where)
    history = actions.add_parser("history", help="the kept versions, newest first")
    history.add_argument("location", help=where)
    rollback = actions.add_parser("rollback", help="make version N (see history) the current one")
    rollback.add_argument("location", help=where)
    rollback.add_argument("version", type=int, help="the version number from `state history`")
    state.set_defaults(handler=cmd_state)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scoring-wizard",
        description="From an empty Azure subscription to a scheduled batch-scoring pipeline.",
    )
    emulator_help = "use the ARM emulator whose endpoint.json (or state dir) this is; default $SCORING_WIZARD_EMULATOR"
    parser.add_argument("--version", action="version", version=f"scoring-wizard {__version__}")
    parser.add_argument("--plain", action="store_true", help="line-by-line prompts instead of the full-screen UI")
    parser.add_argument("--emulator", type=Path, help=emulator_help)
    checkpoint_dir_help = "where setups are kept (default: the state folder)"
    parser.add_argument("--checkpoint-dir", type=Path, help=checkpoint_dir_help)
    answer_sources.add_arguments(parser, no_prompt=True)
    parser.set_defaults(handler=cmd_wizard)
    commands = parser.add_subparsers(
        dest="command", metavar="{run,plan,status,export,destroy,schedule,state,emulator,demo}"
    )
    run = _command(commands, "run", "run or resume a setup from flags, environment and answers file, asking nothing")
    run.add_argument("--checkpoint", type=Path, help="checkpoint file (default: one per setup in the state folder)")
    run.add_argument("--emulator", type=Path, help=emulator_help)
    run.add_argument("--force-unlock", action="store_true", help="with --state: break another wizard's lock first")
    answer_sources.add_arguments(run, no_prompt=True)
    run.set_defaults(handler=cmd_run)

    plan = _command(commands, "plan", "show what run would create or keep, reading Azure only")
    plan.add_argument("--emulator", type=Path, help=emulator_help)
    plan.add_argument(
        "--checkpoint",
        type=Path,
        help="the setup's checkpoint, if it ran before (default: its file in the state folder)",
    )
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    answer_sources.add_arguments(plan, no_prompt=False)
    plan.set_defaults(handler=cmd_plan)

    status = _command(commands, "status", "show the state of setups")
    status.add_argument("--checkpoint", type=Path, help="one checkpoint (default: all in the state folder)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    # SUPPRESS: `scoring-wizard --checkpoint-dir D status` must not be overwritten by this option's default.
    status.add_argument("--checkpoint-dir", type=Path, default=argparse.SUPPRESS, help=checkpoint_dir_help)
    status.add_argument(
        "--live", action="store_true", help="also ask Azure whether each finished step's resource exists"
    )
    status.add_argument("--emulator", type=Path, help=emulator_help + " (implies --live)")
    status.set_defaults(handler=cmd_status)

    export = _command(commands, "export", "write a setup's answers (no secrets) for a replay with run --answers")
    export.add_argument("--checkpoint", type=Path, help="the setup's checkpoint (default: the only one)")
    export.add_argument("--out", type=Path, help="the answers file to write (default: standard output)")
    export.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help="change an answer, e.g. subscription_id=... (repeatable)"
    )
    export.add_argument(
        "--arm",
        type=Path,
        metavar="DIR",
        help="instead, write an ARM template, its parameter file (no secrets), the answers and a README into DIR, "
        "built from the bodies the steps send",
    )
    export.set_defaults(handler=cmd_export)

    destroy = _command(commands, "destroy", "remove what a setup created, and only that")
    destroy.add_argument("--checkpoint", type=Path, required=True, help="the setup's checkpoint file")
    destroy.add_argument("--emulator", type=Path, help=emulator_help)
    destroy.add_argument("--yes", action="store_true", help="do not ask for the setup's name to confirm")
    destroy.add_argument(
        "--purge-key-vaults",
        action="store_true",
        help="purge the deleted key vault too, freeing its name at once (default: ask; with --yes, keep it "
        "soft-deleted)",
    )
    destroy.set_defaults(handler=cmd_destroy)

    schedule = _command(commands, "schedule", "pause, resume or show the setup's schedule")
    schedule.add_argument("action", choices=("pause", "resume", "status"))
    schedule.add_argument("--checkpoint", type=Path, help="the setup's checkpoint (default: the only one)")
    schedule.add_argument("--emulator", type=Path, help=emulator_help)
    schedule.set_defaults(handler=cmd_schedule)

    emulator = _command(commands, "emulator", "serve the local ARM emulator for other processes")
    emulator.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    emulator.add_argument("--state-dir", type=Path, required=True, help="where it keeps its state and CA")
    emulator.add_argument("--latency-scale", type=float, default=1.0, help="multiply emulated latencies")
    emulator.add_argument(
        "--latency-profile",
        choices=("quick", "realistic"),
        default="quick",
        help="how long operations take: quick (seconds) or realistic (Azure's typical minutes; see README)",
    )
    emulator.add_argument(
        "--token-lifetime", type=float, default=3599.0, help="seconds an issued access token stays valid"
    )
    emulator.set_defaults(handler=cmd_emulator)

    demo = _command(commands, "demo", "try the wizard against an in-process emulator (no Azure needed)")
    demo.add_argument(
        "--state-dir",
        type=Path,
        help="where the demo keeps its emulator and checkpoint (default: the state folder's demo/)",
    )
    demo.add_argument("--latency-scale", type=float, default=0.1, help="multiply emulated latencies")
    demo.add_argument("--plain", action="store_true", help="line-by-line prompts instead of the full-screen UI")
    demo.add_argument("--headless", action="store_true", help="no questions: run the demo answers file")
    demo.set_defaults(handler=cmd_demo)

    _add_state_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    install_signal_handlers()  # first: a stop in the very first moments is an interrupt like any other
    try:
        # The SDKs' own warnings belong in the run log (beside the checkpoint), not on top of the wizard's output.
        logging.getLogger("azure").addHandler(logging.NullHandler())
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except KeyboardInterrupt:
        print("\nInterrupted. Run the same command again to resume.", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    from wizard.entry import run

    run()
