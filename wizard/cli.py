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

from wizard import __version__
from wizard.entry import install_signal_handlers

if TYPE_CHECKING:
    from wizard import answers as answer_files
    from wizard import secret_inputs
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
    for _ in range(attempts):
        value = getpass.getpass(f"{spec.prompt}: ")
        problem = spec.validate(value)
        if problem is None and spec.confirm and getpass.getpass("Again, to confirm: ") != value:
            problem = "the two entries differ"
        if problem is None:
            return secret_inputs.provide(spec, value)
        print(f"  {problem}", file=sys.stderr)
    return problem


def provide_secrets(specs: list[secret_inputs.SecretSpec]) -> str | None:
    """Get every secret from its environment variable, else from the terminal; what is wrong, or None."""
    from wizard import secret_inputs

    for spec in specs:
        value = secret_inputs.from_environment(spec)
        if value is not None:
            problem = secret_inputs.provide(spec, value)
            if problem:
                return f"{spec.env_var}: {problem}"
        elif sys.stdin.isatty():
            problem = _ask_on_terminal(spec)
            if problem:
                return f"{spec.prompt}: {problem}"
        else:
            return f"{spec.prompt} is needed and is never stored: set {spec.env_var}, or run on a terminal to be asked"
    return None


def run_headless(
    answers: answer_files.Answers | None,
    checkpoint_path: Path | None,
    emulator: EmulatorEndpoint | None,
    *,
    poll_interval: float = 2.0,
) -> int:
    """Run (or resume) a setup with line-by-line progress; the exit code says whether all steps succeeded."""
    import signal

    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError
    from wizard.printer import HeadlessPrinter
    from wizard.session import open_session

    try:
        session = open_session(answers, checkpoint_path=checkpoint_path, emulator=emulator)
    except (CheckpointError, ConnectError) as error:
        return _fail(str(error))
    with session:
        problem = provide_secrets(session.pending_secrets())
        if problem:
            return _fail(problem)
        print(f"Setup {session.plan.answers.resource_group} · checkpoint {session.checkpoint.path}", flush=True)
        if session.checkpoint.taken_over:
            print(f"Note: {session.checkpoint.taken_over}.")
        if session.changed_answers:
            changed = ", ".join(session.changed_answers)
            print(f"Answers changed since the last run ({changed}): they apply to the steps not finished yet.")
        runner = session.runner(HeadlessPrinter(session.plan), poll_interval=poll_interval)
        previous = signal.signal(signal.SIGTERM, lambda *_: runner.stop())
        try:
            ok = runner.run()
        except CheckpointError as error:  # e.g. the disk filled up: stop, the last good checkpoint resumes
            return _fail(str(error), EXIT_FAILED)
        finally:
            signal.signal(signal.SIGTERM, previous)
    if runner.stopping:
        return EXIT_INTERRUPTED
    return EXIT_OK if ok else EXIT_FAILED


def cmd_run(args: argparse.Namespace) -> int:
    from wizard import answers as answer_files
    from wizard.connect import ConnectError, emulator_endpoint

    try:
        answers = answer_files.load(args.answers)
    except answer_files.AnswersError as error:
        for line in error.problems:
            print(f"scoring-wizard: {line}", file=sys.stderr)
        return EXIT_USAGE
    try:
        endpoint = emulator_endpoint(args.emulator)
    except ConnectError as error:
        return _fail(str(error))
    # The emulator is local: polling it often costs nothing and keeps scripted runs against it quick.
    return run_headless(answers, args.checkpoint, endpoint, poll_interval=2.0 if endpoint is None else 0.2)


def cmd_plan(args: argparse.Namespace) -> int:
    """What `run` would create or keep, from reads only: nothing is written to Azure or to disk."""
    import json
    from dataclasses import asdict

    from wizard import answers as answer_files
    from wizard import checkpoint as checkpoints
    from wizard import plan as planning
    from wizard.connect import ConnectError, connect, emulator_endpoint
    from wizard.survey import survey

    try:
        answers = answer_files.load(args.answers)
    except answer_files.AnswersError as error:
        return _fail("\n".join(error.problems))
    try:
        plan = planning.build(answers)
        planned = survey(plan, connect(answers, emulator_endpoint(args.emulator)), checkpoints.default_path(answers))
    except ConnectError as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps([asdict(item) for item in planned], indent=2))
        return EXIT_OK
    print(f"Setup {answers.resource_group} in {answers.region} · subscription {answers.subscription_id}")
    for item in planned:
        note = f"  ({item.note})" if item.note else ""
        print(f"  {item.action:<8} {item.key:<20} {item.description}{note}")
    creating = sum(item.action != "exists" for item in planned)
    print(f"{creating} of {len(planned)} steps would create or update something; nothing was changed.")
    return EXIT_OK


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
        if not args.yes:
            if not sys.stdin.isatty():
                return _fail("destroy asks you to type the setup's name to confirm: run on a terminal, or pass --yes")
            if input(f"Type {name} to delete these: ").strip() != name:
                print("Nothing was deleted.")
                return EXIT_OK
        ok = teardown.run(removals, lambda line: print(f"  {line}", flush=True))
    print("Teardown finished." if ok else "Some deletes failed (see above); run destroy again to retry them.")
    return EXIT_OK if ok else EXIT_FAILED


