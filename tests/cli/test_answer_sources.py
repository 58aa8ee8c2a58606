"""Non-interactive parity: every question is also a flag and an environment variable (flag > env > file > default),
and --no-prompt lists every missing answer at once instead of asking."""

from __future__ import annotations

import os
import subprocess
import typing
from enum import Enum
from pathlib import Path

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient

from tests.cli.conftest import DEMO_ANSWERS, WIZARD
from wizard import answer_sources
from wizard.answer_sources import BY_KEY, OPTIONS
from wizard.answers import Answers, AnswersError
from wizard.cli import build_parser
from wizard.dsvm.admin_password import ENV_VAR as PASSWORD_VARIABLE
from wizard.emulator import DEMO

# The demo answers, as a script would set them without a file.
DEMO_VALUES = {
    "cloud": "AzureEmulator",
    "subscription_id": DEMO.subscription_id,
    "region": "eastus",
    "resource_group": "rg-from-somewhere",
    "prefix": "demo",
    "allowed_source_ip": "203.0.113.7",
}


def _fields(model: type) -> dict[str, typing.Any]:
    """Each leaf field's annotation by dotted key: a nested model's fields under its name."""
    found: dict[str, typing.Any] = {}
    for name, info in model.model_fields.items():
        nested = getattr(info.annotation, "model_fields", None)
        if nested is None:
            found[name] = info.annotation
        else:
            found |= {f"{name}.{inner}": kind for inner, kind in _fields(info.annotation).items()}
    return found


