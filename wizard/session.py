"""One setup opened for running: its plan, its locked checkpoint and its connection to the cloud.

Both faces open setups through here, so the rules (answers must match the checkpoint they resume, the log
sits beside the checkpoint) are the same for the TUI and `run --answers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wizard import checkpoint as checkpoints
from wizard import plan as planning
from wizard import secret_inputs
from wizard.answers import Answers
from wizard.checkpoint import Checkpoint, CheckpointError
from wizard.connect import Connection, EmulatorEndpoint, connect
from wizard.logs import log_to_file
from wizard.runner import EventSink, Runner


@dataclass
class Session:
    plan: planning.Plan
    checkpoint: Checkpoint
    connection: Connection

    def runner(self, on_event: EventSink, **options) -> Runner:
        return Runner(self.plan, self.checkpoint, self.connection, on_event, **options)

    def pending_secrets(self) -> list[secret_inputs.SecretSpec]:
        """Secrets to ask for before running: give each to `secret_inputs.provide`."""
        return secret_inputs.pending(self.plan, self.checkpoint)

    def close(self) -> None:
        self.checkpoint.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def changed_fields(old: Answers, new: Answers) -> list[str]:
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def open_session(
    answers: Answers | None,
    *,
    checkpoint_path: Path | None = None,
    emulator: EmulatorEndpoint | None = None,
    connection: Connection | None = None,
) -> Session:
    """Lock the setup's checkpoint (creating it from `answers`) and connect to its cloud.

    With `answers` None the checkpoint's own answers are used (a plain resume).
    """
    if answers is None and checkpoint_path is None:
        raise CheckpointError("give the answers or the checkpoint to resume")
    path = checkpoint_path or checkpoints.default_path(answers)
    checkpoint = Checkpoint.open(path, answers)
    try:
        if answers is not None and answers != checkpoint.answers:
            fields = ", ".join(changed_fields(checkpoint.answers, answers))
            raise CheckpointError(
                f"{path} belongs to a setup with other answers ({fields} differ). Resume it with its own "
                "answers, or pass --checkpoint NEW_PATH to start a separate setup."
            )
        log_to_file(path.with_suffix(".log"))
        conn = connection or connect(checkpoint.answers, emulator)
        return Session(planning.build(checkpoint.answers), checkpoint, conn)
    except BaseException:
        checkpoint.close()
        raise
