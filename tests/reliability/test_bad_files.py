"""Answers and checkpoint files a user can get wrong give one clear line and exit 2, never a traceback."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w

from wizard import cli
from wizard.resources import asset

DEMO = asset("demo.toml").read_text(encoding="utf-8")


def _utf16(path: Path) -> Path:
    path.write_text(DEMO, encoding="utf-16")
    return path


def _latin1(path: Path) -> Path:
    path.write_bytes(DEMO.encode() + "\n# caf\xe9\n".encode("latin-1"))
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _under_a_regular_file(path: Path) -> Path:
    """Fails for root too: a path whose parent is a file cannot be read, written or created."""
    path.write_text("x")
    return path / "inner"


def _deeply_nested(path: Path) -> Path:
    path.write_text("[" * 100_000 + "]" * 100_000)
    return path


BAD = {
    "utf-16": _utf16,
    "latin-1": _latin1,
    "directory": _directory,
    "parent-is-a-file": _under_a_regular_file,
    "deeply-nested": _deeply_nested,
}


def _one_clean_line(code: int, err: str) -> None:
    assert code == cli.EXIT_USAGE, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    answers = BAD[kind](tmp_path / "answers.toml")
    for command in ("run", "plan"):
        code = cli.main([command, "--answers", str(answers)])
        _one_clean_line(code, capsys.readouterr().err)


@pytest.mark.parametrize("kind", BAD)
def test_a_bad_checkpoint_for_run_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    make: Callable[[Path], Path] = BAD[kind]
    checkpoint = make(tmp_path / "setup.json")
    code = cli.main(["run", "--answers", str(asset("demo.toml")), "--checkpoint", str(checkpoint)])
    _one_clean_line(code, capsys.readouterr().err)
    code = cli.main(["status", "--checkpoint", str(checkpoint)])
    _one_clean_line(code, capsys.readouterr().err)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pipeline": {"batch_size": "50"}}, "pipeline.batch_size"),
        ({"pipeline": {"batch_size": 50.0}}, "pipeline.batch_size"),
        ({"recurrence": {"interval": "2"}}, "recurrence.interval"),
        ({"gpu_cluster": "no"}, "gpu_cluster"),
        ({"linux_password_login": 1}, "linux_password_login"),
    ],
)
def test_a_number_or_switch_written_as_something_else_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict, field: str
) -> None:
    data = tomllib.loads(DEMO)
    for key, value in change.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(data))
    assert cli.main(["plan", "--answers", str(answers)]) == cli.EXIT_USAGE
    assert f"{field}: " in capsys.readouterr().err
