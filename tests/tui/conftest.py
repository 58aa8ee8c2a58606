"""Fixtures for the Textual wizard: an in-process emulator, deterministic settings, and waiting helpers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from screens.config import UiConfig
from tests.state.conftest import azurite, shared  # noqa: F401 (Azurite, for the shared setups on the start screen)
from wizard.connect import EmulatorEndpoint
from wizard.emulator import Emulator


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorEndpoint]:
    running = Emulator(tmp_path / "emulator", latency_scale=0.01).start()
    yield EmulatorEndpoint(**running.endpoint())
    running.stop()


def ui_config(tmp_path: Path, emulator: EmulatorEndpoint | None = None, **overrides) -> UiConfig:
    """Settings that make every run look the same: no blink, a stopped clock, no probing for `az`."""
    settings = {
        "checkpoint_dir": tmp_path / "setups",
        "emulator": emulator,
        "poll_interval": 0.05,
        "clock": lambda: 0.0,
        "cursor_blink": False,
        "detect_cli_login": False,
    }
    return UiConfig(**{**settings, **overrides})


async def wait_for(pilot: Pilot, condition, timeout: float = 20.0, what: str = "condition") -> None:
    """Let the app run until `condition()` holds (workers and the runner need real time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; screen is {type(pilot.app.screen).__name__}")
        await pilot.pause(0.05)


async def wait_for_screen(pilot: Pilot, screen_class: type, timeout: float = 20.0) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen_class), timeout, screen_class.__name__)
