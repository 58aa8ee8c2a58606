"""How the user reaches the DSVM and its Jupyter, replacing the seed's portal clicks and PuTTY tunnel setup.

Windows: a ready `.rdp` file (double-click it, sign in with the password, open Jupyter from the desktop).
Linux: one `ssh -L` command that forwards the DSVM's JupyterHub (port 8000) to this machine, and its URL.
The files go into the setup's files folder beside the checkpoint, owner-only.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

JUPYTER_PORT = 8000
JUPYTER_URL = f"https://localhost:{JUPYTER_PORT}"
RDP_PORT = 3389


def rdp_file_text(host: str, username: str) -> str:
    """A Remote Desktop connection file, as the portal's "Download RDP file" makes it (CRLF line ends)."""
    lines = [
        f"full address:s:{host}:{RDP_PORT}",
        f"username:s:{username}",
        "prompt for credentials:i:1",
        "administrative session:i:1",
        "screen mode id:i:2",
        "authentication level:i:2",
    ]
    return "\r\n".join(lines) + "\r\n"


def write_rdp_file(files_dir: Path, vm_name: str, host: str, username: str) -> Path:
    """Write (or refresh) `<vm>.rdp` owner-only; it holds no password, but it does name the host and user."""
    files_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = files_dir / f"{vm_name}.rdp"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(rdp_file_text(host, username))
    os.chmod(path, 0o600)
    return path


def ssh_tunnel_command(host: str, username: str, identity_file: Path | None = None) -> str:
    """The command that opens a shell on the DSVM and forwards its Jupyter to localhost while it runs."""
    parts = ["ssh", "-L", f"{JUPYTER_PORT}:localhost:{JUPYTER_PORT}"]
    if identity_file is not None:
        parts += ["-i", str(identity_file)]
    parts.append(f"{username}@{host}")
    return shlex.join(parts)


def windows_instructions(rdp_file: Path, host: str, username: str, portal: str) -> list[str]:
    return [
        f"Remote desktop: open {rdp_file} (host {host}, user {username}, the password you typed)",
        "Then double-click Jupyter on the DSVM's desktop (it takes a minute to start).",
        f"Portal: {portal}",
    ]


def linux_instructions(command: str, portal: str, username: str, *, has_password: bool) -> list[str]:
    """JupyterHub signs in with the VM user's password, which a key-only VM does not have until one is set."""
    lines = [
        f"Tunnel: {command}",
        f"Jupyter: {JUPYTER_URL} while the tunnel is open (sign in as {username})",
    ]
    if not has_password:
        lines.append(
            f"Jupyter wants the user's password, which a key-only VM lacks; set one once over SSH: "
            f"sudo passwd {username}"
        )
    return [*lines, f"Portal: {portal}"]
