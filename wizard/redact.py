"""Keeping secrets out of files and logs.

Passwords and keys are held only in memory. Anything written (checkpoint, log, summary) passes through here:
known secret values are replaced, bearer tokens and token-like fields are masked, and the checkpoint refuses
to write a document with a secret-looking field at all.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import traceback
from typing import Any

MASK = "***"
_TOKEN_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*"),
    re.compile(
        r'(?i)("?(?:access_token|refresh_token|id_token|client_secret|password|accountkey)"?\s*[:=]\s*"?)[^"&\s,}]+'
    ),
    re.compile(r"(?i)(sig=)[^&\s\"]+"),
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),
)
SECRET_FIELD = re.compile(r"(?i)(password|secret|private_?key|access_?token|refresh_?token|account_?key|sas)")


class SecretStore:
    """Secrets typed in this session. They are masked wherever text leaves the process."""

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def put(self, name: str, value: str) -> None:
        with self._lock:
            self._values[name] = value

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def values(self) -> list[str]:
        with self._lock:
            return [v for v in self._values.values() if v]

    def clear(self) -> None:
        """Forget every secret (a new setup in the same process must be asked again)."""
        with self._lock:
            self._values.clear()


SECRETS = SecretStore()


def _spellings(value: str, depth: int = 3) -> set[str]:
    """A secret as it may appear in text: itself, and repr- or JSON-escaped up to `depth` times over (an Azure
    message quoting it, inside an exception's repr, inside an event's repr in the run log)."""
    found = {value}
    for _ in range(depth):
        found |= {escaped for text in found for escaped in (repr(text)[1:-1], json.dumps(text)[1:-1])}
    return found


def scrub(text: str) -> str:
    """Mask known secret values (also escaped) and anything shaped like a token."""
    for value in SECRETS.values():
        for spelling in sorted(_spellings(value), key=len, reverse=True):
            text = text.replace(spelling, MASK)
    text = _TOKEN_PATTERNS[0].sub(rf"\g<1>{MASK}", text)
    text = _TOKEN_PATTERNS[1].sub(rf"\g<1>{MASK}", text)
    text = _TOKEN_PATTERNS[2].sub(rf"\g<1>{MASK}", text)
    return _TOKEN_PATTERNS[3].sub(MASK, text)


def secret_fields(document: Any, path: str = "") -> list[str]:
    """Paths of fields in a JSON-like document whose name says they hold a secret and that have a value."""
    found: list[str] = []
    if isinstance(document, dict):
        for key, value in document.items():
            here = f"{path}.{key}" if path else str(key)
            if SECRET_FIELD.search(str(key)) and isinstance(value, str) and value:
                found.append(here)
            found.extend(secret_fields(value, here))
    elif isinstance(document, list):
        for index, item in enumerate(document):
            found.extend(secret_fields(item, f"{path}[{index}]"))
    return found


class ScrubFilter(logging.Filter):
    """A logging filter that scrubs every record before any handler formats it, traceback and stack included.

    The traceback is rendered here and scrubbed, since a formatter would otherwise print the exception's text
    (which may quote an Azure error carrying a secret) in clear.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
