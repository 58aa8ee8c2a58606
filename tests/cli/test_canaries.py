"""Secrets quoted in an Azure error never reach a file: not the checkpoint, the run log, `status --json`, nor the
emulator's state folder. The canaries are a VM password (with the characters repr and JSON escape), a bearer
token, and the emulator's client secret (which only endpoint.json may hold)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.cli.conftest import WIZARD
from tests.cli.test_dsvm import _answers, _run
from wizard.emulator import DEMO

PASSWORD = 'Can4ry\\Pa55"word!'
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnktc3ViamVjdCJ9.c2lnbmF0dXJlLWNhbmFyeS0xMjM0NTY3OA"


def _files(*folders: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for folder in folders for path in folder.rglob("*") if path.is_file()}


def test_secrets_in_an_azure_error_reach_no_file(standalone_emulator, tmp_path: Path):
    message = (
        f"The request failed: adminPassword '{PASSWORD}' was rejected; Authorization: Bearer {JWT}; "
        f"client_secret={DEMO.client_secret}; echo {DEMO.client_secret} {PASSWORD!r}"
    )
    standalone_emulator.admin(
        "faults",
        {
            "method": "PUT",
            "path_pattern": "(?i)virtualMachines/",
            "status": 400,
            "code": "BadRequest",
            "message": message,
            "times": None,
        },
    )
    checkpoint, home = tmp_path / "run" / "windows.json", tmp_path / "home"
    answers = _answers(tmp_path, "windows.toml")
    result = _run(standalone_emulator, answers, checkpoint, home, SCORING_WIZARD_VM_PASSWORD=PASSWORD)
    assert result.returncode == 1, result.stdout + result.stderr
    status = subprocess.run(
        [WIZARD, "status", "--checkpoint", str(checkpoint), "--json"],
        capture_output=True,
        env={**os.environ, "SCORING_WIZARD_EMULATOR": ""},
    )
    assert b"BadRequest" in status.stdout

    written = _files(checkpoint.parent, home, standalone_emulator.state_dir)
    assert checkpoint.with_suffix(".log") in written
    written[Path("stdout")] = result.stdout.encode()
    written[Path("stderr")] = result.stderr.encode()
    written[Path("status --json")] = status.stdout
    canaries = [*re.split(r'[\\"]', PASSWORD), *JWT.split(".")]  # the pieces every escaping leaves intact
    for path, data in written.items():
        for canary in canaries:
            assert canary.encode() not in data, f"{canary!r} in {path}"
        if path.name != "endpoint.json":
            assert DEMO.client_secret.encode() not in data, f"the client secret in {path}"
