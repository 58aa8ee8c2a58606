"""The subscription, picked from the live list of the signed-in identity, tenant shown beside each."""

from __future__ import annotations

from screens.questions.live_list_screen import LiveListScreen
from screens.widgets.filtered_list import Entry, FilteredList
from wizard import catalog


class SubscriptionScreen(LiveListScreen[catalog.SubscriptionChoice]):
    fields = ("subscription_id", "tenant_id")
    heading = "Subscription"
    intro = "Everything is created in one resource group of this subscription. Type to filter."
    noun = "subscription"
    placeholder = "filter by name, id or tenant"
    list_id = "subscriptions"

    def fetch(self) -> list[catalog.SubscriptionChoice]:
        return catalog.subscriptions(self.app.list_connection())

    def entries(self, found: list[catalog.SubscriptionChoice]) -> list[Entry]:
        return [
            Entry(s.id, f"{s.name}  {s.id}  tenant {s.tenant_id}" + ("" if s.state == "Enabled" else f"  ({s.state})"))
            for s in found
        ]

    def wanted(self) -> str | None:
        login = self.app.cli_login
        return self.draft.get("subscription_id") or (login.subscription_id if login else None)

    def counted(self, total: int) -> str:
        return f"{total} subscription(s) visible to this sign-in"

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
