"""Azure's errors turned into what a user can act on: what happened, what to do, where to read more.

The hints live in `error_hints.toml` as ordered rules (modelled on azd's error_suggestions.yaml: code, message
pattern, resource namespace, status; first match wins) so that adding one is a data change; this module only
finds the code, message, status and namespace inside whatever the SDK raised.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from azure.core.exceptions import (
    AzureError,
    ClientAuthenticationError,
    HttpResponseError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.core.polling.base_polling import OperationFailed

_HINTS_FILE = Path(__file__).with_name("error_hints.toml")
MESSAGE_LIMIT = 500  # characters of an error message shown and kept: an echoed 2 MB value helps nobody


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


@dataclass(frozen=True)
class Rule:
    """One row of the hints table: what it matches on (every given field must match) and what it says."""

    what: str = ""
    todo: str = ""
    link: str = ""
    code: str | None = None
    message: re.Pattern[str] | None = None
    namespace: str | None = None
    status: str | None = None

    def matches(self, code: str, message: str, status: int | None, namespace: str) -> bool:
        if self.code is not None and self.code.lower() != code.lower():
            return False
        if self.namespace is not None and self.namespace.lower() != namespace.lower():
            return False
        if self.message is not None and not self.message.search(message):
            return False
        if self.status is not None:
            shown = str(status or "")
            wanted = self.status.lower()
            return shown == wanted or (wanted.endswith("xx") and shown[:1] == wanted[:1] and len(shown) == 3)
        return True

    @property
    def hint(self) -> dict[str, str]:
        return {"what": self.what, "todo": self.todo, "link": self.link}


@cache
def rules() -> tuple[Rule, ...]:
    table = tomllib.loads(_HINTS_FILE.read_text(encoding="utf-8"))
    return tuple(
        Rule(**{**row, "message": re.compile(row["message"], re.IGNORECASE)} if "message" in row else row)
        for row in table["rule"]
    )


def hint_for(code: str, status: int | None = None, message: str = "", namespace: str = "") -> dict[str, str]:
    """What the first rule matching this error says (azd's order: first match wins), else nothing."""
    for rule in rules():
        if rule.matches(code, message, status, namespace):
            return rule.hint
    return {}


def _namespace(error: Exception) -> str:
    """The resource provider a failed request was sent to, from its URL ("" when there is none)."""
    request = getattr(getattr(error, "response", None), "request", None)
    found = re.search(r"/providers/([A-Za-z0-9.]+)/", getattr(request, "url", "") or "")
    return found.group(1) if found else ""


def cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters in all)"


def _sign_in_message(text: str) -> str:
    """azure-identity writes the token endpoint's `error` into its message as a Python dict when that is an
    object; the user needs the description inside it."""
    found = re.search(r"\{.*\}", text)
    try:
        detail = ast.literal_eval(found.group(0)) if found and len(found.group(0)) < 100_000 else None
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        detail = None
    if not isinstance(detail, dict):
        return text
    description = detail.get("error_description") or detail.get("message") or detail.get("error")
    return text[: found.start()] + str(description) if description else text


def _network_reason(error: AzureError) -> str:
    """What went wrong on the wire, in words: the SDK's own text is a tuple of urllib3 internals."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionResetError):
            return "the connection was reset each time, even after retries"
        if isinstance(cause, TimeoutError) or "timed out" in str(cause).lower():
            return "Azure did not answer in time, even after retries"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused"
        cause = getattr(cause, "inner_exception", None) or cause.__cause__ or cause.__context__
    return "the connection failed, even after retries"


def _failed_operation(error: HttpResponseError) -> tuple[str, str]:
    """A long-running operation that ended Failed or Canceled, told by its last answer (a 200, so the status
    says nothing): the error that answer carries, wherever the service keeps it; a resource followed by its
    provisioningState often carries none, and then the state is what there is to tell."""
    try:  # text(): both azure-core's legacy and its rest responses have it
        body = json.loads(error.response.text()) if error.response is not None else None
    except ValueError:
        body = None
    body = body if isinstance(body, dict) else {}
    properties = body.get("properties") if isinstance(body.get("properties"), dict) else {}
    for found in (body.get("error"), properties.get("error"), properties.get("provisioningError")):
        if isinstance(found, dict) and found.get("code"):
            return str(found["code"]), str(found.get("message") or found["code"])
    state = body.get("status") or properties.get("provisioningState") or "Failed"
    return "ProvisioningFailed", f"the operation ended in state {state}"


def _code_and_message(error: Exception) -> tuple[str, str, int | None]:
    from azure.identity import CredentialUnavailableError  # an error from it means it is loaded already

    if isinstance(error, CredentialUnavailableError):
        return "CredentialUnavailable", str(error).splitlines()[0], None
    if isinstance(error, ClientAuthenticationError) and error.response is None:
        return "ClientAuthentication", _sign_in_message(str(error).splitlines()[0]), None
    if isinstance(error, HttpResponseError):
        status = error.status_code
        odata = getattr(error, "error", None)
        if odata is None and isinstance(error.inner_exception, OperationFailed):
            return (*_failed_operation(error), status)
        code = getattr(odata, "code", None) or (error.reason or "HttpError").replace(" ", "")
        message = getattr(odata, "message", None) or error.message or str(error)
        return code, message.strip(), status
    if isinstance(error, ServiceRequestError | ServiceResponseError):
        return "ServiceRequest", _network_reason(error), None
    if isinstance(error, AzureError):
        return type(error).__name__, str(error).splitlines()[0] if str(error) else type(error).__name__, None
    return type(error).__name__, str(error) or type(error).__name__, None


def explain(error: Exception) -> ErrorInfo:
    """Translate any exception a step raised into an ErrorInfo with its hint."""
    if isinstance(error, StepError):
        return error.info
    code, message, status = _code_and_message(error)
    hint = hint_for(code, status, message, _namespace(error))
    return ErrorInfo(code=cut(code, 100), message=cut(message), status=status, **hint)


class StepError(Exception):
    """A failure a step detected itself (before or instead of an Azure call), already explained."""

    def __init__(self, code: str, message: str, *, todo: str = "", link: str = ""):
        hint = hint_for(code, message=message)
        self.info = ErrorInfo(
            code=code,
            message=message,
            what=hint.get("what", ""),
            todo=todo or hint.get("todo", ""),
            link=link or hint.get("link", ""),
        )
        super().__init__(f"{code}: {message}")
