"""Which setup owns a resource group: its tag names the checkpoint's setup id, so that a second checkpoint for the
same resources (another folder, another machine) is refused before it writes anything, naming the owner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wizard import checkpoint as checkpoints
from wizard.answers import Answers
from wizard.checkpoint import CheckpointError
from wizard.steps.resource_group import CLIENT as RESOURCE_CLIENT
from wizard.steps.resource_group import SETUP_TAG

if TYPE_CHECKING:
    from wizard.connect import Connection


def _checkpoint_of(setup_id: str, folders: tuple[Path, ...]) -> Path | None:
    """The local checkpoint of a setup, if one is in these folders."""
    for folder in folders:
        for path in checkpoints.discover(folder):
            try:
                if checkpoints.read(path).setup_id == setup_id:
                    return path
            except CheckpointError:
                continue
    return None


def refuse_foreign_group(connection: Connection, answers: Answers, setup_id: str, checkpoint_path: Path) -> None:
    """Refuse (CheckpointError) when the resource group exists and carries another setup's tag. Reads only."""
    from azure.core.exceptions import ResourceNotFoundError

    client = connection.clients.get(RESOURCE_CLIENT)
    try:
        group = client.resource_groups.get(answers.resource_group)
    except ResourceNotFoundError:
        return
    owner = (group.tags or {}).get(SETUP_TAG)
    if not owner or owner == setup_id:
        return
    found = _checkpoint_of(owner, (checkpoint_path.parent, checkpoints.default_dir()))
    where = f"checkpoint {found}" if found else "a checkpoint not on this machine"
    raise CheckpointError(
        f"resource group {answers.resource_group} belongs to another scoring-wizard setup ({SETUP_TAG}={owner}, "
        f"{where}); resume that setup, or choose another resource group"
    )
