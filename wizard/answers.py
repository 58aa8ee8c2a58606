"""The user's choices, validated against Azure's rules before anything reaches Azure.

Answers are what a setup *is*: the TUI fills them, `run --answers` reads them from TOML, and the checkpoint
keeps them so a resume asks nothing again. Secrets (a VM password) are deliberately not answers: they are
asked for at run time and never written down.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wizard import rules
from wizard.azure import clouds, regions


class CloudName(StrEnum):
    AZURE = "AzureCloud"
    CHINA = "AzureChinaCloud"
    US_GOVERNMENT = "AzureUSGovernment"
    EMULATOR = "AzureEmulator"


class SignIn(StrEnum):
    CLI = "cli"
    DEVICE_CODE = "device-code"
    BROWSER = "browser"
    SERVICE_PRINCIPAL = "service-principal"


class VmOs(StrEnum):
    WINDOWS = "windows"
    LINUX = "linux"


class Scheduler(StrEnum):
    DATA_FACTORY = "datafactory"
    FUNCTIONS = "functions"
    AML_SCHEDULE = "amlschedule"
    LOGIC_APPS = "logicapps"


class Frequency(StrEnum):
    MINUTE = "Minute"
    HOUR = "Hour"
    DAY = "Day"
    WEEK = "Week"
    MONTH = "Month"


DEFAULT_VM_SIZE = {VmOs.LINUX: "Standard_D4s_v5", VmOs.WINDOWS: "Standard_D4s_v5"}


def _rule_validator(rule: rules.Rule):
    def check(value: str) -> str:
        problem = rule.check(value)
        if problem:
            raise ValueError(problem)
        return value

    return check


class WeekDay(StrEnum):
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


DEFAULT_START = datetime(2026, 1, 1, 2, 0)


class Recurrence(BaseModel):
    """How often the scheduler fires the scoring pipeline.

    Only recurrences that Data Factory, Logic Apps, Azure ML and a Functions NCRONTAB all fire at the same
    instants are accepted: a sub-daily interval must divide the hour or the day, days, weeks and months repeat
    every period (cron has no "every third day"), and a monthly day exists in every month. ``start`` is a wall
    clock time in ``time_zone``; its time of day is the fire time unless ``hours``/``minutes`` say otherwise.
    """

    model_config = ConfigDict(extra="forbid", use_enum_values=False)

    frequency: Frequency = Frequency.DAY
    interval: int = Field(1, ge=1, le=1000, strict=True)
    start: datetime = DEFAULT_START
    time_zone: str = "UTC"
    hours: list[int] | None = None
    minutes: list[int] | None = None
    week_days: list[WeekDay] | None = None

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if value != "UTC" and value not in available_timezones():
            raise ValueError("use an IANA time zone name such as UTC or Europe/Paris")
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: list[int] | None) -> list[int] | None:
        return _clock_values(value, 23, "hours")

    @field_validator("minutes")
    @classmethod
    def _minutes(cls, value: list[int] | None) -> list[int] | None:
        return _clock_values(value, 59, "minutes")

    @model_validator(mode="after")
    def _expressible_everywhere(self) -> Recurrence:
        if self.start.tzinfo is not None:
            self.start = self.start.astimezone(ZoneInfo(self.time_zone)).replace(tzinfo=None)
        if self.start.second or self.start.microsecond:
            raise ValueError("the start time is whole minutes (schedules fire at second 0)")
        period = {Frequency.MINUTE: 60, Frequency.HOUR: 24}.get(self.frequency)
        if period is None and self.interval != 1:
            adjective = {Frequency.DAY: "daily", Frequency.WEEK: "weekly", Frequency.MONTH: "monthly"}[self.frequency]
            raise ValueError(f"a {adjective} schedule repeats every period: interval 1")
        if period is not None and period % self.interval:
            raise ValueError(f"every {self.interval} {self.frequency.value.lower()}s does not divide {period}")
        if self.frequency not in (Frequency.DAY, Frequency.WEEK) and (self.hours or self.minutes):
            raise ValueError("hours and minutes are for daily or weekly schedules")
        if self.frequency is not Frequency.WEEK and self.week_days:
            raise ValueError("week days are for weekly schedules")
        if self.frequency is Frequency.MONTH and self.start.day > 28:
            raise ValueError("a monthly schedule starts on day 1 to 28, which every month has")
        return self


def _clock_values(value: list[int] | None, highest: int, what: str) -> list[int] | None:
    if value is None:
        return None
    if not value or any(not 0 <= item <= highest for item in value):
        raise ValueError(f"{what} are numbers from 0 to {highest}")
    return sorted(set(value))


class PipelineParameters(BaseModel):
    """What each scheduled call passes to the batch-scoring pipeline (the seed's request body)."""

    model_config = ConfigDict(extra="forbid")

    experiment_name: str = Field("batch_scoring", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")
    batch_size: int = Field(50, ge=1, le=100_000, strict=True)


class Answers(BaseModel):
    """Every choice a setup needs. Field validators carry Azure's naming rules.

    Numbers and switches are strict: `batch_size = "50"` or `gpu_cluster = "no"` in TOML is a mistake to point
    out, not a value to guess at (pydantic would turn "no" into False and "50" into 50 silently).
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    cloud: CloudName = CloudName.AZURE
    sign_in: SignIn = SignIn.CLI
    tenant_id: str | None = None
    subscription_id: str
    region: str
    resource_group: str
    prefix: str
    vm_os: VmOs = VmOs.LINUX
    vm_size: str | None = None
    admin_username: str = "azureuser"
    gpu_cluster: bool = Field(False, strict=True)
    cluster_vm_size: str = "Standard_DS3_v2"
    cluster_max_nodes: int = Field(2, ge=1, le=100, strict=True)
    gpu_cluster_vm_size: str = "Standard_NC4as_T4_v3"
    scheduler: Scheduler = Scheduler.AML_SCHEDULE
    recurrence: Recurrence = Field(default_factory=Recurrence)
    pipeline: PipelineParameters = Field(default_factory=PipelineParameters)
    auto_shutdown: str | None = "19:00"
    auto_shutdown_time_zone: str = "UTC"
    allowed_source_ip: str | None = None
    linux_password_login: bool = Field(False, strict=True)
    state: str | None = None

    _subscription = field_validator("subscription_id")(_rule_validator(rules.SUBSCRIPTION_ID))
    _tenant = field_validator("tenant_id")(lambda v: v if v is None else _rule_validator(rules.SUBSCRIPTION_ID)(v))
    _group = field_validator("resource_group")(_rule_validator(rules.RESOURCE_GROUP))
    _prefix = field_validator("prefix")(_rule_validator(rules.PREFIX))
    _admin = field_validator("admin_username")(_rule_validator(rules.ADMIN_USERNAME))
    _size = field_validator("vm_size")(lambda v: v if v is None else _rule_validator(rules.VM_SIZE)(v))
    _cluster_sizes = field_validator("cluster_vm_size", "gpu_cluster_vm_size")(_rule_validator(rules.VM_SIZE))

    @field_validator("region")
    @classmethod
    def _normalize_region(cls, value: str) -> str:
        return regions.normalize(value)

    @field_validator("state")
    @classmethod
    def _shared_state(cls, value: str | None) -> str | None:
        """Where a handed-over setup's checkpoint lives (blob://account/container/setup), checked as --state is."""
        if value is not None:
            from wizard.blob_state import Location
            from wizard.checkpoint import CheckpointError

            try:
                Location.parse(value)
            except CheckpointError as error:
                raise ValueError(str(error)) from None
        return value

    @field_validator("auto_shutdown")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError("a 24-hour time such as 19:00 (without one, the VM is never shut down automatically)")
        return value

    @field_validator("auto_shutdown_time_zone")
    @classmethod
    def _windows_zone(cls, value: str) -> str:
        """DevTestLab schedules take Windows time zone ids: checked against CLDR's windowsZones mapping, which
        tzlocal ships (IANA names, from zoneinfo, are for the pipeline's recurrence instead)."""
        from tzlocal.windows_tz import win_tz

        if value not in win_tz:
            raise ValueError(
                "a Windows time zone id such as UTC, W. Europe Standard Time or Pacific Standard Time "
                "(the names Windows uses, not IANA names like Europe/Paris)"
            )
        return value

    @field_validator("allowed_source_ip")
    @classmethod
    def _ipv4(cls, value: str | None) -> str | None:
        """A public address or network, or "*" (anywhere), which only a user who types it gets, with a warning."""
        if value is None or value == "*":
            return value
        problem = source_ip_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _region_in_cloud(self) -> Answers:
        cloud = clouds.KNOWN.get(self.cloud.value, clouds.AZURE_PUBLIC)
        if not cloud.knows_region(self.region):
            raise ValueError(f"region {self.region!r} is not a region of {self.cloud.value}")
        return self

    @property
    def open_to_anywhere_warning(self) -> str | None:
        """What the review says when the firewall is to accept the whole internet ("*")."""
        if self.allowed_source_ip != "*":
            return None
        return (
            'allowed_source_ip is "*": the VM\'s SSH/RDP port will accept connections from the whole internet. '
            "Use your own public address in a setup you keep."
        )

    @property
    def effective_vm_size(self) -> str:
        return self.vm_size or DEFAULT_VM_SIZE[self.vm_os]

    def to_toml(self) -> str:
        return tomli_w.dumps(self.model_dump(mode="json", exclude_none=True))


# RFC 5737 documentation networks: never routed, so a rule for them admits no one. Accepted so that examples and
# tests (against the emulator) can use them; they are no hole in a real firewall either.
DOCUMENTATION_NETWORKS = tuple(
    ipaddress.IPv4Network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
SOURCE_IP_RULE = (
    'a public IPv4 address such as 203.0.113.7 (optionally with /prefix), or "*" for anywhere; not 0.0.0.0/0, '
    "a private, loopback, link-local, multicast or reserved address"
)


def source_ip_problem(value: str) -> str | None:
    """Why `value` may not be the firewall's allowed source, or None: it must be public unicast (or documentation)."""
    try:
        if re.fullmatch(r"(\d{1,3})(\.\d{1,3}){3}(/\d{1,2})?", value) is None:
            raise ValueError(value)
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        return SOURCE_IP_RULE
    if any(network.subnet_of(doc) for doc in DOCUMENTATION_NETWORKS):
        return None
    ends = (network.network_address, network.broadcast_address)
    if network.is_multicast or not all(address.is_global for address in ends):
        return SOURCE_IP_RULE
    return None


class AnswersError(ValueError):
    """Invalid answers, as one line per problem naming the field, the value and the rule."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def shown(value: Any, limit: int = 200) -> str:
    """A value as the user wrote it, cut when huge: an answer of 2 MB is not echoed back whole."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _add_to_file(field: str) -> str:
    return "add it to the answers file"


def describe(
    errors: Iterable[Mapping[str, Any]],
    label: Callable[[str], str] = str,
    to_set: Callable[[str], str] = _add_to_file,
) -> list[str]:
    """Turn pydantic's errors into lines a user can act on: field, value, rule.

    `label` names a field as the user gave it (a flag, a variable; the key by default) and `to_set` says how to
    give a missing one."""
    lines = []
    for item in errors:
        key = ".".join(str(part) for part in item["loc"])
        field = label(key) if key else "answers"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            lines.append(f"{field}: missing — {to_set(key)}")
        elif item["type"] == "extra_forbidden":
            lines.append(f"{field}: not a known answer — check its spelling")
        elif item["loc"]:
            lines.append(f"{field}: {shown(item['input'])} is not valid — {message}")
        else:
            lines.append(f"{field}: {message}")
    return lines


def parse(data: dict[str, Any]) -> Answers:
    """Validate a mapping of answers, raising AnswersError with readable lines."""
    try:
        return Answers.model_validate(data)
    except ValidationError as error:
        raise AnswersError(describe(error.errors())) from None


# Stands in for answers not given when checking the others (never shown or saved).
VALID_BASELINE = {
    "subscription_id": "00000000-0000-0000-0000-000000000000",
    "region": "eastus",
    "resource_group": "rg",
    "prefix": "scoring",
}


def check_field(name: str, value: Any, **context: Any) -> str | None:
    """Validate one field on its own, for as-you-type checks; returns the rule it breaks, or None.

    `context` supplies the other answers a rule depends on (the cloud, for a region).
    """
    try:
        Answers.model_validate({**VALID_BASELINE, **context, name: value})
    except ValidationError as error:
        for item in error.errors():
            if not item["loc"] or item["loc"][0] == name:
                return item["msg"].removeprefix("Value error, ")
    return None


def read(path: Path) -> dict[str, Any]:
    """An answers file's TOML, not validated yet (other sources may add to it first)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswersError([f"answers file {path} does not exist"]) from None
    except tomllib.TOMLDecodeError as error:
        raise AnswersError([f"{path}: not valid TOML ({error})"]) from None
    except UnicodeDecodeError:
        raise AnswersError([f"{path}: not UTF-8 text; save it as UTF-8 (without a byte-order mark)"]) from None
    except RecursionError:
        raise AnswersError([f"{path}: nested too deeply to be an answers file"]) from None
    except OSError as error:
        raise AnswersError([f"cannot read the answers file {path}: {error.strerror or error}"]) from None


def load(path: Path) -> Answers:
    """Read and validate an answers file."""
    return parse(read(path))


def save(answers: Answers, path: Path) -> None:
    path.write_text(answers.to_toml(), encoding="utf-8")
