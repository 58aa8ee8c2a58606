"""azure-core's retry policy, saying when it retries: a throttled or failing call is a line in the pane, not silence.

azure-core retries 408/429/5xx answers and dropped connections on its own (honouring Retry-After), which is what
the wizard wants; but a retry is invisible, so a user watching a step sees nothing for as long as Azure throttles.
The runner names a sink for the thread running a step (`reporting_to`); every retry of a call made on that thread
is told to it. Calls on other threads (an SDK's polling thread) are only logged.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from azure.core.pipeline.policies import RetryPolicy

log = logging.getLogger("scoring_wizard.retries")
_sink = threading.local()


@contextmanager
def reporting_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Tell `sink` of every retry of a call made on this thread until the block ends."""
    previous = getattr(_sink, "report", None)
    _sink.report = sink
    try:
        yield
    finally:
        _sink.report = previous


def carried(work: Callable[[], Any]) -> Callable[[], Any]:
    """`work`, telling its retries to this thread's sink on whichever thread it runs."""
    report = getattr(_sink, "report", None)

    def run() -> Any:
        if report is None:
            return work()
        with reporting_to(report):
            return work()

    return run


def tell(line: str) -> None:
    """One line about a call being made again, to the current step (if any) and the log."""
    log.info("%s", line)
    report = getattr(_sink, "report", None)
    if report is not None:
        report(line)


def _what_failed(response: Any, error: Exception | None) -> str:
    if error is not None:
        return f"the connection failed ({type(error).__name__})"
    answer = getattr(response, "http_response", None)
    status = getattr(answer, "status_code", None)
    return f"Azure answered {status} {getattr(answer, 'reason', '') or ''}".rstrip()


def _target(response: Any) -> str:
    request = getattr(response, "http_request", None)
    url = getattr(request, "url", "") or ""
    path = urlsplit(url).path
    return f"{getattr(request, 'method', '')} {path.rsplit('/providers/', 1)[-1]}".strip()


class ReportingRetryPolicy(RetryPolicy):
    """RetryPolicy, plus one line per retry to the current step's sink (and the log)."""

    def increment(self, settings: dict[str, Any], response: Any = None, error: Exception | None = None) -> bool:
        retrying = super().increment(settings, response=response, error=error)
        if retrying:
            attempt = len(settings.get("history", []))
            tell(f"{_what_failed(response, error)} to {_target(response)}; retrying (attempt {attempt + 1})")
        return retrying
