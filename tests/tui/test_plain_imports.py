"""`--plain` is for terminals where the full-screen UI does not fit: it must not pay for loading Textual."""

import subprocess
import sys


def test_the_plain_face_and_the_ui_entry_point_never_import_textual():
    code = "import sys, screens.launch, screens.plain; print(sorted(m for m in sys.modules if m.startswith('textual')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