def _enums(kind: typing.Any) -> list[type[Enum]]:
    """The enumerations in a field's type (`Scheduler`, `list[WeekDay] | None`)."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [kind]
    return [enum for inner in typing.get_args(kind) for enum in _enums(inner)]


def _clean_environment(**variables: str) -> dict[str, str]:
    """The test's environment without any answer a developer's shell might hold, plus `variables`."""
    names = {option.env_var for option in OPTIONS} | {"SCORING_WIZARD_EMULATOR", PASSWORD_VARIABLE}
    return {**{k: v for k, v in os.environ.items() if k not in names}, **variables}


def _wizard(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [WIZARD, *args], capture_output=True, text=True, timeout=180, env=_clean_environment(**variables)
    )


def _resolve(argv: list[str], environ: dict[str, str] | None = None) -> Answers:
    return answer_sources.resolve(build_parser().parse_args(["run", *argv]), environ or {})


def test_every_answer_has_a_flag_and_an_environment_variable():
    """A new question (an Answers field) fails here until the table gives it its flag, variable and help."""
    fields = _fields(Answers)
    assert sorted(BY_KEY) == sorted(fields)
    assert len({o.flag for o in OPTIONS}) == len({o.env_var for o in OPTIONS}) == len(OPTIONS)
    assert {o.env_var for o in OPTIONS}.isdisjoint({"SCORING_WIZARD_EMULATOR", PASSWORD_VARIABLE})
    for option in OPTIONS:
        kind = fields[option.key]
        assert option.help, option.key
        assert option.switch == (kind is bool), option.key
        for enum in _enums(kind) if option.key != "recurrence.week_days" else ():  # everyone knows the week's days
            assert all(item.value in option.help for item in enum), f"{option.key}: help names every choice"
    assert [o.env_var for o in OPTIONS if not o.env_var.startswith("SCORING_WIZARD_")] == [
        "AZURE_SUBSCRIPTION_ID",
        "AZURE_LOCATION",
        "AZURE_RESOURCE_GROUP",
    ]
    flags = [o for o in build_parser()._subparsers._group_actions[0].choices["run"]._actions for o in o.option_strings]
    assert not any(flag.endswith("password") for flag in flags), "a secret is never a flag (ps shows flags)"


def test_the_readme_table_lists_every_answer():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for option in OPTIONS:
        assert f"| `{option.key}` | `{option.flag}`" in readme and f"`{option.env_var}` |" in readme, option.key


def test_a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default(tmp_path: Path):
    answers_file = tmp_path / "answers.toml"
    answers_file.write_text(
        DEMO_ANSWERS.read_text().replace("interval = 1\n", 'interval = 1\nstart = "2026-03-01T04:00:00"\n')
    )
    environ = {"AZURE_LOCATION": "westeurope", "SCORING_WIZARD_RECURRENCE_FREQUENCY": "Hour"}
    flags = ["--answers", str(answers_file), "--location", "westus2", "--recurrence-interval", "6"]

    answers = _resolve(flags, environ)
    assert answers.region == "westus2"
    # Within a [table] each key stands alone: the file's start survives the variable's unit and the flag's interval.
    assert (answers.recurrence.frequency.value, answers.recurrence.interval) == ("Hour", 6)
    assert answers.recurrence.start.month == 3
    assert _resolve(flags[:2], environ).region == "westeurope"
    assert _resolve(flags[:2]).region == "eastus"
    assert _resolve(flags[:2]).cluster_max_nodes == 2  # the default, untouched by any source
    assert _resolve([*flags[:2], "--no-gpu-cluster"], {"SCORING_WIZARD_GPU_CLUSTER": "true"}).gpu_cluster is False
    assert _resolve(flags[:2], {"SCORING_WIZARD_GPU_CLUSTER": "yes"}).gpu_cluster is True
    assert _resolve([*flags[:2], "--auto-shutdown", ""]).auto_shutdown is None  # "" is "never" where None is allowed


def test_values_from_flags_and_variables_are_checked_and_named_as_they_were_given():
    with pytest.raises(AnswersError) as caught:
        _resolve(
            ["--subscription", DEMO.subscription_id, "--cluster-max-nodes", "many", "--location", "eastus"],
            {
                "AZURE_RESOURCE_GROUP": "bad name!",
                "SCORING_WIZARD_PREFIX": "demo",
                "SCORING_WIZARD_RECURRENCE_HOURS": "2,x",
            },
        )
    assert caught.value.problems == [
        "--cluster-max-nodes: 'many' is not valid — a whole number",
        "SCORING_WIZARD_RECURRENCE_HOURS: '2,x' is not valid — a whole number",
        "AZURE_RESOURCE_GROUP: 'bad name!' is not valid — 1-90 characters of letters, digits, '.', '_', '-', '(' and "
        "')', not ending in '.'",
    ]


def test_a_run_configured_only_by_environment_variables(standalone_emulator, tmp_path: Path):
    variables = {BY_KEY[key].env_var: value for key, value in DEMO_VALUES.items()}
    result = _wizard(
        "run",
        "--checkpoint",
        str(tmp_path / "setup.json"),
        SCORING_WIZARD_EMULATOR=str(standalone_emulator.state_dir),
        **variables,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    group = standalone_emulator.sdk_client(ResourceManagementClient).resource_groups.get("rg-from-somewhere")
    assert group.location == "eastus"


def test_a_run_configured_only_by_flags(standalone_emulator, tmp_path: Path):
    flags = [part for key, value in DEMO_VALUES.items() for part in (BY_KEY[key].flag, value)]
    checkpoint = tmp_path / "setup.json"
    args = ["run", "--checkpoint", str(checkpoint), "--emulator", str(standalone_emulator.state_dir), *flags]
    result = _wizard(*args, "--resource-group", "rg-flags", "--pipeline-batch-size", "20")
    assert result.returncode == 0, result.stdout + result.stderr
    client = standalone_emulator.sdk_client(ResourceManagementClient)
    assert client.resource_groups.get("rg-flags").location == "eastus"
    exported = _wizard("export", "--checkpoint", str(checkpoint)).stdout
    assert "batch_size = 20" in exported


def test_plan_shows_the_flag_over_the_variable_over_the_file(standalone_emulator):
    result = _wizard(
        "plan",
        "--answers",
        str(DEMO_ANSWERS),
        "--emulator",
        str(standalone_emulator.state_dir),
        "--resource-group",
        "rg-flag",
        AZURE_RESOURCE_GROUP="rg-variable",
        AZURE_LOCATION="westus2",
    )
    first = result.stdout.splitlines()[0]
    assert first.startswith("Setup rg-flag in westus2 · "), result.stdout + result.stderr


@pytest.mark.parametrize("entry", [["run"], []], ids=["run", "interactive entry"])
def test_no_prompt_lists_every_missing_answer_and_sends_nothing(standalone_emulator, entry: list[str]):
    before = len(standalone_emulator.requests_log())
    result = _wizard(
        *entry,
        "--no-prompt",
        "--emulator",
        str(standalone_emulator.state_dir),
        "--cloud",
        "AzureEmulator",
        AZURE_LOCATION="eastus",
    )
    assert result.returncode == 2
    missing = [line for line in result.stderr.splitlines() if "missing" in line]
    assert missing == [
        "scoring-wizard: subscription_id: missing — pass --subscription, set AZURE_SUBSCRIPTION_ID or add "
        "subscription_id to the answers file",
        "scoring-wizard: resource_group: missing — pass --resource-group, set AZURE_RESOURCE_GROUP or add "
        "resource_group to the answers file",
        "scoring-wizard: prefix: missing — pass --prefix, set SCORING_WIZARD_PREFIX or add prefix to the answers file",
    ]
    assert result.stdout == ""
    assert len(standalone_emulator.requests_log()) == before, "nothing may reach the cloud"


def test_no_prompt_takes_a_secret_only_from_its_variable(standalone_emulator, tmp_path: Path):
    flags = [part for key, value in DEMO_VALUES.items() for part in (BY_KEY[key].flag, value)]
    before = len(standalone_emulator.arm_requests())
    result = _wizard(
        "run",
        "--no-prompt",
        "--checkpoint",
        str(tmp_path / "setup.json"),
        "--emulator",
        str(standalone_emulator.state_dir),
        *flags,
        "--vm-os",
        "windows",
    )
    assert result.returncode == 2
    assert f"set {PASSWORD_VARIABLE}" in result.stderr
    assert len(standalone_emulator.arm_requests()) == before


def test_the_interactive_entry_refuses_a_bad_given_answer_before_asking():
    result = _wizard("--plain", "--cluster-max-nodes", "many", "--emulator", "/nonexistent")
    assert result.returncode == 2
    assert "--cluster-max-nodes: 'many' is not valid — a whole number" in result.stderr
