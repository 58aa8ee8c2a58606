"""Where checkpoints live and which ones are there.

Kept apart from the checkpoint format (pydantic models, azure-core errors): the full-screen UI chooses its first
screen, the welcome or the resume list, from this alone, before it has painted anything.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs


def default_dir() -> Path:
    """Where checkpoints live unless a path is given: the platform's per-user state folder."""
    return platformdirs.user_state_path("scoring-wizard") / "setups"


def discover(directory: Path | None = None) -> list[Path]:
    """Checkpoints in a folder, newest first, for the resume list."""
    folder = directory or default_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)


def shared_dir() -> Path:
    """Local copies of shared setups, one folder per account and container: which containers this machine uses."""
    return default_dir() / "shared"


def shared_containers() -> list[tuple[str, str]]:
    """(account, container) of every container this machine has shared setups in, read from its local copies."""
    root = shared_dir()
    if not root.is_dir():
        return []
    return [
        (account.name, container.name)
        for account in sorted(root.iterdir())
        if account.is_dir()
        for container in sorted(account.iterdir())
        if container.is_dir()
    ]
