"""Interrupting a run at the moment Azure has accepted a step's long-running operation, as Ctrl-C would."""

from __future__ import annotations

import threading
import time

from wizard.runner import EventSink
from wizard.session import Session


def stop_once_accepted(session: Session, key: str, on_event: EventSink, timeout: float = 60.0) -> None:
    """Run `session` until step `key` has a continuation token in the checkpoint, then stop the runner."""
    runner = session.runner(on_event, poll_interval=0.02)
    worker = threading.Thread(target=runner.run)
    worker.start()
    deadline = time.monotonic() + timeout
    while not session.checkpoint.step(key).continuation_token:
        assert time.monotonic() < deadline, f"{key} never reached Azure"
        time.sleep(0.01)
    runner.stop()
    worker.join(timeout=30)
