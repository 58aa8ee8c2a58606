"""Requests, replies and ARM errors as plain values, independent of http.server.

Handlers take a ``Request`` and return a ``Reply`` (or raise ``ArmError``), so every route can be read and tested
without sockets, and the transport in ``server.py`` stays a thin adapter.
"""

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """One HTTP request as the emulator sees it."""

    method: str
    path: str  # as received, without the query string
    query_string: str
    headers: Mapping[str, str]  # case-insensitive mapping (email.message.Message)
    body: bytes
    base_url: str  # scheme://host:port the client used, for absolute URLs in answers

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; ARM treats parameter names case-insensitively, so keys are lower-cased."""
        return {key.lower(): value for key, value in parse_qsl(self.query_string, keep_blank_values=True)}

    @property
    def segments(self) -> list[str]:
        """Decoded path segments, empty ones dropped."""
        return [unquote(part) for part in self.path.split("/") if part]

    @property
    def api_version(self) -> str:
        return self.query.get("api-version", "")

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, or the ARM error a malformed body earns."""
        try:
            value = json.loads(self.body or b"{}")
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArmError(400, "InvalidRequestContent", f"The request content was invalid: {exc}") from exc
        if not isinstance(value, dict):
            raise ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.")
        return value


@dataclass
class Reply:
    """An answer: status, an optional JSON body (None means no body) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


class ArmError(Exception):
    """An ARM error answer: ``{"error": {"code": ..., "message": ...}}`` with a status and optional headers."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def reply(self) -> Reply:
        return Reply(self.status, {"error": {"code": self.code, "message": self.message}}, dict(self.headers))


class Disconnect(Exception):
    """Drop the connection without an answer (a reset), as a failing load balancer or network does."""


def iso(timestamp: float) -> str:
    """A Unix time as ARM writes timestamps (UTC, fractional seconds, 'Z')."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f0Z")


def seconds(value: float) -> str:
    """A Retry-After value: fractional when the latency scale makes it so, never '0' (clients ignore 0)."""
    return f"{max(value, 0.01):g}"
