"""Runtime files shipped with the package (styles, demo answers, pipeline and function code), wherever it is
installed: an editable checkout reads them from the top-level assets/ folder, a wheel from its package data."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def asset(relative: str) -> Path:
    """The installed path of assets/<relative>; a real file, since SDKs and subprocesses are handed paths."""
    path = Path(str(files("wizard.assets").joinpath(relative)))
    if not path.exists():
        raise FileNotFoundError(f"scoring-wizard is missing its asset {relative} (looked in {path.parent})")
    return path
