"""A short list of fixed choices where the highlighted entry is the answer (Enter confirms and moves on)."""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChoiceList(OptionList):
    def __init__(self, choices: list[tuple[str, str]], selected: str | None, *, id: str):
        super().__init__(*[Option(text, id=key) for key, text in choices], id=id, compact=True)
        self._keys = [key for key, _ in choices]
        self._selected = selected if selected in self._keys else self._keys[0]

    def on_mount(self) -> None:
        self.highlighted = self._keys.index(self._selected)

    @property
    def value(self) -> str:
        return self._keys[self.highlighted if self.highlighted is not None else 0]
