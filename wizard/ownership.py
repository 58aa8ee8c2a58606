"""Which setup owns a resource group: its tag names the checkpoint's setup id, so that a second checkpoint for the
same resources (another folder, another machine) is refused before it writes anything, naming the owner."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from wizard import checkpoint as checkpoints
from wizard.azure.errors import StepError
from wizard.checkpoint import CheckpointError
from wizard.setup_folder import default_dir, discover
from wizard.steps.resource_group import SETUP_TAG


def _checkpoint_of(setup_id: str, folders: tuple[Path, ...]) -> Path | None:
    """The local checkpoint of a setup, if one is in these folders."""
    for folder in folders:
        for path in discover(folder):
            try:
                if checkpoints.read(path).setup_id == setup_id:
                    return path
            except CheckpointError:
                continue
    return None


def refuse_foreign(group: str, tags: Mapping[str, str] | None, setup_id: str, checkpoint_folder: Path) -> None:
    """Raise SetupConflict when the group's tag names another setup than this checkpoint's. Without a setup id
    (`scoring-wizard plan`, which only reads) there is nothing to protect."""
    owner = (tags or {}).get(SETUP_TAG)
    if not setup_id or not owner or owner == setup_id:
        return
    found = _checkpoint_of(owner, (checkpoint_folder, default_dir()))
    where = f"checkpoint {found}" if found else "a checkpoint not on this machine"
    raise StepError(
        "SetupConflict",
        f"resource group {group} belongs to another scoring-wizard setup ({SETUP_TAG}={owner}, {where})",
        todo="Resume that setup with its own checkpoint, or choose another resource group.",
    )
