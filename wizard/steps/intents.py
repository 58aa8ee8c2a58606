"""A call that starts something (a scheduler's run now, the endpoint's scoring job), made at most once across
resumes although Azure offers no idempotency key for it.

Such a POST is not repeatable: its answer can be lost (a reset, an answer later than the timeout) after Azure acted
on it, and calling again would start a second run. So the moment of the call is noted first, beside the checkpoint;
a resume that finds the note looks for what that call started (the earliest run or job begun since) before calling
again. Once an answer names what started, the note goes: a later run of the step calls afresh.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wizard.checkpoint import _write_atomically
from wizard.steps.base import StepContext

SKEW = timedelta(minutes=1)  # how far Azure's clock may run behind ours


def _note(ctx: StepContext, name: str) -> Path:
    return ctx.files_dir / f".{name}.intent.json"


def _noted(path: Path) -> datetime | None:
    try:
        return moment(json.loads(path.read_text(encoding="utf-8"))["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: Path, at: datetime) -> None:
    """Whole and on disk before the call: half a note, after a crash, would read as none and call again."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_atomically(path, json.dumps({"at": at.isoformat()}))


def moment(text: object) -> datetime | None:
    """A time as the services write it (ISO 8601, or str() of an SDK's datetime), in UTC; None if it is none."""
    try:
        found = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def once(
    ctx: StepContext, name: str, started_since: Callable[[datetime], str | None], call: Callable[[], str]
) -> tuple[str, bool]:
    """The id of what `call` starts, and whether an earlier run's call had started it already.

    `started_since(moment)` names the earliest run or job begun at or after that moment (our clock less the
    skew), if any."""
    note = _note(ctx, name)
    earlier = _noted(note)
    if earlier is not None:
        found = started_since(earlier - SKEW)
        if found:
            note.unlink(missing_ok=True)
            return found, True
    _write(note, datetime.now(UTC))
    made = call()
    note.unlink(missing_ok=True)
    return made, False
