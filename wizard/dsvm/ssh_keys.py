"""The SSH key a Linux DSVM trusts: the user's own, or one made for this setup.

Key sign-in is the default because a password on an internet-facing SSH port is what scanners guess at. The
user's existing `~/.ssh/id_ed25519.pub` or `id_rsa.pub` (the two kinds Azure accepts) is used as it is; a user
without one gets an Ed25519 key pair generated for this setup, the private half written owner-only into the
setup's files folder (beside the checkpoint, never inside it) and reused on every later run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

USER_KEYS = ("id_ed25519.pub", "id_rsa.pub")


@dataclass(frozen=True)
class SshKey:
    """The public key to install, and the private key file to pass to ssh -i when the wizard made it."""

    public: str
    identity_file: Path | None  # None: the user's own key, which ssh finds by itself

    @property
    def generated(self) -> bool:
        return self.identity_file is not None


def generated_key_path(files_dir: Path, vm_name: str) -> Path:
    return files_dir / f"{vm_name}_id_ed25519"


def _public_line(key: Ed25519PrivateKey) -> str:
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return f"{public.decode()} scoring-wizard"


def _generate(private_path: Path) -> str:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    private_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private)
    line = _public_line(key)
    private_path.with_name(private_path.name + ".pub").write_text(line + "\n", encoding="utf-8")
    return line


def _load(private_path: Path) -> str:
    key = serialization.load_ssh_private_key(private_path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{private_path} is not the Ed25519 key scoring-wizard made")
    return _public_line(key)


def ssh_key(files_dir: Path, vm_name: str, home: Path | None = None) -> SshKey:
    """The key made for this setup if there is one, else the user's own, else a new one made now."""
    private_path = generated_key_path(files_dir, vm_name)
    if private_path.exists():
        return SshKey(_load(private_path), private_path)
    ssh_dir = (home or Path.home()) / ".ssh"
    for name in USER_KEYS:
        candidate = ssh_dir / name
        if candidate.is_file():
            return SshKey(candidate.read_text(encoding="utf-8").strip(), None)
    return SshKey(_generate(private_path), private_path)
