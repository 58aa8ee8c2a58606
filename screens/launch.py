"""The entry point `scoring-wizard` finds through the `scoring_wizard.ui` group: the full-screen wizard, or the
--plain prompts. Free of Textual at import time, so `--plain` (and anything that only looks the UI up) never
pays for loading it; on leaving the full screen, it says where the setup stands and how to go on."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wizard.connect import EmulatorEndpoint

# Set to 1, the full-screen UI exits as soon as its first screen is painted (bench/startup.py measures that).
EXIT_AFTER_FIRST_PAINT = "SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT"


def launch(
    *,
    emulator: EmulatorEndpoint | None,
    checkpoint_dir: Path,
    plain: bool = False,
    given: Mapping[str, Any] | None = None,
) -> int:
    """Run the wizard (full-screen, or plain prompts) and return the process exit code. `given` answers (flags,
    environment, --answers; see wizard.answer_sources) are what the questions start from."""
    given = given or {}
    if plain:
        from screens.plain import run_plain

        return run_plain(emulator=emulator, checkpoint_dir=checkpoint_dir, given=given)
    from screens.app import EXIT_OK, WizardApp
    from screens.config import UiConfig

    config = UiConfig(
        checkpoint_dir=checkpoint_dir,
        emulator=emulator,
        poll_interval=0.2 if emulator else 2.0,
        exit_after_first_paint=os.environ.get(EXIT_AFTER_FIRST_PAINT) == "1",
        given=given,
    )
    app = WizardApp(config)
    try:
        code = app.run()
    finally:
        app.close_session()
    if app.opened is not None:
        print("\n".join(farewell(app.opened, demo=emulator is not None)))
    return EXIT_OK if code is None else code


def farewell(checkpoint: Path, *, demo: bool) -> list[str]:
    """What is printed on leaving: the setup's state, then how to connect (done) or how to resume."""
    from wizard import checkpoint as checkpoints
    from wizard.status import summarize

    try:
        summary = summarize(checkpoint, checkpoints.read(checkpoint))
    except (checkpoints.CheckpointError, ValueError):
        return []
    lines = [f"Setup {summary.resource_group} ({summary.region}): {summary.progress} · checkpoint {checkpoint}"]
    if summary.destroyed:
        return lines
    if summary.last_error:
        lines.append(f"  Last error: {summary.last_error}")
    if summary.done == summary.total:
        lines += [f"  {line}" for line in summary.instructions]
        lines.append(f"  Tear down everything it made: {teardown_command(checkpoint, emulated=demo)}")
    else:
        again = "scoring-wizard demo" if demo else "scoring-wizard"
        lines.append(
            f"  Resume: {again} (pick it on the start screen), or "
            f"scoring-wizard run --answers FILE --checkpoint {checkpoint}"
        )
    return lines


def teardown_command(checkpoint: Path, *, emulated: bool = False) -> str:
    """The command that removes what a setup made (an emulated one needs its emulator running again)."""
    return f"scoring-wizard destroy --checkpoint {checkpoint}" + (" --emulator DIR" if emulated else "")
