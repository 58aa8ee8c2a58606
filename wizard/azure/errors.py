"""Azure's errors turned into what a user can act on: what happened, what to do, where to read more.

The hints live in `error_hints.toml` (modelled on azd's error_suggestions.yaml) so that adding one is a data
change; this module only finds the ARM error code inside whatever the SDK raised.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
)
from azure.identity import CredentialUnavailableError

_HINTS_FILE = Path(__file__).with_name("error_hints.toml")


@dataclass(frozen=True)
class ErrorInfo:
    """One failure as a user sees it. Serializable, so the checkpoint can keep the last one."""

    code: str
    message: str
    what: str = ""
    todo: str = ""
    link: str = ""
    status: int | None = None

    def one_line(self) -> str:
        return f"{self.code}: {self.message}"


@cache
def _hints() -> dict[str, dict[str, str]]:
    table = tomllib.loads(_HINTS_FILE.read_text(encoding="utf-8"))
    return {key.lower(): value for key, value in table.items()}


def hint_for(code: str, status: int | None = None) -> dict[str, str]:
    """The hint row for an ARM error code, falling back to the HTTP status, else empty."""
    hints = _hints()
    for key in (code.lower(), f"status:{status}", f"status:{str(status)[0]}xx" if status else ""):
        if key in hints:
            return hints[key]
    return {}


def _code_and_message(error: Exception) -> tuple[str, str, int | None]:
    if isinstance(error, CredentialUnavailableError):
        return "CredentialUnavailable", str(error).splitlines()[0], None
    if isinstance(error, ClientAuthenticationError) and error.response is None:
        return "ClientAuthentication", str(error).splitlines()[0], None
    if isinstance(error, HttpResponseError):
        status = error.status_code
        odata = getattr(error, "error", None)
        code = getattr(odata, "code", None) or (error.reason or "HttpError").replace(" ", "")
        message = getattr(odata, "message", None) or error.message or str(error)
        return code, message.strip(), status
    if isinstance(error, ServiceRequestError):
        return "ServiceRequest", str(error).splitlines()[0], None
    if isinstance(error, AzureError):
        return type(error).__name__, str(error).splitlines()[0] if str(error) else type(error).__name__, None
    return type(error).__name__, str(error) or type(error).__name__, None


def explain(error: Exception) -> ErrorInfo:
    """Translate any exception a step raised into an ErrorInfo with its hint."""
    if isinstance(error, StepError):
        return error.info
    code, message, status = _code_and_message(error)
    hint = hint_for(code, status)
    return ErrorInfo(code=code, message=message, status=status, **hint)


class StepError(Exception):
    """A failure a step detected itself (before or instead of an Azure call), already explained."""

    def __init__(self, code: str, message: str, *, todo: str = "", link: str = ""):
        hint = hint_for(code)
        self.info = ErrorInfo(
            code=code,
            message=message,
            what=hint.get("what", ""),
            todo=todo or hint.get("todo", ""),
            link=link or hint.get("link", ""),
        )
        super().__init__(f"{code}: {message}")
