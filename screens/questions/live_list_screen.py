"""A question answered from a live Azure list (subscriptions, regions): loaded in a worker, type to filter,
ctrl+r reloads, and the note under it always tells how many entries the filter shows, or that none match."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, Static

from screens.questions.question_screen import QuestionScreen
from screens.widgets.filtered_list import Entry, FilteredList
from wizard.azure.errors import explain

ChoiceT = TypeVar("ChoiceT")


class Listed(Message):
    """What the worker fetched for the list."""

    def __init__(self, found: list):
        super().__init__()
        self.found = found


class ListFailed(Message):
    """Why the worker could not fetch the list."""

    def __init__(self, error: Exception):
        super().__init__()
        self.error = error


class LiveListScreen(QuestionScreen, Generic[ChoiceT]):
    BINDINGS: ClassVar = [Binding("ctrl+r", "reload", "Reload list")]
    noun: ClassVar[str] = "entry"  # singular, as in "3 regions offer …"
    placeholder: ClassVar[str] = ""
    list_id: ClassVar[str] = "entries"

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[ChoiceT] = []

    def compose_body(self) -> ComposeResult:
        yield FilteredList(
            placeholder=self.placeholder, list_id=self.list_id, cursor_blink=self.app.config.cursor_blink
        )
        yield Static(self.loading_text(), id="list-note", classes="note")

    def on_mount(self) -> None:
        self.query_one(FilteredList).focus_filter()
        cached = self.cached()
        if cached is not None:
            self._loaded(cached)
        else:
            self.action_reload()

    # What a subclass says -----------------------------------------------------------------------------------

    def loading_text(self) -> str:
        return f"Loading {self.noun}s…"

    def cached(self) -> list[ChoiceT] | None:
        return None

    def fetch(self) -> list[ChoiceT]:
        """The list, from Azure (blocking: runs in a worker thread)."""
        raise NotImplementedError

    def entries(self, found: list[ChoiceT]) -> list[Entry]:
        raise NotImplementedError

    def wanted(self) -> str | None:
        """The key to highlight first (the draft's answer, or a sensible guess)."""
        return None

    def counted(self, total: int) -> str:
        """The note under the whole list, e.g. "12 region(s) offer what the setup needs"."""
        return f"{total} {self.noun}(s)"

    # Shared behaviour ---------------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self.query_one(FilteredList).loading = True
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            found = self.fetch()
        except Exception as error:
            self.post_message(ListFailed(error))
            return
        self.post_message(Listed(found))

    @on(Listed)
    def _listed(self, message: Listed) -> None:
        self._loaded(message.found)

    @on(ListFailed)
    def _failed(self, message: ListFailed) -> None:
        self.query_one(FilteredList).loading = False
        info = explain(message.error)
        self.query_one("#list-note", Static).update(
            f"✗ Could not list {self.noun}s: {info.code}: {info.message}\n{info.todo}  (ctrl+r retries, Esc goes back)"
        )

    def _loaded(self, found: list[ChoiceT]) -> None:
        self.choices = found
        listed = self.query_one(FilteredList)
        listed.loading = False
        listed.set_entries(self.entries(found), selected=self.wanted())
        self._count()
        self.refresh_bindings()

    def _count(self) -> None:
        listed = self.query_one(FilteredList)
        if not self.choices:
            note = f"✗ No {self.noun} to choose from."
        elif listed.shown_count == 0:
            note = f"✗ No {self.noun} matches “{listed.filter_text}” (of {len(self.choices)}); edit the filter."
        elif listed.shown_count < len(self.choices):
            note = f"{listed.shown_count} of {len(self.choices)} {self.noun}s match the filter."
        else:
            note = f"{self.counted(len(self.choices))}."
        self.query_one("#list-note", Static).update(note)

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        if self.choices:
            self._count()

    def problems(self) -> list[str]:
        if not self.choices:
            return [f"wait for the {self.noun} list"]
        if self.query_one(FilteredList).highlighted is None:
            return [f"no {self.noun} matches the filter"]
        return []

    def on_filtered_list_picked(self, event: FilteredList.Picked) -> None:
        self.action_next()
