"""The run log beside the checkpoint: everything that happened, owner-only, with secrets and tokens scrubbed."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from wizard.redact import ScrubFilter

FORMAT = "%(asctime)s %(levelname)s %(name)s %(threadName)s: %(message)s"


def log_to_file(path: Path) -> logging.Handler:
    """Attach a scrubbing file handler to the root logger (idempotent per path) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path.absolute():
            return handler
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(ScrubFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("azure").setLevel(logging.WARNING)
    return handler
