"""Fuzzed answers files, checkpoints and command lines give clean one-line errors, never a traceback.

Each target runs FUZZ_EXAMPLES cases (1,000 by default, the issue's floor) in-process, so a run stays within
about a minute per target; set FUZZ_EXAMPLES higher for a longer hunt.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard import answers as answer_files
from wizard import checkpoint as checkpoints
from wizard import cli
from wizard.resources import asset

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
DEMO_TEXT = asset("demo.toml").read_text(encoding="utf-8")
DEMO = tomllib.loads(DEMO_TEXT)
KEYS = sorted({*DEMO, *answer_files.Answers.model_fields, "unknown_key", "Prefix", "region "})

huge_text = st.builds(lambda piece, count: piece * count, st.text(min_size=1, max_size=3), st.integers(0, 300_000))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    huge_text,
    st.datetimes(),
    st.sampled_from(["", "eastus", "UTC", "Mars Standard Time", "50", "25:99", "*", "0.0.0.0/0", "ü" * 64]),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
)


@st.composite
def answers_data(draw: st.DrawFn) -> dict[str, Any]:
    """The demo answers with keys changed, removed and added: types, unicode, huge strings, unknown keys."""
    data = dict(DEMO)
    for key in draw(st.lists(st.sampled_from(KEYS), max_size=4)):
        if draw(st.booleans()):
            data.pop(key, None)
        else:
            data[key] = draw(values)
    return {k: v for k, v in data.items() if v is not None}


@st.composite
def mutated_text(draw: st.DrawFn, base: str) -> bytes:
    """`base` with a few splices of random text or bytes, or cut short: TOML/JSON syntax errors and encodings."""
    raw = bytearray(base.encode())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        cut = draw(st.integers(0, 20))
        raw[at : at + cut] = draw(st.binary(max_size=12) | st.text(max_size=12).map(str.encode))
    if draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    encoding = draw(st.sampled_from([None, "utf-16", "utf-8-sig", "latin-1"]))
    if encoding is not None:
        try:
            return bytes(raw).decode("utf-8").encode(encoding)
        except (UnicodeError, ValueError):
            return bytes(raw)
    return bytes(raw)


def _loads_or_explains(path: Path) -> None:
    try:
        answer_files.load(path)
    except answer_files.AnswersError as error:
        assert error.problems and all(line and len(line) < 2_000 for line in error.problems)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The fuzz cases' folder, and their working directory: a random relative --checkpoint makes a lock there."""
    folder = tmp_path_factory.mktemp("fuzz")
    before = Path.cwd()
    os.chdir(folder)
    yield folder
    os.chdir(before)


@FUZZ
@given(data=answers_data())
def test_fuzzed_answers_values(scratch: Path, data: dict[str, Any]) -> None:
    path = scratch / "answers.toml"
    try:
        path.write_text(tomli_w.dumps(data), encoding="utf-8")
    except (TypeError, ValueError):  # not expressible in TOML, so no user can write it
        return
    _loads_or_explains(path)


@FUZZ
@given(raw=mutated_text(DEMO_TEXT) | st.binary(max_size=200))
def test_fuzzed_answers_syntax(scratch: Path, raw: bytes) -> None:
    path = scratch / "answers.toml"
    path.write_bytes(raw)
    _loads_or_explains(path)


def _good_checkpoint_text() -> str:
    document = checkpoints.Document(answers=answer_files.parse(DEMO))
    document.steps["resource-group"] = checkpoints.StepRecord(status="succeeded", outputs={"id": "/subscriptions/x"})
    document.steps["vm"] = checkpoints.StepRecord(status="running", continuation_token="dG9rZW4=")
    return json.dumps(document.model_dump(mode="json"), indent=2)


GOOD_CHECKPOINT = _good_checkpoint_text()


@st.composite
def checkpoint_data(draw: st.DrawFn) -> bytes:
    """A good checkpoint with values replaced at random paths (wrong types, future schemas, huge strings)."""
    data = json.loads(GOOD_CHECKPOINT)
    for _ in range(draw(st.integers(1, 3))):
        node: Any = data
        while isinstance(node, dict) and node and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(node)))
            if not isinstance(node[key], dict):
                break
            node = node[key]
        if isinstance(node, dict) and node:
            node[draw(st.sampled_from([*sorted(node), "extra"]))] = draw(values)
    return json.dumps(data, default=str).encode()


@FUZZ
@given(raw=checkpoint_data() | mutated_text(GOOD_CHECKPOINT) | st.binary(max_size=200))
def test_fuzzed_checkpoints(scratch: Path, raw: bytes) -> None:
    path = scratch / "setup.json"
    path.write_bytes(raw)
    try:
        checkpoints.read(path)
    except checkpoints.CheckpointError as error:
        assert str(error) and "\n" not in str(error) and len(str(error)) < 2_000


OPTIONS = ["--answers", "--checkpoint", "--emulator", "--json", "--live", "--yes", "--plain", "--checkpoint-dir"]


@st.composite
def command_lines(draw: st.DrawFn, files: dict[str, str]) -> list[str]:
    """A command and arguments from the parser's own words, bad files and random text; never the interactive
    wizard, `emulator` or `demo`, which serve or ask."""
    words = st.sampled_from(["run", "plan", "status", "destroy", *OPTIONS, *files.values()]) | st.text(max_size=20)
    command = draw(st.sampled_from(["run", "plan", "status", "destroy"]))
    argv = draw(st.lists(words, max_size=6))
    return [command, *(arg for arg in argv if arg not in ("emulator", "demo") and not arg.startswith("-h"))]


def _fuzz_files(scratch: Path) -> dict[str, str]:
    (scratch / "cli").mkdir(exist_ok=True)
    files = {
        "utf16": (scratch / "cli" / "utf16.toml", DEMO_TEXT.encode("utf-16")),
        "garbage": (scratch / "cli" / "garbage.json", b"\x00\xff{{"),
        "nested": (scratch / "cli" / "nested.json", b"[" * 50_000),
        "endpoint": (scratch / "cli" / "endpoint.json", b'{"url": "https://127.0.0.1:9", "ca": "/nonexistent"}'),
    }
    for path, content in files.values():
        path.write_bytes(content)
    return {name: str(path) for name, (path, _) in files.items()} | {"missing": str(scratch / "cli" / "none.json")}


@FUZZ
@given(data=st.data())
def test_fuzzed_command_lines(scratch: Path, capsys: pytest.CaptureFixture[str], data: st.DataObject) -> None:
    argv = data.draw(command_lines(_fuzz_files(scratch)))
    try:
        code = cli.main(argv)
    except SystemExit as stop:  # argparse: usage errors are exit 2, --version is 0
        code = stop.code
    err = capsys.readouterr().err
    assert code in (0, 1, 2), (argv, err)
    assert "Traceback" not in err, (argv, err)
