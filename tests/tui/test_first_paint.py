"""The full-screen wizard paints its first screen before it loads the engine: no SDK, no azure-core, no pydantic,
no plan of steps. Those cost more than Textual itself, and a newcomer reads the welcome while they load."""

import subprocess
import sys

NOT_BEFORE_FIRST_PAINT = ("azure", "pydantic", "requests", "msal", "wizard.plan", "wizard.steps", "wizard.checkpoint")

PROBE = """
import sys
from wizard.cli import main
code = main(["--checkpoint-dir", sys.argv[1]])
print(code)
print("\\n".join(sys.modules))
"""


def _modules_at_first_paint(checkpoint_dir: str) -> tuple[str, list[str]]:
    env = {
        "PATH": "/usr/bin:/bin",
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "SCORING_WIZARD_EXIT_AFTER_FIRST_PAINT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE, checkpoint_dir], capture_output=True, text=True, env=env, check=True, timeout=60
    )
    code, *modules = result.stdout.split()
    return code, modules


def test_the_welcome_screen_is_painted_before_the_engine_is_loaded(tmp_path):
    code, modules = _modules_at_first_paint(str(tmp_path))
    assert code == "0"
    assert "screens.welcome_screen" in modules
    assert sorted(name for name in modules if name.startswith(NOT_BEFORE_FIRST_PAINT)) == []
