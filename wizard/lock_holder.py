"""Who holds a checkpoint's lock, written beside it, since filelock records nothing.

A second wizard that is refused can then name the holder (user, host, pid, since), and a wizard that finds the
record of a process that is gone (killed, so it never cleaned up) says that it takes over.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"{self.user} on {self.host}, pid {self.pid}, since {self.since}"

    def alive(self) -> bool:
        """Whether the process still runs; one on another host is taken to be alive (it cannot be asked)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def info_path(lock_file: str) -> Path:
    return Path(lock_file + ".info")


def read(lock_file: str) -> Holder | None:
    try:
        data = json.loads(info_path(lock_file).read_text(encoding="utf-8"))
        return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(lock_file: str) -> None:
    """Called with the lock held. Best effort: a record that cannot be written only costs the naming."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid())
    me = Holder(user, socket.gethostname(), os.getpid(), datetime.now(UTC).isoformat(timespec="seconds"))
    path = info_path(lock_file)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(me), handle)
    except OSError:
        pass


def clear(lock_file: str) -> None:
    info_path(lock_file).unlink(missing_ok=True)
