"""`scoring-wizard state …`: move setups between this machine and a shared container, and look after them there.

wizard/cli.py declares the arguments and imports this module only when a state command runs, so that neither
pydantic nor azure-storage-blob slows `--help` down.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wizard import blob_state
from wizard import checkpoint as checkpoints
from wizard.checkpoint import CheckpointError, Document


def _store(address: str, path: Path | None = None) -> blob_state.BlobStore:
    return blob_state.open_store(address, blob_state.default_credential(), path=path)


def _push(args: argparse.Namespace) -> str:
    text = args.checkpoint.read_text(encoding="utf-8")
    checkpoints.read(args.checkpoint)  # a corrupt or newer file is reported, not shared
    with _held(_store(args.location)) as store:
        if store.has_content:
            raise CheckpointError(f"{args.location} already holds a setup; pull it, or push under another name")
        store.write(text)
    return (
        f"Pushed {args.checkpoint} to {args.location}. Resume it anywhere with "
        f"`scoring-wizard run --answers FILE --state {args.location}`. Files beside it (SSH keys, .rdp) stay here."
    )


def _pull(args: argparse.Namespace) -> str:
    with _held(_store(args.location)) as store:
        if not store.has_content:
            raise CheckpointError(f"{args.location} holds no setup yet")
        text = store.path.read_text(encoding="utf-8")
    target = args.checkpoint or checkpoints.default_path(checkpoints.read(store.path).answers)
    if target.exists():
        raise CheckpointError(f"{target} exists; move it away or pass --checkpoint NEW_PATH")
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    checkpoints._write_atomically(target, text)
    return f"Pulled {args.location} to {target}; the shared copy stays, and the two now go their own ways."


def _list(args: argparse.Namespace) -> str:
    location = blob_state.Location.parse(args.location, container_only=True)
    setups = blob_state.list_setups(blob_state.container_client(location, blob_state.default_credential()))
    if args.json:
        return json.dumps(setups, indent=2)
    if not setups:
        return f"No shared setups in {args.location}."
    rows = [f"{s['setup']:<24} {s['progress']:<18} {s['updated']:<20} {s['held_by'] or 'free'}" for s in setups]
    return "\n".join(rows)


def _unlock(args: argparse.Namespace) -> str:
    store = _store(args.location)
    holder = blob_state.break_lease(store._blob)
    if holder is None:
        return f"{args.location} was not locked."
    print(f"warning: broke the lock of {holder}; if that wizard is still running it stops at its next write.")
    return f"{args.location} is free."


def _history(args: argparse.Namespace) -> str:
    store = _store(args.location)
    versions = blob_state.history(store._container, store.location)
    if not versions:
        return f"{args.location} holds no setup yet."
    return "\n".join(
        f"{v.number:>3}  {v.written_at:%Y-%m-%d %H:%M:%S UTC}  {v.progress}" + ("  (current)" if v.number == 0 else "")
        for v in versions
    )


def _rollback(args: argparse.Namespace) -> str:
    with _held(_store(args.location)) as store:
        text = blob_state.read_version(store._container, store.location, args.version)
        Document.model_validate_json(text)
        store.write(text)
    return f"{args.location} is back to version {args.version}; the version it replaced is now version 1."


def _create(args: argparse.Namespace) -> str:
    from wizard import answers as answer_files
    from wizard import state_container
    from wizard.connect import ConnectError, connect, emulator_endpoint

    try:
        answers = answer_files.load(args.answers)
        address = args.location or answers.state
        if address is None:
            raise CheckpointError(f"name the container (blob://account/container/setup) or set state in {args.answers}")
        location = blob_state.Location.parse(address)
        connection = connect(answers, emulator_endpoint(args.emulator))
    except answer_files.AnswersError as error:
        raise CheckpointError("; ".join(error.problems)) from None
    except ConnectError as error:
        raise CheckpointError(str(error)) from None
    done = state_container.create(connection, location, resource_group=args.resource_group, region=answers.region)
    use = f"scoring-wizard run --answers {args.answers}" + ("" if answers.state == address else f" --state {address}")
    return "\n".join([*done, f"Ready: {use}"])


class _held:
    """The store's lease for the length of one command."""

    def __init__(self, store: blob_state.BlobStore):
        self.store = store

    def __enter__(self) -> blob_state.BlobStore:
        self.store.acquire()
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.release()


ACTIONS = {
    "create": _create,
    "push": _push,
    "pull": _pull,
    "list": _list,
    "unlock": _unlock,
    "history": _history,
    "rollback": _rollback,
}


def run(args: argparse.Namespace) -> int:
    from azure.core.exceptions import AzureError

    try:
        print(ACTIONS[args.state_command](args))
    except (CheckpointError, OSError) as error:
        print(f"scoring-wizard: {error}", file=sys.stderr)
        return 2
    except AzureError as error:
        print(f"scoring-wizard: Azure refused: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0
