"""Prints how responsive the Textual wizard stays while it provisions, and how long it takes to start.

Run: .venv/bin/python bench/ui_lag.py. Goal: the UI never freezes: Azure calls run in thread workers and reach
the screen as messages, so the event loop's p99 lag during a whole demo run stays under 50 ms (a key press feels
immediate). The maximum includes building each new screen and exporting the five SVG screenshots the drive saves.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screens.app import WizardApp  # noqa: E402
from screens.config import UiConfig  # noqa: E402
from screens.screenshots import drive_demo  # noqa: E402
from wizard.connect import EmulatorEndpoint  # noqa: E402
from wizard.emulator import Emulator  # noqa: E402

TICK = 0.01


async def _with_probe(app: WizardApp, folder: Path) -> list[float]:
    lags: list[float] = []
    running = True

    async def probe() -> None:
        while running:
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append((time.perf_counter() - started - TICK) * 1000)

    task = asyncio.create_task(probe())
    try:
        await drive_demo(app, folder)
    finally:
        running = False
        await task
    return lags


def main() -> None:
    started = time.perf_counter()
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
            lags = asyncio.run(_with_probe(WizardApp(config), Path(state)))
        finally:
            emulator.stop()
    elapsed = time.perf_counter() - started
    ordered = sorted(lags)
    print(
        f"UI event-loop lag over a whole demo run ({elapsed:.1f} s, {len(lags)} samples): "
        f"median {statistics.median(lags):.1f} ms, p99 {ordered[int(0.99 * len(ordered))]:.1f} ms, "
        f"max {ordered[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
