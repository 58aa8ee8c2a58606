"""The region, from the subscription's live list narrowed to regions that offer Azure ML, VMs and the DSVM."""

from __future__ import annotations

from screens.questions.live_list_screen import LiveListScreen
from screens.widgets.filtered_list import Entry, FilteredList
from wizard import catalog
from wizard.answers import check_field


class RegionScreen(LiveListScreen[catalog.RegionChoice]):
    fields = ("region",)
    heading = "Region"
    intro = "Only regions of this subscription that offer Azure ML, virtual machines and the DSVM image are listed."
    noun = "region"
    placeholder = "filter, e.g. europe"
    list_id = "regions"

    def loading_text(self) -> str:
        return "Loading regions… (the first time, this registers Microsoft.Compute to see where the DSVM image is)"

    def cached(self) -> list[catalog.RegionChoice] | None:
        return self.app.regions_cache.get(self.draft.get("subscription_id"))

    def fetch(self) -> list[catalog.RegionChoice]:
        subscription_id = self.draft.get("subscription_id")
        found = catalog.regions_for(self.app.list_connection(), subscription_id)
        usable = [r for r in found if check_field("region", r.name, **self.draft.context()) is None]
        self.app.regions_cache[subscription_id] = usable
        return usable

    def entries(self, found: list[catalog.RegionChoice]) -> list[Entry]:
        return [Entry(r.name, f"{r.display_name:<24} {r.name:<20} {r.geography}") for r in found]

    def wanted(self) -> str | None:
        return self.draft.get("region")

    def counted(self, total: int) -> str:
        return f"{total} region(s) offer what the setup needs"

    def save(self) -> None:
        entry = self.query_one(FilteredList).highlighted
        if entry is not None:
            self.draft.set("region", entry.key)
