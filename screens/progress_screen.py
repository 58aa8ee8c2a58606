"""The run, live: a pane per running or failed step, one line for every step, an overall bar, the log on a key.

The runner blocks, so it runs in a thread worker; its events arrive from worker threads and are posted to
this screen as messages (post_message is thread-safe), so the event loop never waits on Azure.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from screens import full_collections, messages
from screens.failure_modal import FailureChoice, FailureModal
from screens.log_screen import LogScreen
from screens.secret_modal import SecretModal
from screens.widgets.step_pane import StepPane, format_elapsed
from wizard import events, secret_inputs
from wizard.azure.errors import ErrorInfo
from wizard.checkpoint import StepStatus
from wizard.session import Session

FINISHED = ("succeeded", "reused", "skipped")


class RunnerEvent(Message):
    """A runner event, carried from a worker thread to the screen."""

    def __init__(self, event: events.Event):
        super().__init__()
        self.event = event


class ProgressScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("l", "full_log", "Full log"),
        Binding("r", "run_again", "Run again"),
    ]

    def __init__(self, session: Session, *, autostart: bool = True):
        super().__init__()
        self.session = session
        self.autostart = autostart
        self.runner = None
        self.running = False
        self.quit_when_stopped = False
        self.finished = threading.Event()
        self.finished.set()
        self.failures: dict[str, ErrorInfo] = {}
        self.run_started: float | None = None
        self.panes: dict[str, StepPane] = {}

    def compose(self) -> ComposeResult:
        answers = self.session.plan.answers
        yield Static(
            f"[b]Setting up {answers.resource_group}[/b] in {answers.region}  [dim]{answers.subscription_id}[/dim]",
            classes="title",
        )
        with Horizontal(id="overall"):
            yield ProgressBar(total=len(self.session.plan.steps), show_eta=False, id="overall-bar")
            yield Static(id="overall-text")
        clock = self.app.config.clock
        self.panes = {step.key: StepPane(step.key, step.title, clock) for step in self.session.plan.steps}
        with VerticalScroll(id="steps"):
            with Grid(id="step-grid"):
                yield from (pane.line for pane in self.panes.values())
            with Vertical(id="active"):
                yield from self.panes.values()
        yield Footer()

    def on_mount(self) -> None:
        for key, pane in self.panes.items():
            record = self.session.checkpoint.document.steps.get(key)
            if record is not None and record.status in (StepStatus.SUCCEEDED, StepStatus.SKIPPED):
                pane.set_status(record.status.value)
        self._update_overall()
        self.set_interval(1.0, self._tick)
        if self.autostart:
            self.start_run()

    def _tick(self) -> None:
        for pane in self.panes.values():
            if pane.status == "running":
                pane.render_state()
        if self.running:
            self._update_overall()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run_again":
            return not self.running and self.runner is not None
        return True

    def start_run(self) -> None:
        """Start (or restart, after a failure or a stop) the runner; finished steps are not redone.

        Secrets a step still needs (the Windows VM password) come first: from their environment variable,
        else from a masked dialog; a run never starts with one missing.
        """
        if self.running:
            return
        for spec in self.session.pending_secrets():
            from_env = secret_inputs.from_environment(spec)
            if from_env is None or secret_inputs.provide(spec, from_env) is not None:
                self.app.push_screen(SecretModal(spec), self._after_secret)
                return
        self._start_runner()

    def _after_secret(self, given: bool | None) -> None:
        if given:
            self.start_run()
        else:
            self.query_one("#overall-text", Static).update("waiting for the secret · r asks again, q quits")
            self.runner = self.runner or self.session.runner(lambda event: None)
            self.refresh_bindings()

    def _start_runner(self) -> None:
        for pane in self.panes.values():
            if pane.status not in FINISHED:
                pane.started = pane.ended = None
                pane.lines.clear()
                pane.set_status("pending")
        self.failures.clear()
        self.runner = self.session.runner(
            lambda event: self.post_message(RunnerEvent(event)), poll_interval=self.app.config.poll_interval
        )
        self.running = True
        self.run_started = self.app.config.clock()
        self.finished.clear()
        self.refresh_bindings()
        self._run_in_thread()

    @work(thread=True, group="runner", exit_on_error=False)
    def _run_in_thread(self) -> None:
        try:
            self.runner.run()
        except Exception as error:
            self.post_message(RunnerEvent(events.StepLog("", f"the runner stopped unexpectedly: {error}")))
            self.post_message(RunnerEvent(events.RunFinished("", ok=False)))
        finally:
            self.finished.set()

    def stop(self, *, quit_after: bool) -> None:
        """Stop starting steps and stop waiting; Azure finishes what it accepted, the checkpoint keeps tokens."""
        self.quit_when_stopped = quit_after
        if self.runner is not None and self.running:
            self.runner.stop()
            self.query_one("#overall-text", Static).update("stopping…")
        elif quit_after:
            self.post_message(messages.ExitWizard())

    def on_runner_event(self, message: RunnerEvent) -> None:
        self.apply(message.event)

    def apply(self, event: events.Event) -> None:
        """Show one runner event (public so that tests and screenshots can replay a run)."""
        pane = self.panes.get(event.key)
        match event:
            case events.StepStarted(resumed=resumed):
                if resumed and pane.status not in FINISHED:  # a finished step is only looked at again
                    pane.add_log("resuming where the last run stopped")
                pane.set_status("running")
            case events.StepProgress(message=message):
                pane.set_operation(message)
            case events.StepLog(line=line):
                if pane is not None:
                    pane.add_log(line)
            case events.StepSucceeded(reused=reused):
                pane.set_status("reused" if reused else "succeeded")
                pane.set_operation("")
            case events.StepFailed(error=error):
                self.failures[event.key] = error
                pane.set_status("failed")
                pane.set_operation(error.one_line())
            case events.StepBlocked(waiting_for=blockers):
                pane.set_status("blocked")
                titles = ", ".join(self.session.plan.step(key).title for key in blockers)
                pane.set_operation(f"waits for {titles}")
            case events.RunFinished(ok=ok, stopped=stopped):
                self._finished(ok, stopped)
        self._update_overall()

    def _update_overall(self) -> None:
        panes = self.panes.values()
        done = sum(pane.status in FINISHED for pane in panes)
        running = sum(pane.status == "running" for pane in panes)
        self.query_one("#overall-bar", ProgressBar).update(progress=done)
        text = f"{done} of {len(panes)} done" + (f", {running} running" if running else "")
        if self.run_started is not None:
            text += f" · {format_elapsed(self.app.config.clock() - self.run_started)}"
        self.query_one("#overall-text", Static).update(text)

    def _finished(self, ok: bool, stopped: bool) -> None:
        self.running = False
        full_collections.settle()
        self.refresh_bindings()
        for pane in self.panes.values():
            if pane.status == "running":
                pane.set_status("stopped")
        if self.quit_when_stopped:
            self.post_message(messages.ExitWizard())
        elif ok:
            self.post_message(messages.RunSucceeded(self.session))
        elif stopped:
            self.query_one("#overall-text", Static).update("stopped · r runs again, q quits")
        elif self.failures:
            key, error = next(iter(self.failures.items()))
            step = self.session.plan.step(key)
            self.app.push_screen(
                FailureModal(step.title, error, optional=step.optional, show_log=self.action_full_log),
                self._after_failure(key),
            )

    def _after_failure(self, key: str):
        def decide(choice: FailureChoice | None) -> None:
            if choice == "retry":
                self.start_run()
            elif choice == "skip":
                self.runner.skip(key)
                self.panes[key].set_status("skipped")
                self.start_run()
            elif choice == "quit":
                self.post_message(messages.ExitWizard())
            elif choice and choice.startswith("change:"):
                self.post_message(messages.ChangeAnswer(choice.removeprefix("change:"), self.session, self.start_run))
            else:
                self.query_one("#overall-text", Static).update("failed · r runs again, l shows the log, q quits")

        return decide

    def action_run_again(self) -> None:
        self.start_run()

    def action_full_log(self) -> None:
        self.app.push_screen(LogScreen(self.session.checkpoint.path.with_suffix(".log")))
