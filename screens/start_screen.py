"""Setups started before (checkpoints in the state folder): resume one, start a new one, or delete one.

Below the local ones come the shared setups (blob://…) of every container this machine has used, listed in the
background from the blob service, colleagues' setups included: resuming one takes its lease.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from screens import messages
from screens.config import display_path
from screens.confirm_modal import ConfirmModal
from wizard import checkpoint as checkpoints
from wizard.checkpoint import CheckpointError
from wizard.setup_folder import shared_containers
from wizard.status import SetupSummary, setups

WHOLE_SUBSCRIPTION_WIDTH = 110  # columns from which a subscription id (36 characters) fits beside the rest


def row_cells(path: Path, summary: SetupSummary | str, *, wide: bool) -> tuple[str, str, str, str]:
    """A checkpoint's row: name, subscription (whole when `wide`), progress, last error (or why it cannot be read)."""
    if isinstance(summary, str):
        return (path.stem, "?", "unreadable", summary[:60])
    subscription = summary.subscription_id if wide else f"{summary.subscription_id[:8]}…"
    return (summary.resource_group, subscription, summary.progress, summary.last_error or "—")


class SharedListed(Message):
    """The shared setups of every known container (listed in a worker), and the containers that could not be."""

    def __init__(self, found: list[dict[str, str]], problems: list[str]):
        super().__init__()
        self.found = found
        self.problems = problems


class StartScreen(Screen):
    BINDINGS: ClassVar = [
        Binding("enter", "resume", "Resume"),
        Binding("n", "new", "Start new"),
        Binding("x", "destroy", "Destroy"),
        Binding("d", "delete", "Delete checkpoint"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[Path, SetupSummary | str]] = []
        self.shared: list[dict[str, str]] = []
        self._listing_shared = False

    def compose(self) -> ComposeResult:
        yield Static("[b]scoring-wizard[/b]  [dim]setups started before[/dim]", classes="title")
        yield Static("Resume one (finished steps are not redone), start a new one, or delete one.", classes="intro")
        yield DataTable(id="setups", cursor_type="row", zebra_stripes=True)
        yield Static(id="setup-detail", classes="note", markup=False)
        yield Static("Enter: resume · n: new · x: destroy its resources · d: delete its checkpoint", classes="note")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Setup", "Subscription", "Progress", "Last error")
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self.found = setups(self.app.config.checkpoint_dir)
        for path, summary in self.found:
            table.add_row(*row_cells(path, summary, wide=self.size.width >= WHOLE_SUBSCRIPTION_WIDTH), key=str(path))
        if not self.found and not shared_containers():
            self.post_message(messages.NoSetupsLeft())
            return
        self._add_shared_rows()
        if row and self.found:
            table.move_cursor(row=min(row, len(self.found) - 1))
        if not self._listing_shared:
            self._listing_shared = True
            self._list_shared()

    def on_resize(self) -> None:
        if self.found:
            self.reload()

    @work(thread=True, exclusive=True, group="shared")
    def _list_shared(self) -> None:
        from azure.core.exceptions import AzureError

        from wizard import blob_state

        found, problems = [], []
        for place in blob_state.known_containers():
            address = f"{blob_state.SCHEME}{place.account}/{place.container}/"
            try:
                listed = blob_state.list_setups(blob_state.container_client(place, blob_state.default_credential()))
            except (CheckpointError, AzureError) as error:
                problems.append(f"{address}: cannot list ({str(error).splitlines()[0][:80]})")
                continue
            found += [{**setup, "address": address + setup["setup"]} for setup in listed]
        self.post_message(SharedListed(found, problems))

    @on(SharedListed)
    def _show_shared(self, message: SharedListed) -> None:
        """Listed once per screen (over the network): a resize or a delete redraws the rows from this list."""
        self.shared = message.found
        self._add_shared_rows()
        if message.problems:
            self.notify("\n".join(message.problems), title="Shared setups", severity="warning", timeout=10)

    def _add_shared_rows(self) -> None:
        table = self.query_one(DataTable)
        for setup in self.shared:
            held = f"in use by {setup['held_by']}" if setup["held_by"] else "—"
            table.add_row(setup["setup"], "shared", setup["progress"], held, key=setup["address"])

    @property
    def _selected_shared(self) -> dict[str, str] | None:
        row = self.query_one(DataTable).cursor_row
        index = (row if row is not None else -1) - len(self.found)
        return self.shared[index] if 0 <= index < len(self.shared) else None

    @property
    def _selected_setup(self) -> tuple[Path, SetupSummary | str] | None:
        row = self.query_one(DataTable).cursor_row
        return self.found[row] if row is not None and 0 <= row < len(self.found) else None

    @property
    def selected(self) -> Path | None:
        chosen = self._selected_setup
        return chosen[0] if chosen else None

    def on_data_table_row_highlighted(self) -> None:
        chosen = self._selected_setup
        detail = self.query_one("#setup-detail", Static)
        shared = self._selected_shared
        if shared is not None:
            holder = f"in use by {shared['held_by']}" if shared["held_by"] else "free"
            detail.update(f"Shared {shared['address']} · {shared['progress']} · {holder} · updated {shared['updated']}")
            return
        if chosen is None:
            detail.update("")
            return
        path, summary = chosen
        if isinstance(summary, str):
            detail.update(summary)
            return
        lines = [
            f"Subscription {summary.subscription_id} · region {summary.region} · {summary.progress}",
            f"Checkpoint {display_path(path)}",
        ]
        if summary.last_error:
            lines.append(f"Last error: {summary.last_error}")
        detail.update("\n".join(lines))

    def on_data_table_row_selected(self) -> None:
        self.action_resume()

    def action_resume(self) -> None:
        shared = self._selected_shared
        if shared is not None:
            self.notify("Opening the shared setup…", timeout=2)
            self._resume_shared(shared["address"])
        elif self.selected is not None:
            self.notify("Opening the setup…", timeout=2)
            self._resume(self.selected)

    def _resume(self, path: Path) -> None:
        self.post_message(messages.OpenSetup(checkpoint_path=path))

    def _resume_shared(self, address: str) -> None:
        self.post_message(messages.OpenShared(address))

    def action_new(self) -> None:
        self.post_message(messages.BeginQuestions())

    def action_destroy(self) -> None:
        if self._selected_shared is not None:
            self.notify("Resume the shared setup first: its done screen offers x to destroy it.", timeout=6)
        elif self.selected is not None:
            self.post_message(messages.Destroy(self.selected))

    def action_delete(self) -> None:
        path = self.selected
        if path is None:
            return

        def delete(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                checkpoints.delete(path)
            except CheckpointError as error:
                self.notify(str(error), title="Not deleted", severity="error")
                return
            self.notify(f"Deleted {path.name}")
            self.reload()

        self.app.push_screen(
            ConfirmModal(
                f"Delete the checkpoint {path.name} and its log? Azure resources it created are NOT deleted "
                f"(first run scoring-wizard destroy --checkpoint {path} for that: it needs this checkpoint), and "
                "its files folder (SSH key, .rdp) is kept.",
                "Delete checkpoint",
            ),
            delete,
        )
