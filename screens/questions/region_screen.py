"""The region, from the subscription's live list narrowed to regions that offer Azure ML, VMs and the DSVM."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.questions.question_screen import QuestionScreen
from screens.widgets.filtered_list import Entry, FilteredList
from wizard import catalog
from wizard.answers import check_field
from wizard.azure.errors import explain


class RegionScreen(QuestionScreen):
    fields = ("region",)
    heading = "Region"
    intro = "Only regions of this subscription that offer Azure ML, virtual machines and the DSVM image are listed."
    BINDINGS: ClassVar = [Binding("ctrl+r", "reload", "Reload list")]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[catalog.RegionChoice] = []

    def compose_body(self) -> ComposeResult:
        yield FilteredList(
            placeholder="filter, e.g. europe", list_id="regions", cursor_blink=self.app.config.cursor_blink
        )
        yield Static(
            "Loading regions… (the first time, this registers Microsoft.Compute to see where the DSVM image is)",
            id="list-note",
            classes="note",
        )

    def on_mount(self) -> None:
        self.query_one(FilteredList).focus_filter()
        cached = self.app.regions_cache.get(self.draft.get("subscription_id"))
        if cached is not None:
            self._loaded(cached)
        else:
            self.action_reload()

    def action_reload(self) -> None:
        self.query_one(FilteredList).loading = True
        self.load(self.draft.get("subscription_id"))

    @work(thread=True, exclusive=True)
    def load(self, subscription_id: str) -> None:
        try:
            found = catalog.regions_for(self.app.list_connection(), subscription_id)
        except Exception as error:
            self.app.call_from_thread(self._failed, error)
            return
        context = self.draft.context()
        usable = [r for r in found if check_field("region", r.name, **context) is None]
        self.app.call_from_thread(self._loaded, usable, subscription_id)

    def _failed(self, error: Exception) -> None:
        self.query_one(FilteredList).loading = False
        info = explain(error)
        self.query_one("#list-note", Static).update(
            f"✗ Could not list regions: {info.code}: {info.message}\n{info.todo}  (ctrl+r retries, Esc goes back)"
        )

    def _loaded(self, found: list[catalog.RegionChoice], subscription_id: str | None = None) -> None:
        if subscription_id:
            self.app.regions_cache[subscription_id] = found
        self.choices = found
        listed = self.query_one(FilteredList)
        listed.loading = False
        listed.set_entries(
            [Entry(r.name, f"{r.display_name:<24} {r.name:<20} {r.geography}") for r in found],
            selected=self.draft.get("region"),
        )
        self.query_one("#list-note", Static).update(f"{len(found)} region(s) offer what the setup needs.")
        self.refresh_bindings()

    def problems(self) -> list[str]:
        if not self.choices:
            return ["wait for the region list"]
        if self.query_one(FilteredList).highlighted is None:
            return ["no region matches the filter"]
        return []

    def on_filtered_list_picked(self, event: FilteredList.Picked) -> None:
        self.action_next()

    def save(self) -> None:
        entry = self.query_one(FilteredList).highlighted
        if entry is not None:
            self.draft.set("region", entry.key)
