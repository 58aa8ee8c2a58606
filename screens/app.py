"""The Textual app: holds the draft answers and the open setup, and moves between screens.

Screens do the showing; this class only decides which screen comes next and owns what outlives a screen
(the draft, the sign-in used for the live lists, the running session). `screens.launch` starts it.

Only the first screen is imported before the first paint: every other screen, and through them the engine, the
SDKs and pydantic, is imported where it is first shown, and warmed up once the first frame is on the terminal
(on the event loop, not in a thread: two threads importing the same packages can meet half-initialised modules),
so that the wizard is on screen in well under a second and the next screen still comes at once.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from screens import full_collections, messages
from screens.config import UiConfig
from screens.welcome_screen import WelcomeScreen
from wizard.resources import asset
from wizard.setup_folder import discover, shared_containers

if TYPE_CHECKING:
    from screens.draft import Draft
    from screens.progress_screen import ProgressScreen
    from wizard import catalog
    from wizard.answers import Answers, CloudName, SignIn
    from wizard.connect import Connection, EmulatorEndpoint
    from wizard.session import Session

EXIT_OK, EXIT_FAILED, EXIT_INTERRUPTED = 0, 1, 130

# What the screens after the first one import, loaded just after the first paint, while the first screen is read.
WARM_UP = (
    "screens.draft",
    "screens.questions",
    "screens.review_screen",
    "screens.progress_screen",
    "screens.done_screen",
    "screens.start_screen",
    "screens.quit_modal",
    "wizard.catalog",
    "wizard.session",
)


class WizardApp(App[int]):
    CSS_PATH = asset("app.tcss")
    TITLE = "scoring-wizard"
    BINDINGS: ClassVar = [
        Binding("q", "quit", "Quit"),
        # Priority, so that no screen or input takes Ctrl-C for copying: it is how people leave a terminal app.
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+t", "toggle_dark", "Light/dark"),
    ]

    def __init__(self, config: UiConfig, *, first_screen: Callable[[], Screen] | None = None):
        super().__init__()
        self.config = config
        self.first_screen = first_screen
        self._draft: Draft | None = None
        self.touched: set[str] = set(config.given)  # a given answer is the user's choice, not a suggestion
        self.cli_login: catalog.CliLogin | None = None
        self.regions_cache: dict[str, list[catalog.RegionChoice]] = {}
        self.answers_file: Path | None = None
        self.session: Session | None = None
        self.amending: Callable[[bool], None] | None = None
        self.opened: Path | None = None  # the checkpoint of the last setup opened, for the words on leaving
        self.warmed = False  # the screens after the first one are imported (see warm_up)
        self._connection: tuple[tuple, Connection] | None = None
        self._connection_lock = threading.Lock()

    @property
    def draft(self) -> Draft:
        """The answers being typed, made when a question first needs them: the defaults load pydantic."""
        if self._draft is None:
            from screens.draft import REAL_DEFAULTS, Draft, demo_defaults
            from wizard.answer_sources import overlay

            defaults = demo_defaults() if self.config.demo else REAL_DEFAULTS
            self._draft = Draft(overlay(defaults, self.config.given))
        return self._draft

    @draft.setter
    def draft(self, draft: Draft) -> None:
        self._draft = draft

    def on_mount(self) -> None:
        full_collections.hold()
        self.theme = "textual-dark" if self.config.dark else "textual-light"
        if self.first_screen is not None:
            self.push_screen(self.first_screen())
        elif discover(self.config.checkpoint_dir) or shared_containers():
            from screens.start_screen import StartScreen

            self.push_screen(StartScreen())
        else:
            self.push_screen(WelcomeScreen())
        if self.config.exit_after_first_paint:
            self.call_after_refresh(self.exit, EXIT_OK)
        else:
            self.call_after_refresh(self._warm_up)

    def on_unmount(self) -> None:
        full_collections.release()

    def _warm_up(self) -> None:
        warm_up()
        full_collections.settle()
        self.warmed = True
        if isinstance(self.screen, WelcomeScreen):
            self.screen.fill_in()

    # Navigation -------------------------------------------------------------------------------------------

    @property
    def question_count(self) -> int:
        from screens.questions import asked

        return len(asked(self.draft))

    def question_number(self, screen_class: type) -> int:
        from screens.questions import asked

        return asked(self.draft).index(screen_class) + 1

    def switch_to_welcome(self) -> None:
        self.switch_screen(WelcomeScreen())

    def start_questions(self) -> None:
        from screens.questions import asked

        self.push_screen(asked(self.draft)[0]())

    def next_question(self, screen: Screen) -> None:
        from screens.questions import asked
        from screens.review_screen import ReviewScreen

        if self.amending is not None:
            self._end_amend(True)
            return
        flow = asked(self.draft)
        index = flow.index(type(screen))
        self.push_screen(flow[index + 1]() if index + 1 < len(flow) else ReviewScreen())

    def previous_question(self, screen: Screen) -> None:
        """Back one question; values typed so far live in the draft, so nothing is lost either way."""
        from screens.questions import asked
        from screens.review_screen import ReviewScreen

        if self.amending is not None:
            self._end_amend(False)
            return
        if len(self.screen_stack) > 2:
            self.pop_screen()
            return
        flow = asked(self.draft)
        index = len(flow) if isinstance(screen, ReviewScreen) else flow.index(type(screen))
        if index > 0:
            self.switch_screen(flow[index - 1]())

    def amend(self, field: str, session: Session, then: Callable[[], None]) -> None:
        """Open the question that asks `field`, filled with the setup's answers; Next adopts the edit and calls
        `then` (the resume), Esc leaves the setup as it was."""
        from screens.draft import Draft
        from screens.questions import asking
        from wizard.answers import AnswersError
        from wizard.checkpoint import CheckpointError

        self.draft = Draft(session.plan.answers.model_dump(mode="json", exclude_none=True))

        def done(accepted: bool) -> None:
            if not accepted:
                return
            try:
                changed = session.change_answers(self.draft.to_answers())
            except (AnswersError, CheckpointError) as error:
                self.notify(str(error), title="Answer not changed", severity="error", timeout=15)
                return
            if changed:
                self.notify(f"Changed {', '.join(changed)}; resuming.", timeout=4)
            then()

        self.amending = done
        screen = asking(field)()
        self.push_screen(screen, wait_for_dismiss=False)
        self.call_after_refresh(lambda: [widget.focus() for widget in screen.query(f"#{field.replace('_', '-')}")])

    def _end_amend(self, accepted: bool) -> None:
        done, self.amending = self.amending, None
        self.pop_screen()
        done(accepted)

    # What the screens say happened (screens.messages) ------------------------------------------------------

    @on(messages.BeginQuestions)
    def _begin_questions(self) -> None:
        self.start_questions()

    @on(messages.NoSetupsLeft)
    def _no_setups_left(self) -> None:
        self.switch_to_welcome()

    @on(messages.Answered)
    def _answered(self, message: messages.Answered) -> None:
        if message.screen is self.screen:  # a second Enter before the next question opened is not a second answer
            self.next_question(message.screen)

    @on(messages.Back)
    def _back(self, message: messages.Back) -> None:
        if message.screen is self.screen:
            self.previous_question(message.screen)

    @on(messages.ChangeAnswer)
    def _change_answer(self, message: messages.ChangeAnswer) -> None:
        self.amend(message.field, message.session, message.then)

    @on(messages.RunSucceeded)
    def _run_succeeded(self, message: messages.RunSucceeded) -> None:
        self.show_done(message.session)

    @on(messages.ExitWizard)
    def _leave(self) -> None:
        self.finish()

    @on(messages.Destroy)
    def _destroy(self, message: messages.Destroy) -> None:
        path = message.checkpoint_path.absolute()
        if self.session is not None and self.session.checkpoint.path == path:
            self._show_destroy(self.session, owned=False)  # the run's own session, from the done screen
            return
        self.notify("Opening the setup…", timeout=2)
        self._open_for_destroy(path)

    @work(thread=True, exclusive=True, group="open")
    def _open_for_destroy(self, path: Path) -> None:
        session = self._opened(lambda: self._open_local(None, path))
        if session is not None:
            self.call_from_thread(self._show_destroy, session, owned=True)

    def _show_destroy(self, session: Session, *, owned: bool) -> None:
        from screens.destroy_screen import DestroyScreen

        if owned:
            self.session = session  # closed with the teardown, or on leaving
        self.opened = session.checkpoint.path
        self.push_screen(DestroyScreen(session, owns_session=owned, cursor_blink=self.config.cursor_blink))

    @on(messages.TeardownClosed)
    def _teardown_closed(self, message: messages.TeardownClosed) -> None:
        """Back where the teardown was opened from; after a teardown, to the setups (the run behind it is over)."""
        from screens.start_screen import StartScreen

        if message.owned or message.destroyed:
            self.close_session()
        self.pop_screen()
        if message.destroyed:
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.push_screen(StartScreen())

    # Azure, called from thread workers ---------------------------------------------------------------------

    def list_connection(self) -> Connection:
        """The sign-in used for the live lists, made once per cloud/method/tenant (blocking: workers only)."""
        from wizard.answers import CloudName, SignIn

        cloud = CloudName(self.draft.get("cloud", CloudName.AZURE.value))
        method = SignIn(self.draft.get("sign_in", SignIn.CLI.value))
        tenant = self.draft.get("tenant_id")
        key = (cloud, method, tenant, self.config.emulator)
        with self._connection_lock:
            if self._connection is None or self._connection[0] != key:
                self._connection = (key, self._sign_in(cloud, method, tenant, self.config.emulator))
            return self._connection[1]

    def _sign_in(
        self, cloud: CloudName, method: SignIn, tenant: str | None, emulator: EmulatorEndpoint | None
    ) -> Connection:
        from wizard import catalog
        from wizard.connect import emulator_connection

        if emulator is not None:
            return emulator_connection(emulator, self.draft.get("subscription_id") or "")
        return catalog.sign_in(cloud, method, tenant, show_device_code=self._show_device_code)

    def _show_device_code(self, message: str) -> None:
        self.call_from_thread(self.notify, message, title="Sign in", timeout=600)

    def _connection_for(self, answers: Answers) -> Connection | None:
        """The sign-in to reuse for a run; None lets the engine connect (and explain a cloud it cannot reach)."""
        from wizard import catalog
        from wizard.answers import CloudName
        from wizard.connect import Connection

        if self.config.emulator is not None or answers.cloud is CloudName.EMULATOR:
            return None
        self.draft.values.update(cloud=answers.cloud.value, sign_in=answers.sign_in.value)
        if answers.tenant_id:
            self.draft.set("tenant_id", answers.tenant_id)
        listing = self.list_connection()
        return Connection(listing.cloud, listing.credential, catalog.for_subscription(listing, answers.subscription_id))

    def checkpoint_path_for(self, answers: Answers) -> Path:
        from wizard import checkpoint as checkpoints

        return checkpoints.default_path(answers, self.config.checkpoint_dir)

    def default_answers_path(self, answers: Answers) -> Path:
        return Path.cwd() / f"{answers.resource_group}.answers.toml"

    def _open_local(self, answers: Answers | None, checkpoint_path: Path | None) -> Session:
        """Open a new setup (answers) or an existing one (checkpoint path), signed in as the app is. Blocking."""
        from wizard import checkpoint as checkpoints
        from wizard.session import open_session

        path = checkpoint_path or self.checkpoint_path_for(answers)
        known = answers or checkpoints.read(path).answers
        return open_session(
            answers, checkpoint_path=path, emulator=self.config.emulator, connection=self._connection_for(known)
        )

    def _open_shared(self, address: str) -> Session:
        """Open a shared setup (blob://…): its answers come from the blob, then the run signs in as they say and
        takes the blob's lease with that sign-in. Blocking."""
        from wizard import blob_state
        from wizard import checkpoint as checkpoints
        from wizard.connect import connect
        from wizard.session import open_session

        location = blob_state.Location.parse(address)
        text = blob_state.peek(location, blob_state.default_credential())
        known = checkpoints.Document.model_validate_json(text).answers
        connection = self._connection_for(known) or connect(known, self.config.emulator)
        store = blob_state.open_store(address, connection.credential, storage_suffix=connection.cloud.storage_suffix)
        return open_session(None, checkpoint_path=store.path, connection=connection, store=store)

    def _opened(self, opened: Callable[[], Session]) -> Session | None:
        """The session `opened` makes, or None once the user is told why it could not be opened. Worker only."""
        from wizard.checkpoint import CheckpointError
        from wizard.connect import ConnectError

        try:
            return opened()
        except (CheckpointError, ConnectError, OSError, ValueError) as error:
            self.call_from_thread(self.notify, str(error), title="Cannot open the setup", severity="error", timeout=15)
        except Exception as error:
            self.call_from_thread(self.notify, f"{type(error).__name__}: {error}", severity="error", timeout=15)
        return None

    @on(messages.OpenSetup)
    def _open_setup(self, message: messages.OpenSetup) -> None:
        self._open_then_show(lambda: self._open_local(message.answers, message.checkpoint_path))

    @on(messages.OpenShared)
    def _open_shared_setup(self, message: messages.OpenShared) -> None:
        self._open_then_show(lambda: self._open_shared(message.address))

    @work(thread=True, exclusive=True, group="open")
    def _open_then_show(self, opened: Callable[[], Session]) -> None:
        session = self._opened(opened)
        if session is None or self._blocked_by_preflight(session):
            return
        self.call_from_thread(self._show_progress, session)

    def _blocked_by_preflight(self, session: Session) -> bool:
        """Problems of the steps not finished yet, shown all at once before anything is created. Worker only."""
        from screens.preflight_modal import PreflightModal
        from wizard.preflight import check_session

        self.call_from_thread(self.notify, "Checking names, sizes, quotas and permissions…", timeout=3)
        findings = check_session(session)
        if not findings.problems:
            return False
        session.close()
        self.call_from_thread(self.push_screen, PreflightModal(findings))
        return True

    def _show_progress(self, session: Session) -> None:
        from screens.progress_screen import ProgressScreen

        self.session = session
        self.opened = session.checkpoint.path
        self.push_screen(ProgressScreen(session))

    def show_done(self, session: Session) -> None:
        from screens.done_screen import DoneInfo, DoneScreen

        self.push_screen(DoneScreen(DoneInfo(session.checkpoint.document, session.checkpoint.path, self.answers_file)))

    # Leaving -----------------------------------------------------------------------------------------------

    @property
    def progress_screen(self) -> ProgressScreen | None:
        module = sys.modules.get("screens.progress_screen")  # not loaded yet: no progress screen was ever made
        if module is None:
            return None
        return next((s for s in self.screen_stack if isinstance(s, module.ProgressScreen)), None)

    async def action_quit(self) -> None:
        from screens.quit_modal import QuitModal

        progress = self.progress_screen
        if progress is None or not progress.running:
            self.finish()
            return
        if isinstance(self.screen, QuitModal):
            return
        running = sum(pane.status == "running" for pane in progress.panes.values())

        def decide(choice: str | None) -> None:
            if choice is not None:
                progress.stop(quit_after=choice == "leave")

        self.push_screen(QuitModal(running), decide)

    def finish(self) -> None:
        """Exit with a code that says how the setup stands: done, failed, or left to resume."""
        progress = self.progress_screen
        teardown = sys.modules.get("screens.destroy_screen")
        if teardown is not None and isinstance(self.screen, teardown.DestroyScreen):
            code = EXIT_FAILED if self.screen.failed else EXIT_OK  # the run behind it, if any, had finished
        elif progress is None:
            code = EXIT_OK
        else:
            from screens.done_screen import DoneScreen

            if isinstance(self.screen, DoneScreen):
                code = EXIT_OK
            else:
                code = EXIT_FAILED if progress.failures else EXIT_INTERRUPTED
        self.exit(code, return_code=code)

    def action_finish(self) -> None:
        self.finish()

    def close_session(self, timeout: float = 30.0) -> None:
        """Stop a runner still going (the process is leaving) and release the checkpoint lock."""
        progress = self.progress_screen
        if progress is not None and progress.runner is not None and not progress.finished.is_set():
            progress.runner.stop()
            progress.finished.wait(timeout)
        if self.session is not None:
            self.session.close()
            self.session = None

    # Palette and theme -------------------------------------------------------------------------------------

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from screens.progress_screen import ProgressScreen
        from screens.review_screen import ReviewScreen
        from screens.start_screen import StartScreen

        yield from super().get_system_commands(screen)
        yield SystemCommand("Light/dark", "Switch between the light and the dark theme", self.action_toggle_dark)
        if isinstance(screen, ReviewScreen):
            yield SystemCommand(
                "Save answers", "Save the answers as a TOML file for `run --answers`", screen.action_save_answers
            )
            yield SystemCommand("Start the setup", "Create the resources in the plan", screen.action_start)
        if isinstance(screen, ProgressScreen):
            yield SystemCommand("Full log", "Show every log line of this run", screen.action_full_log)
            yield SystemCommand("Run again", "Rerun failed or stopped steps", screen.action_run_again)
        if isinstance(screen, StartScreen):
            yield SystemCommand("Start a new setup", "Answer the questions for a new setup", screen.action_new)
            yield SystemCommand("Resume the selected setup", "Continue where it stopped", screen.action_resume)


def warm_up() -> None:
    """Import what the next screens need while the first one is read."""
    for module in WARM_UP:
        importlib.import_module(module)