def cmd_status(args: argparse.Namespace) -> int:
    import json

    from wizard import checkpoint as checkpoints
    from wizard import live_check
    from wizard.checkpoint import CheckpointError
    from wizard.connect import ConnectError, connect, emulator_endpoint
    from wizard.status import summarize

    paths = [args.checkpoint] if args.checkpoint else checkpoints.discover()
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
        print(f"No setups yet (looked in {checkpoints.default_dir()}).")
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


def cmd_emulator(args: argparse.Namespace) -> int:
    from wizard.emulator import Emulator

    emulator = Emulator(
        args.state_dir, port=args.port, latency_scale=args.latency_scale, token_lifetime=args.token_lifetime
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
    """Shell lines that point other tools at the emulator: azure-identity's environment and the Azure CLI."""
    url, ca = endpoint["url"], endpoint["ca"]
    return [
        "# For other tools (azure-identity's EnvironmentCredential, requests, the Azure CLI):",
        f"export AZURE_TENANT_ID={endpoint['tenant_id']}",
        f"export AZURE_CLIENT_ID={endpoint['client_id']}",
        f"export AZURE_CLIENT_SECRET='{endpoint['client_secret']}'",
        f"export REQUESTS_CA_BUNDLE={ca}",
        f"az cloud register --name ScoringWizardEmulator --endpoint-resource-manager {url}/ "
        f"--endpoint-active-directory {url} --endpoint-active-directory-resource-id {url}/",
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
    """No command: the interactive wizard (full-screen, or --plain prompts) against Azure or --emulator."""
    from wizard import checkpoint as checkpoints
    from wizard.connect import ConnectError, emulator_endpoint

    launch = _ui_launcher()
    if launch is None:
        return _fail("the interactive UI is not installed; use `scoring-wizard run --answers FILE`")
    try:
        endpoint = emulator_endpoint(args.emulator)
    except ConnectError as error:
        return _fail(str(error))
    return launch(emulator=endpoint, checkpoint_dir=args.checkpoint_dir or checkpoints.default_dir(), plain=args.plain)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scoring-wizard",
        description="From an empty Azure subscription to a scheduled batch-scoring pipeline.",
    )
    emulator_help = "use the ARM emulator whose endpoint.json (or state dir) this is; default $SCORING_WIZARD_EMULATOR"
    parser.add_argument("--version", action="version", version=f"scoring-wizard {__version__}")
    parser.add_argument("--plain", action="store_true", help="line-by-line prompts instead of the full-screen UI")
    parser.add_argument("--emulator", type=Path, help=emulator_help)
    parser.add_argument("--checkpoint-dir", type=Path, help="where setups are kept (default: the state folder)")
    parser.set_defaults(handler=cmd_wizard)
    commands = parser.add_subparsers(dest="command", metavar="{run,plan,status,destroy,emulator,demo}")
    run = commands.add_parser("run", help="run or resume a setup from an answers file, without prompts")
    run.add_argument("--answers", type=Path, required=True, help="TOML answers file (see examples/)")
    run.add_argument("--checkpoint", type=Path, help="checkpoint file (default: one per setup in the state folder)")
    run.add_argument("--emulator", type=Path, help=emulator_help)
    run.set_defaults(handler=cmd_run)

    plan = commands.add_parser("plan", help="show what run would create or keep, reading Azure only")
    plan.add_argument("--answers", type=Path, required=True, help="TOML answers file (see examples/)")
    plan.add_argument("--emulator", type=Path, help=emulator_help)
    plan.add_argument("--json", action="store_true", help="machine-readable output")
    plan.set_defaults(handler=cmd_plan)

    status = commands.add_parser("status", help="show the state of setups")
    status.add_argument("--checkpoint", type=Path, help="one checkpoint (default: all in the state folder)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument(
        "--live", action="store_true", help="also ask Azure whether each finished step's resource exists"
    )
    status.add_argument("--emulator", type=Path, help=emulator_help + " (implies --live)")
    status.set_defaults(handler=cmd_status)

    destroy = commands.add_parser("destroy", help="remove what a setup created, and only that")
    destroy.add_argument("--checkpoint", type=Path, required=True, help="the setup's checkpoint file")
    destroy.add_argument("--emulator", type=Path, help=emulator_help)
    destroy.add_argument("--yes", action="store_true", help="do not ask for the setup's name to confirm")
    destroy.set_defaults(handler=cmd_destroy)

    emulator = commands.add_parser("emulator", help="serve the local ARM emulator for other processes")
    emulator.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free port)")
    emulator.add_argument("--state-dir", type=Path, required=True, help="where it keeps its state and CA")
    emulator.add_argument("--latency-scale", type=float, default=1.0, help="multiply emulated latencies")
    emulator.add_argument(
        "--token-lifetime", type=float, default=3599.0, help="seconds an issued access token stays valid"
    )
    emulator.set_defaults(handler=cmd_emulator)

    demo = commands.add_parser("demo", help="try the wizard against an in-process emulator (no Azure needed)")
    demo.add_argument("--state-dir", type=Path, help="where the demo keeps its emulator and checkpoint")
    demo.add_argument("--latency-scale", type=float, default=0.1, help="multiply emulated latencies")
    demo.add_argument("--plain", action="store_true", help="line-by-line prompts instead of the full-screen UI")
    demo.add_argument("--headless", action="store_true", help="no questions: run the demo answers file")
    demo.set_defaults(handler=cmd_demo)
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
