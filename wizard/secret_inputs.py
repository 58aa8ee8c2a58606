"""Secrets a step needs at run time (a VM admin password): declared by steps, asked for by whichever face runs.

A secret is never an answer and never written down. A step declares what it needs (`Step.secrets`); a face asks
for each secret that `pending` lists (the headless `run` reads an environment variable or prompts on a terminal,
the TUI shows a masked field) and hands it to `provide`, which checks it and keeps it in `redact.SECRETS`, so
every log line and file is scrubbed of it; the step reads it back with `value`. A step already done, or one
whose operation Azure has already accepted (a continuation token in the checkpoint), needs nothing typed again
on resume.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wizard.azure.errors import StepError
from wizard.redact import SECRETS

if TYPE_CHECKING:
    from wizard.checkpoint import Checkpoint


def _no_rule(value: str) -> str | None:
    return None


@dataclass(frozen=True)
class SecretSpec:
    """One secret: its key in `redact.SECRETS`, how to ask for it, where headless runs find it, and its rule."""

    name: str
    prompt: str
    env_var: str
    validate: Callable[[str], str | None] = field(default=_no_rule, compare=False)
    rule: str = ""  # shown before anything is typed, so the first try can be right
    confirm: bool = True  # a typed secret is asked twice: a typo would lock the user out of the VM


def provide(spec: SecretSpec, secret: str) -> str | None:
    """Keep `secret` for this session if it meets the spec's rule; return the rule it breaks, else None."""
    problem = spec.validate(secret)
    if problem:
        return problem
    SECRETS.put(spec.name, secret)
    escaped = json.dumps(secret)[1:-1]
    if escaped != secret:
        SECRETS.put(f"{spec.name}#json", escaped)
    return None


def have(spec: SecretSpec) -> bool:
    return bool(SECRETS.get(spec.name))


def from_environment(spec: SecretSpec) -> str | None:
    """The secret as set in the spec's environment variable, if it is set."""
    return os.environ.get(spec.env_var) or None


def value(spec: SecretSpec) -> str:
    """The secret given for this session; a step calls this just before the Azure call that needs it."""
    secret = SECRETS.get(spec.name)
    if not secret:
        raise StepError(
            "SecretMissing",
            f"{spec.prompt} was not given (it is never stored, so each run that creates the resource asks again)",
            todo=f"Set {spec.env_var} in the environment, or run on a terminal to be asked, then resume.",
        )
    return secret


def pending(needed: Iterable[tuple[str, tuple[SecretSpec, ...]]], checkpoint: Checkpoint) -> list[SecretSpec]:
    """Secrets still to be asked for, from each step's (key, secrets): those of steps that may have to create
    something in this run."""
    from wizard.checkpoint import StepStatus

    wanted: list[SecretSpec] = []
    for key, specs in needed:
        record = checkpoint.step(key)
        done = record.status in (StepStatus.SUCCEEDED, StepStatus.SKIPPED)
        accepted = record.status is StepStatus.RUNNING and bool(record.continuation_token)
        if not (done or accepted):
            wanted.extend(spec for spec in specs if not have(spec))
    return list(_unique(wanted))


def _unique(specs: Iterable[SecretSpec]) -> Iterable[SecretSpec]:
    seen: set[str] = set()
    for spec in specs:
        if spec.name not in seen:
            seen.add(spec.name)
            yield spec
