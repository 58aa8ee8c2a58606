"""A live list with type-to-filter: typing narrows it, up/down moves, Enter picks the highlighted entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Entry:
    """One choice: `key` is what the answers store, `text` what the list shows and the filter searches."""

    key: str
    text: str


class FilteredList(Vertical):
    BINDINGS: ClassVar = [
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(8)", show=False),
        Binding("pageup", "move(-8)", show=False),
    ]

    class Picked(Message):
        def __init__(self, entry: Entry):
            super().__init__()
            self.entry = entry

    def __init__(self, *, placeholder: str, list_id: str, cursor_blink: bool = True):
        super().__init__(classes="filtered-list")
        self._entries: list[Entry] = []
        self._shown: list[Entry] = []
        self._filter = Input(placeholder=placeholder, id=f"{list_id}-filter", compact=True)
        self._filter.cursor_blink = cursor_blink
        self._options = OptionList(id=f"{list_id}-options", compact=True)

    def compose(self) -> ComposeResult:
        yield self._filter
        yield self._options

    def set_entries(self, entries: list[Entry], selected: str | None = None) -> None:
        self._entries = entries
        self._show(selected)

    def _show(self, selected: str | None = None) -> None:
        words = self._filter.value.lower().split()
        self._shown = [e for e in self._entries if all(w in e.text.lower() for w in words)]
        self._options.clear_options()
        self._options.add_options([Option(e.text, id=e.key) for e in self._shown])
        keys = [e.key for e in self._shown]
        if self._shown:
            self._options.highlighted = keys.index(selected) if selected in keys else 0

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    @property
    def filter_text(self) -> str:
        return self._filter.value

    @property
    def highlighted(self) -> Entry | None:
        index = self._options.highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    def focus_filter(self) -> None:
        self._filter.focus()

    def action_move(self, delta: int) -> None:
        if not self._shown:
            return
        index = self._options.highlighted or 0
        self._options.highlighted = max(0, min(len(self._shown) - 1, index + delta))

    def on_input_changed(self, event: Input.Changed) -> None:
        current = self.highlighted
        self._show(current.key if current else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.highlighted is not None:
            self.post_message(self.Picked(self.highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self._shown[event.option_index]))
