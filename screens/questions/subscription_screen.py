"""The subscription, picked from the live list of the signed-in identity, tenant shown beside each."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from screens.questions.question_screen import QuestionScreen
from screens.widgets.filtered_list import Entry, FilteredList
from wizard import catalog
from wizard.azure.errors import explain


class SubscriptionScreen(QuestionScreen):
    fields = ("subscription_id", "tenant_id")
    heading = "Subscription"
    intro = "Everything is created in one resource group of this subscription. Type to filter."
    BINDINGS: ClassVar = [Binding("ctrl+r", "reload", "Reload list")]

    def __init__(self) -> None:
        super().__init__()
        self.choices: list[catalog.SubscriptionChoice] = []

    def compose_body(self) -> ComposeResult:
        yield FilteredList(
            placeholder="filter by name, id or tenant",
            list_id="subscriptions",
            cursor_blink=self.app.config.cursor_blink,
        )
        yield Static("Loading subscriptions…", id="list-note", classes="note")

    def on_mount(self) -> None:
        self.query_one(FilteredList).focus_filter()
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one(FilteredList).loading = True
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            found = catalog.subscriptions(self.app.list_connection())
        except Exception as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._loaded, found)

    def _failed(self, error: Exception) -> None:
        self.query_one(FilteredList).loading = False
        info = explain(error)
        self.query_one("#list-note", Static).update(
            f"✗ Could not list subscriptions: {info.code}: {info.message}\n{info.todo}  (ctrl+r retries, Esc goes back)"
        )

    def _loaded(self, found: list[catalog.SubscriptionChoice]) -> None:
        self.choices = found
        listed = self.query_one(FilteredList)
        listed.loading = False
        wanted = self.draft.get("subscription_id") or (
            self.app.cli_login.subscription_id if self.app.cli_login else None
        )
        listed.set_entries(
            [
                Entry(
                    s.id, f"{s.name}  {s.id}  tenant {s.tenant_id}" + ("" if s.state == "Enabled" else f"  ({s.state})")
                )
                for s in found
            ],
            selected=wanted,
        )
        note = f"{len(found)} subscription(s) visible to this sign-in." if found else "✗ No subscription visible."
        self.query_one("#list-note", Static).update(note)
        self.refresh_bindings()

    def problems(self) -> list[str]:
        if not self.choices:
            return ["wait for the subscription list (or fix the sign-in)"]
        if self.query_one(FilteredList).highlighted is None:
            return ["no subscription matches the filter"]
        return []

    def on_filtered_list_picked(self, event: FilteredList.Picked) -> None:
        self.action_next()

    def save(self) -> None:
        entry = self.query_one(FilteredList).highlighted
        if entry is None:
            return
        chosen = next(s for s in self.choices if s.id == entry.key)
        if chosen.id != self.draft.get("subscription_id"):
            self.app.regions_cache.clear()
        self.draft.set("subscription_id", chosen.id)
        if not self.app.config.demo and chosen.tenant_id:
            self.draft.set("tenant_id", chosen.tenant_id)
