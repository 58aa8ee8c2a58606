"""One setup opened for running: its plan, its locked checkpoint and its connection to the cloud.

Both faces open setups through here, so the rules (answers must match the checkpoint they resume, the log
sits beside the checkpoint) are the same for the TUI and `run --answers`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from wizard import checkpoint as checkpoints
from wizard import plan as planning
from wizard import secret_inputs
from wizard.answers import Answers
from wizard.checkpoint import Checkpoint, CheckpointError, Store
from wizard.connect import Connection, EmulatorEndpoint, connect
from wizard.logs import log_to_file
from wizard.runner import EventSink, Runner

log = logging.getLogger("scoring_wizard.session")


@dataclass
class Session:
    plan: planning.Plan
    checkpoint: Checkpoint
    connection: Connection
    changed_answers: list[str] = field(default_factory=list)

    def runner(self, on_event: EventSink, **options) -> Runner:
        return Runner(self.plan, self.checkpoint, self.connection, on_event, **options)

    def pending_secrets(self) -> list[secret_inputs.SecretSpec]:
        """Secrets to ask for before running: give each to `secret_inputs.provide`."""
        return secret_inputs.pending(self.plan.secrets(), self.checkpoint)

    def change_answers(self, answers: Answers) -> list[str]:
        """Adopt edited answers for the steps not finished yet (a failure's remedy); the changed fields."""
        changed = _adopt_changes(self.checkpoint, answers)
        if changed:
            log.info("answers changed: %s (they apply to steps not finished yet)", changed)
            self.plan = planning.build(self.checkpoint.answers)
            self.changed_answers = sorted({*self.changed_answers, *changed})
        return changed

    def close(self) -> None:
        self.checkpoint.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# Answers that decide which resources a setup addresses: changing one would be a different setup.
IDENTITY_FIELDS = frozenset({"cloud", "subscription_id", "region", "resource_group", "prefix"})


def changed_fields(old: Answers, new: Answers) -> list[str]:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _adopt_changes(checkpoint: Checkpoint, answers: Answers) -> list[str]:
    """Take changed answers that a resume can honour (a size, an address); refuse ones that make another setup."""
    changed = changed_fields(checkpoint.answers, answers)
    moved = [name for name in changed if name in IDENTITY_FIELDS]
    if moved:
        raise CheckpointError(
            f"{checkpoint.path} belongs to a setup with other {', '.join(moved)}. Resume it with its own "
            "answers, or pass --checkpoint NEW_PATH to start a separate setup."
        )
    if changed:
        checkpoint.replace_answers(answers)
    return changed


def open_session(
    answers: Answers | None,
    *,
    checkpoint_path: Path | None = None,
    emulator: EmulatorEndpoint | None = None,
    connection: Connection | None = None,
    store: Store | None = None,
) -> Session:
    """Lock the setup's checkpoint (creating it from `answers`) and connect to its cloud.

    With `answers` None the checkpoint's own answers are used (a plain resume). Answers that changed since the
    last run are adopted unless they would address other resources (see IDENTITY_FIELDS); steps that already
    finished are not redone for them. `store` keeps the checkpoint elsewhere (a shared blob); `checkpoint_path`
    is then its local copy.
    """
    if answers is None and checkpoint_path is None:
        raise CheckpointError("give the answers or the checkpoint to resume")
    path = checkpoint_path or checkpoints.default_path(answers)
    # Connect before the checkpoint exists: a setup that cannot reach its cloud leaves nothing behind.
    conn = connection or connect(answers or checkpoints.read(path).answers, emulator)
    checkpoint = Checkpoint.open(path, answers, store)
    try:
        changed = _adopt_changes(checkpoint, answers) if answers is not None else []
        log_to_file(path.with_suffix(".log"))
        if changed:
            log.info("answers changed since the last run: %s (they apply to steps not finished yet)", changed)
        return Session(planning.build(checkpoint.answers), checkpoint, conn, changed)
    except BaseException:
        checkpoint.close()
        raise
