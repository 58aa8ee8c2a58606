"""Tearing a setup down from the TUI, as `scoring-wizard destroy` does: the list of what goes (and what stays, and
why) first, the setup's name typed back, then each resource live as the engine's teardown reports it, and a result
that says where the setup stands. The engine does the deleting (`wizard.teardown`); this screen only shows it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from screens import messages
from screens.type_name_modal import TypeNameModal
from wizard.session import Session
from wizard.teardown import Removal, Teardown, TeardownEvent

# How each resource's line starts, by what last happened to it.
MARKS = {"delete": "·", "deleting": "…", "deleted": "✓", "kept": "=", "failed": "✗"}


def resources(count: int) -> str:
    return f"{count} resource" + ("" if count == 1 else "s")


def label(target: str) -> str:
    """A resource as a newcomer reads it, short enough for 80 columns: its service, its type and its name."""
    if "/providers/" not in target:
        return target  # "resource group NAME"
    parts = target.rsplit("/providers/", 1)[1].split("/")
    return f"{parts[0].removeprefix('Microsoft.')}/{parts[-2]} {parts[-1]}"


class Listed(Message):
    def __init__(self, removals: list[Removal] | None, problem: str = ""):
        super().__init__()
        self.removals = removals
        self.problem = problem


class Progressed(Message):
    def __init__(self, event: TeardownEvent):
        super().__init__()
        self.event = event


class Finished(Message):
    def __init__(self, ok: bool):
        super().__init__()
        self.ok = ok


class DestroyScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("x", "destroy", "Destroy"),
        Binding("escape", "back", "Back"),
        Binding("enter", "setups", "Setups"),
    ]

    def __init__(self, session: Session, *, owns_session: bool, cursor_blink: bool = True):
        super().__init__()
        self.session = session
        self.owns_session = owns_session  # opened for this teardown (not the run's), so closed with it
        self.cursor_blink = cursor_blink
        self.setup_name = session.plan.names.resource_group
        self.removals: list[Removal] = []
        self.state = "listing"  # then "listed", "running", "done" or "failed"
        self.rows: dict[str, tuple[str, str]] = {}  # target -> (what happened, why)

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    def compose(self) -> ComposeResult:
        yield Static(
            f"[b]Destroy {self.setup_name}[/b]  [dim]removes only what scoring-wizard made[/dim]", classes="title"
        )
        yield Static("Reading what the setup made…", id="destroy-status", classes="intro", markup=False)
        with VerticalScroll(id="destroy-body"):
            yield Static(id="destroy-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._list()

    @work(thread=True, exclusive=True)
    def _list(self) -> None:
        from wizard.azure.errors import explain

        try:
            removals = Teardown(self.session.plan, self.session.checkpoint, self.session.connection).removals()
        except Exception as error:
            self.post_message(Listed(None, explain(error).one_line()))
            return
        self.post_message(Listed(removals))

    def on_listed(self, message: Listed) -> None:
        if message.removals is None:
            self.state = "failed"
            self.refresh_bindings()
            self._status(f"Cannot read what the setup made: {message.problem}. Press x to try again.")
            return
        self.removals = message.removals
        self.rows = {r.resource_id: ("kept" if r.keep_reason else "delete", r.keep_reason) for r in self.removals}
        self.rows[f"resource group {self.setup_name}"] = ("delete", "if scoring-wizard made it and it is empty")
        self.state = "listed"
        self.refresh_bindings()
        self._status(
            f"{resources(self.count)} to delete (· delete, = keep), then the resource group. "
            "Press x to destroy them (you type the setup's name), Esc to go back."
        )
        self._show_rows()

    @property
    def count(self) -> int:
        return sum(not r.keep_reason for r in self.removals)

    def _status(self, text: str) -> None:
        self.query_one("#destroy-status", Static).update(text)

    def _show_rows(self) -> None:
        text = Text()
        for target, (happened, why) in self.rows.items():
            style = {"deleted": "green", "failed": "red", "kept": "dim"}.get(happened, "")
            text.append(f"{MARKS[happened]} {label(target)}", style=style)
            text.append(f"  ({why})\n" if why else "\n", style="dim")
        self.query_one("#destroy-list", Static).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "destroy":
            return self.state in ("listed", "failed")
        if action == "back":
            return self.state not in ("running", "done")  # once destroyed, the screen it came from is not true
        if action == "setups":
            return self.state == "done"
        return True

    def action_destroy(self) -> None:
        if self.failed:  # list again: what is left, and whether Azure can be read now
            self.state = "listing"
            self._status("Reading what the setup made…")
            self._list()
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.state = "running"
                self.refresh_bindings()
                self._status(f"Deleting {resources(self.count)}, dependants first…")
                self._tear_down()

        self.app.push_screen(
            TypeNameModal(self.setup_name, resources(self.count), cursor_blink=self.cursor_blink), confirmed
        )

    @work(thread=True, exclusive=True)
    def _tear_down(self) -> None:
        teardown = Teardown(self.session.plan, self.session.checkpoint, self.session.connection)
        try:
            ok = teardown.run(self.removals, lambda event: self.post_message(Progressed(event)))
        except Exception as error:
            from wizard.azure.errors import explain

            self.post_message(
                Progressed(TeardownEvent("failed", f"resource group {self.setup_name}", explain(error).one_line()))
            )
            ok = False
        self.post_message(Finished(ok))

    def on_progressed(self, message: Progressed) -> None:
        event = message.event
        self.rows[event.target] = (event.action, event.detail)
        self._show_rows()
        gone = sum(happened == "deleted" for happened, _ in self.rows.values())
        self._status(f"Deleting… {gone} deleted so far")

    def on_finished(self, message: Finished) -> None:
        gone = sum(happened == "deleted" for happened, _ in self.rows.values())
        if message.ok:
            self.state = "done"
            vaults = "".join(f" {r.left_soft_deleted}" for r in self.removals if r.soft_deletes)
            self._status(
                f"✓ {self.setup_name} is destroyed: {gone} deleted, nothing else touched. "
                f"The checkpoint stays and lists it as destroyed.{vaults} Enter: setups · q: quit"
            )
        else:
            self.state = "failed"
            self._status(f"✗ Some deletes failed ({gone} deleted): see ✗ below. Press x to try them again.")
        self.refresh_bindings()

    def action_back(self) -> None:
        self.post_message(messages.TeardownClosed(self.session, owned=self.owns_session, destroyed=False))

    def action_setups(self) -> None:
        self.post_message(messages.TeardownClosed(self.session, owned=self.owns_session, destroyed=True))
