"""Where answers come from besides the questions: a flag, an environment variable or the answers file.

Scripts and CI set answers the way azd users expect (12-factor): a flag beats an environment variable, which beats
the answers file, which beats the default. `OPTIONS` is the one table of every answer's key, flag and variable;
tests/cli/test_answer_sources.py checks it against the `Answers` model, so a new question cannot ship without
them. The table is plain data (no pydantic) because `--help` is built from it and must stay instant; values are
converted with the model's own field types, and validated by it, only when a command runs.

The VM password is not here: it is a secret, never an answer and never a flag (a flag shows in `ps`); it comes
from its environment variable or a prompt (see wizard/secret_inputs.py and wizard/dsvm/admin_password.py).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.answers import Answers

ENV_PREFIX = "SCORING_WIZARD_"
PRECEDENCE = "flag > environment variable > answers file > default"
FROM_FILE = "the answers file"


@dataclass(frozen=True)
class Option:
    """One answer: `key` as the answers file writes it (dotted inside a [table]), and how else to set it."""

    key: str
    help: str
    metavar: str = ""
    switch: bool = False  # true/false: --x / --no-x
    flag_name: str = ""  # when azd or az spell it otherwise
    env_name: str = ""

    @property
    def flag(self) -> str:
        return self.flag_name or "--" + self.key.replace("_", "-").replace(".", "-")

    @property
    def env_var(self) -> str:
        return self.env_name or ENV_PREFIX + self.key.replace(".", "_").upper()

    @property
    def dest(self) -> str:
        return "answer:" + self.key


OPTIONS: tuple[Option, ...] = (
    Option("cloud", "AzureCloud, AzureChinaCloud, AzureUSGovernment or AzureEmulator", "CLOUD"),
    Option("sign_in", "cli, device-code, browser or service-principal", "METHOD"),
    Option("tenant_id", "tenant GUID (default: the account's home tenant)", "GUID", flag_name="--tenant"),
    Option(
        "subscription_id", "subscription GUID", "GUID", flag_name="--subscription", env_name="AZURE_SUBSCRIPTION_ID"
    ),
    Option("region", "Azure region, e.g. eastus", "REGION", flag_name="--location", env_name="AZURE_LOCATION"),
    Option("resource_group", "resource group for everything the setup makes", "NAME", env_name="AZURE_RESOURCE_GROUP"),
    # Not azd's AZURE_ENV_NAME: azd users keep it exported, its names ("dev-eastus") break the prefix rule, and
    # a variable beats the answers file, so it would silently rename a replayed setup's resources.
    Option("prefix", "name prefix of the resources (3-10 lowercase letters and digits)", "NAME"),
    Option("vm_os", "dev VM operating system: linux or windows", "OS"),
    Option("vm_size", "dev VM size (default: Standard_D4s_v5)", "SIZE"),
    Option("admin_username", "dev VM admin user", "USER"),
    Option("gpu_cluster", "also make a GPU compute cluster", switch=True),
    Option("cluster_vm_size", "CPU cluster node size", "SIZE"),
    Option("cluster_max_nodes", "CPU cluster node limit", "N"),
    Option("gpu_cluster_vm_size", "GPU cluster node size", "SIZE"),
    Option("scheduler", "what calls the pipeline: amlschedule, datafactory, logicapps or functions", "NAME"),
    Option("recurrence.frequency", "schedule unit: Minute, Hour, Day, Week or Month", "UNIT"),
    Option("recurrence.interval", "units between runs", "N"),
    Option("recurrence.start", "first run, wall clock time in the time zone, e.g. 2026-01-01T02:00", "TIME"),
    Option("recurrence.time_zone", "IANA time zone of the schedule, e.g. Europe/Paris", "ZONE"),
    Option("recurrence.hours", "hours of day to run at, comma-separated (Day, Week)", "H,H"),
    Option("recurrence.minutes", "minutes of the hour to run at, comma-separated (Day, Week)", "M,M"),
    Option("recurrence.week_days", "week days to run on, comma-separated, e.g. Monday,Friday (Week)", "DAY,DAY"),
    Option("pipeline.experiment_name", "Azure ML experiment of the scheduled runs", "NAME"),
    Option("pipeline.batch_size", "rows per mini-batch of a scoring run", "N"),
    Option("auto_shutdown", 'daily VM shutdown time, e.g. 19:00 ("" for never)', "HH:MM"),
    Option("auto_shutdown_time_zone", "Windows time zone id of the shutdown time, e.g. UTC", "ZONE"),
    Option("allowed_source_ip", 'public address SSH/RDP accepts ("*": anywhere; default: yours)', "IP"),
    Option("linux_password_login", "sign in to a Linux VM with a password, not an SSH key", switch=True),
    Option("state", "keep the checkpoint in a shared blob", "blob://ACCOUNT/CONTAINER/SETUP"),
)
BY_KEY = {option.key: option for option in OPTIONS}


def add_arguments(parser: argparse.ArgumentParser, *, no_prompt: bool) -> None:
    """`--answers FILE`, a flag per answer and (where a command could ask) `--no-prompt`.

    Every default is SUPPRESS: an absent flag is then absent from the namespace, so a lower source shows through
    and `scoring-wizard --location X run` is not undone by run's own default."""
    group = parser.add_argument_group(
        "answers",
        f"Each answer is a flag, an environment variable or a key of the answers file (in brackets); "
        f"precedence: {PRECEDENCE}. The VM password is never a flag: set SCORING_WIZARD_VM_PASSWORD, or be asked.",
    )
    group.add_argument("--answers", type=Path, default=argparse.SUPPRESS, help="TOML answers file (see examples/)")
    if no_prompt:
        group.add_argument(
            "--no-prompt",
            action="store_true",
            default=argparse.SUPPRESS,
            help="never ask: fail (exit 2) listing every missing or invalid answer, before any Azure call",
        )
    for option in OPTIONS:
        extra: dict[str, Any] = {"action": argparse.BooleanOptionalAction} if option.switch else {}
        group.add_argument(
            option.flag,
            dest=option.dest,
            default=argparse.SUPPRESS,
            metavar=option.metavar or None,
            help=f"{option.help} [{option.env_var} · {option.key}]",
            **extra,
        )


