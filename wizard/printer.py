"""The headless face: runner events as timestamped lines, for CI logs, screen readers and `run --answers`."""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime
from typing import TextIO

from wizard import events
from wizard.plan import Plan
from wizard.redact import scrub

MARKS = {"start": "▶", "ok": "✓", "reused": "✓", "fail": "✗", "info": "·", "blocked": "‖"}


class HeadlessPrinter:
    """Prints one line per event. Thread-safe: the runner emits from worker threads."""

    def __init__(self, plan: Plan, out: TextIO | None = None):
        self.plan = plan
        self.out = out or sys.stdout
        self._lock = threading.Lock()
        self._started: dict[str, float] = {}
        self._instructions: dict[str, list[str]] = {}
        self._width = max(len(k) for k in plan.keys)

    def _line(self, mark: str, key: str, text: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        with self._lock:
            print(f"[{stamp}] {MARKS[mark]} {key:<{self._width}}  {scrub(text)}", file=self.out, flush=True)

    def _elapsed(self, key: str) -> str:
        return f"{time.monotonic() - self._started.get(key, time.monotonic()):.1f}s"

    def __call__(self, event: events.Event) -> None:
        match event:
            case events.StepStarted(key=key, title=title, resumed=resumed):
                self._started[key] = time.monotonic()
                self._line("start", key, f"{title}{' (resuming)' if resumed else ''}")
            case events.StepProgress(key=key, message=message):
                self._line("info", key, message)
            case events.StepLog(key=key, line=line):
                self._line("info", key, line)
            case events.StepSucceeded(key=key, outputs=outputs, reused=reused):
                self._instructions[key] = list(outputs.get("instructions", []))
                note = "already there" if reused else f"done in {self._elapsed(key)}"
                shown = outputs.get("summary") or outputs.get("id") or ""
                self._line("reused" if reused else "ok", key, f"{note}  {shown}".rstrip())
            case events.StepFailed(key=key, error=error):
                self._line("fail", key, error.one_line())
                for label, text in (
                    ("what happened", error.what),
                    ("what to do", error.todo),
                    ("more", error.link),
                ):
                    if text:
                        self._line("info", key, f"{label}: {text}")
            case events.StepBlocked(key=key, waiting_for=blockers):
                self._line("blocked", key, f"not started: waits for {', '.join(blockers)}")
            case events.RunFinished(ok=ok, stopped=stopped):
                with self._lock:
                    if stopped:
                        verdict = "Stopped. Run the same command again to resume; nothing finished is redone."
                    elif ok:
                        verdict = "All steps succeeded."
                    else:
                        verdict = "Some steps failed (see above). Fix the cause and run again to resume."
                    print(verdict, file=self.out, flush=True)
                    for key in self.plan.keys:
                        for line in self._instructions.get(key, []):
                            print(f"  {scrub(line)}", file=self.out, flush=True)
