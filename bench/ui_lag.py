"""Prints how responsive the Textual wizard stays while it provisions.

Run: .venv/bin/python bench/ui_lag.py. Goal: the UI never freezes: Azure calls run in thread workers and reach
the screen as messages, so the event loop's p99 lag during a whole demo run stays under 50 ms (a key press feels
immediate). The maximum includes building each new screen; the drive saves no screenshots (an SVG export blocks
the loop, which no user sees). Python's full garbage collections are counted with their longest pause: each one
walks every object the SDKs brought and freezes the screen, so the progress screen holds them back during a run
(screens/full_collections.py).

Key-to-update: while the progress screen shows the run's panes, Down (or Up at the bottom) is sent to the scrolled
grid of panes through the driver four times a second, timed from the key to the end of the first refresh after
the grid has taken it. Goal (issue 14): p99 under 100 ms.
"""

from __future__ import annotations

import asyncio
import gc
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402
from textual.widget import Widget  # noqa: E402

from screens.app import WizardApp  # noqa: E402
from screens.config import UiConfig  # noqa: E402
from screens.screenshots import drive_demo  # noqa: E402
from wizard.connect import EmulatorEndpoint  # noqa: E402
from wizard.emulator import Emulator  # noqa: E402

TICK = 0.01
KEY_EVERY = 0.25


async def _key_to_update(app: WizardApp, grid: Widget) -> float | None:
    """Milliseconds from a scroll key reaching the driver to the end of the refresh after the grid took it; None
    when the grid has nothing to scroll."""
    if not grid.allow_vertical_scroll:
        return None
    grid.focus()
    before = grid.scroll_target_y
    painted = asyncio.Event()
    started = time.perf_counter()
    key = events.Key("down" if before < grid.max_scroll_y else "up", None)
    key.set_sender(app)
    app._driver.send_message(key)
    while grid.scroll_target_y == before:
        await asyncio.sleep(0.001)
    app.call_after_refresh(painted.set)
    await painted.wait()
    return (time.perf_counter() - started) * 1000


async def _with_probe(app: WizardApp, folder: Path) -> tuple[list[float], list[float], int]:
    lags: list[float] = []
    keys: list[float] = []
    panes = 0
    running = True

    async def probe() -> None:
        while running:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append((time.perf_counter() - started - TICK) * 1000)

    async def press() -> None:
        nonlocal panes
        while running:
            await asyncio.sleep(KEY_EVERY)
            progress = app.progress_screen
            if progress is not None and app.screen is progress and progress.running:
                panes = max(panes, len(progress.panes))
                took = await _key_to_update(app, progress.query_one("#steps"))
                if took is not None:
                    keys.append(took)

    tasks = [asyncio.create_task(probe()), asyncio.create_task(press())]
    try:
        await drive_demo(app, folder, save=False)
    finally:
        running = False
        await asyncio.gather(*tasks)
    return lags, keys, panes


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class FullCollections:
    """The full (oldest-generation) collections of this process and how long each held the GIL, in ms."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._began = 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._began) * 1000)


def main() -> None:
    started = time.perf_counter()
    collections = FullCollections()
    with tempfile.TemporaryDirectory() as state:
        emulator = Emulator(Path(state) / "emulator", latency_scale=0.3).start()
        try:
            config = UiConfig(
                checkpoint_dir=Path(state) / "setups",
                emulator=EmulatorEndpoint(**emulator.endpoint()),
                poll_interval=0.1,
                cursor_blink=False,
                detect_cli_login=False,
            )
            lags, keys, panes = asyncio.run(_with_probe(WizardApp(config), Path(state)))
        finally:
            emulator.stop()
    elapsed = time.perf_counter() - started
    print(
        f"UI event-loop lag over a whole demo run ({elapsed:.1f} s, {len(lags)} samples): "
        f"median {statistics.median(lags):.1f} ms, p99 {_percentile(lags, 0.99):.1f} ms, max {max(lags):.1f} ms"
    )
    if keys:
        print(
            f"key-to-update on the progress screen ({panes} panes, {len(keys)} keys): median "
            f"{statistics.median(keys):.1f} ms, p99 {_percentile(keys, 0.99):.1f} ms, max {max(keys):.1f} ms"
        )
    longest = f", longest {max(collections.pauses):.0f} ms" if collections.pauses else ""
    print(f"full garbage collections: {len(collections.pauses)}{longest}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
