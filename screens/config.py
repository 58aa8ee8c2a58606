"""What the wizard's screens depend on from outside, injected so tests and screenshots are deterministic.

A snapshot must not show a blinking cursor, a running clock or a temporary path, so the clocks, the time zone, the
cursor blink and the CLI-login probe are settings here rather than reached for directly by the screens.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from wizard.connect import EmulatorEndpoint


@dataclass(frozen=True)
class UiConfig:
    checkpoint_dir: Path
    emulator: EmulatorEndpoint | None = None
    poll_interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    cursor_blink: bool = True
    detect_cli_login: bool = True
    dark: bool = True
    exit_after_first_paint: bool = False
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the wall clock, for the next fire times
    time_zone: tzinfo = field(default_factory=lambda: local_zone())  # the user's, to show fire times in
    given: Mapping[str, Any] = field(default_factory=dict)  # answers given as flags, variables or --answers

    @property
    def demo(self) -> bool:
        """Against the emulator: signed in as its demo principal, every question has a working default."""
        return self.emulator is not None


def local_zone() -> tzinfo:
    from tzlocal import get_localzone

    return get_localzone()


def display_path(path: Path) -> str:
    """A path as short as it can be shown: relative to the current folder, else with ~ for home."""
    path = Path(path).absolute()
    for base, shown in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return shown + str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