@dataclass
class Given:
    """The answers given so far, merged by precedence, and what each came from (a flag, a variable, the file)."""

    values: dict[str, Any]
    source: dict[str, str]  # key -> the flag or variable that set it (keys from the file are absent)
    problems: dict[str, str]  # key -> why its value is not even the right kind (a word where a number goes)

    def label(self, key: str) -> str:
        """How an error names a value: by what the user typed it into."""
        return self.source.get(key, key)


def gather(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Given:
    """The answers `--answers`, the environment and the flags give (each overriding the one before), converted to
    the model's types. An empty variable counts as unset."""
    from wizard import answers as answer_files

    environ = os.environ if environ is None else environ
    namespace = vars(args)
    path = namespace.get("answers")
    given = Given(answer_files.read(path) if path else {}, {}, {})
    layers = (
        ((option, environ.get(option.env_var) or None, option.env_var) for option in OPTIONS),
        ((option, namespace.get(option.dest), option.flag) for option in OPTIONS),
    )
    for layer in layers:
        for option, raw, label in layer:
            if raw is None:
                continue
            given.source[option.key] = label
            try:
                _put(given.values, option.key, converted(option.key, raw))
                given.problems.pop(option.key, None)
            except ValueError as error:
                given.problems[option.key] = f"{label}: {answer_files.shown(raw)} is not valid — {error}"
    return given


def resolve(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Answers:
    """The validated answers of a command that asks nothing; AnswersError lists every missing or invalid one."""
    from wizard.answers import AnswersError

    answers, problems = _checked(gather(args, environ), complete=True)
    if answers is None or problems:
        raise AnswersError(problems)
    return answers


def given_for_questions(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """What the interactive faces prefill: the given answers, once each is known to be valid (the questions ask the
    rest). AnswersError names the invalid ones: a value the user set on purpose is not silently asked again."""
    environ = os.environ if environ is None else environ
    namespace = vars(args)
    if (
        not any(namespace.get(o.dest) is not None or environ.get(o.env_var) for o in OPTIONS)
        and "answers" not in namespace
    ):
        return {}  # nothing given: the full-screen UI paints before pydantic loads
    from wizard.answers import AnswersError

    given = gather(args, environ)
    _, problems = _checked(given, complete=False)
    if problems:
        raise AnswersError(problems)
    return given.values


def _checked(given: Given, *, complete: bool) -> tuple[Answers | None, list[str]]:
    """The answers if complete and valid, and every problem (with `complete` False, only those of values given:
    missing answers and rules across answers are left to the questions)."""
    from pydantic import ValidationError

    from wizard.answers import Answers, describe

    for key in given.problems:
        _drop(given.values, key)
    kinds = [given.problems[option.key] for option in OPTIONS if option.key in given.problems]  # in question order
    try:
        return Answers.model_validate(given.values), kinds
    except ValidationError as error:
        items = [
            item
            for item in error.errors()
            if _key(item) not in given.problems and (complete or (item["type"] != "missing" and item["loc"]))
        ]
        if complete:
            items += _across(given.values, [_key(item) for item in error.errors() if item["type"] == "missing"])
        return None, [*kinds, *describe(items, given.label, to_set)]


def _across(values: dict[str, Any], missing: list[str]) -> list[Any]:
    """The rules across answers (a region of the chosen cloud) that pydantic checks only once every answer is
    there: checked with stand-ins for the missing ones, so one run lists those problems too. A rule that only a
    stand-in breaks is not the user's."""
    from pydantic import ValidationError

    from wizard.answers import VALID_BASELINE, Answers

    stand_ins = {key: VALID_BASELINE[key] for key in missing if key in VALID_BASELINE}
    if not stand_ins:
        return []
    try:
        Answers.model_validate({**values, **stand_ins})
    except ValidationError as error:
        return [
            item
            for item in error.errors()
            if not item["loc"] and not any(repr(value) in item["msg"] for value in stand_ins.values())
        ]
    return []


def overlay(base: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with `given` on top, [recurrence] and [pipeline] merged key by key rather than replaced."""
    merged = dict(base)
    for name, value in given.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            value = {**merged[name], **value}
        merged[name] = value
    return merged


def to_set(key: str) -> str:
    """Every way to give a missing answer, for the message that says it is missing."""
    option = BY_KEY.get(key)
    if option is None:
        return f"add {key} to {FROM_FILE}"
    return f"pass {option.flag}, set {option.env_var} or add {key} to {FROM_FILE}"


def converted(key: str, raw: Any) -> Any:
    """A flag's or variable's text as the model's field type: numbers, true/false, comma-separated lists; "" is
    None where the answer may be absent. Anything else stays text, for the model to validate."""
    return _convert(_annotation(key), raw)


def _convert(annotation: Any, raw: Any) -> Any:
    import types
    import typing

    if not isinstance(raw, str):
        return raw  # a switch: argparse made it a bool already
    text = raw.strip()
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
        if text == "":
            return None
        annotation = kinds[0]
    if annotation is bool:
        truth = {
            "true": True,
            "yes": True,
            "1": True,
            "on": True,
            "false": False,
            "no": False,
            "0": False,
            "off": False,
        }
        if text.lower() not in truth:
            raise ValueError("true or false")
        return truth[text.lower()]
    if annotation is int:
        try:
            return int(text)
        except ValueError:
            raise ValueError("a whole number") from None
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return [_convert(item, part) for part in text.split(",") if part.strip()]
    return text


def _annotation(key: str) -> Any:
    from wizard.answers import Answers

    model: Any = Answers
    *tables, name = key.split(".")
    for table in tables:
        model = model.model_fields[table].annotation
    return model.model_fields[name].annotation


def _put(values: dict[str, Any], key: str, value: Any) -> None:
    *tables, name = key.split(".")
    for table in tables:
        inner = values.get(table)
        values[table] = inner = dict(inner) if isinstance(inner, Mapping) else {}
        values = inner
    values[name] = value


def _drop(values: dict[str, Any], key: str) -> None:
    *tables, name = key.split(".")
    for table in tables:
        values = values.get(table) or {}
    values.pop(name, None)


def _key(item: Mapping[str, Any]) -> str:
    return ".".join(str(part) for part in item["loc"])
